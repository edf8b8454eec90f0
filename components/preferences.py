"""Apply a person's reading preferences to every page, and the form to change them.

Larger text and high contrast are CSS on top of the theme (no overlay, no script); "fewer things" hides
captions here and tells pages to leave out optional detail such as pictures.
"""

from __future__ import annotations

import streamlit as st

from components.context import database, set_preferences
from components.feedback import run_action
from features.people.preferences import ReadingPreferences
from features.people.use_cases import my_reading_settings, save_reading_settings
from rules.actors import Actor

_LARGER_TEXT = "html { font-size: 25px !important; }"
_HIGH_CONTRAST = """
.stApp, .stApp p, .stApp li, .stApp label, .stApp span, .stApp h1, .stApp h2, .stApp h3 { color: #000 !important; }
.stApp a { color: #00307A !important; text-decoration: underline !important; }
.stApp input, .stApp textarea, .stApp [data-baseweb="select"] > div { border: 2px solid #000 !important; }
.stApp *:focus-visible { outline: 4px solid #000 !important; outline-offset: 2px !important; }
.stApp [data-testid="stCaptionContainer"], .stApp [data-testid="stCaptionContainer"] * { color: #000 !important; }
"""
# Always on: Streamlit marks a focused radio or checkbox only with a pale background (about 1.2:1), so
# keyboard users get a clear outline (WCAG 2.4.7) in NHS blue, 6.4:1 on white.
# Also always on: Streamlit draws captions (a vote answer's meaning, "Signed in as …" in the sidebar) at 60%
# opacity, 4.0:1 on white and 3.9:1 on the sidebar's grey; full opacity in NHS dark grey is 7.6:1 on white
# (WCAG 1.4.3 asks 4.5:1).
_VISIBLE_FOCUS = """
.stApp label:has(input:focus-visible) { outline: 3px solid #005EB8 !important; outline-offset: 2px; }
.stApp [data-testid="stCaptionContainer"],
.stApp [data-testid="stCaptionContainer"] * { opacity: 1 !important; color: #425563 !important; }
"""
_FEWER_THINGS = '[data-testid="stCaptionContainer"] { display: none !important; }'


def load_and_apply_preferences(actor: Actor) -> ReadingPreferences:
    preferences = my_reading_settings(database(), actor=actor)
    set_preferences(preferences)
    rules = [_VISIBLE_FOCUS] + [css for on, css in ((preferences.larger_text, _LARGER_TEXT),
                                                    (preferences.high_contrast, _HIGH_CONTRAST),
                                                    (preferences.fewer_things, _FEWER_THINGS)) if on]
    st.html("<style>" + "\n".join(rules) + "</style>")
    return preferences


def preferences_form(actor: Actor, current: ReadingPreferences) -> None:
    with st.form("reading_preferences"):
        larger = st.checkbox("Larger text", value=current.larger_text)
        contrast = st.checkbox("High contrast: black text and strong outlines", value=current.high_contrast)
        fewer = st.checkbox("Fewer things on the page: no pictures or extra notes", value=current.fewer_things)
        live = st.checkbox("Let vote counts update by themselves", value=current.live_updates,
                           help="Off: nothing on the page moves or changes unless you ask.")
        if st.form_submit_button("Save my reading settings", type="primary"):
            chosen = ReadingPreferences(larger, contrast, fewer, live)
            run_action(lambda: save_reading_settings(database(), actor=actor, preferences=chosen),
                       "Your reading settings are saved.")
