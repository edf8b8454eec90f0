"""The page's own ready marker: the last thing every full run draws, so a browser (or a browser test) can tell
when the run that answers what it did has finished, instead of guessing with pauses.

It is an empty, hidden element: `data-run` counts this session's full runs and `data-cookies` says whether
streamlit-authenticator's cookie component has reported the browser's cookies yet. Until it has, one more run
is on its way (the component reruns the app once it loads), which would redraw a list someone just opened.
"""

from __future__ import annotations

import streamlit as st

RUN_COUNT_KEY = "_leder_run_count"
# The key of the cookie manager streamlit-authenticator makes (extra_streamlit_components CookieManager's
# default "init"): its value is None until the component has sent the browser's cookies.
COOKIE_COMPONENT_KEY = "init"
MARKER_CLASS = "leder-run"


def cookies_reported() -> bool:
    """Whether the cookie component has answered in this session (its value is then a dict of cookies)."""
    return st.session_state.get(COOKIE_COMPONENT_KEY) is not None


def mark_run_finished() -> None:
    """Draw the marker with this run's number; call it last in app.py, on every path through a run."""
    count = st.session_state.get(RUN_COUNT_KEY, 0) + 1
    st.session_state[RUN_COUNT_KEY] = count
    cookies = "read" if cookies_reported() else "waiting"
    st.html(f'<div class="{MARKER_CLASS}" data-run="{count}" data-cookies="{cookies}" hidden></div>')
