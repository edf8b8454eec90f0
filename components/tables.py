"""One way to show rows: st.table renders a real HTML table with header cells screen readers announce.

st.dataframe draws a canvas grid whose menus are not keyboard-accessible, so it is not used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st


def accessible_table(rows: Sequence[dict[str, Any]], *, empty_message: str) -> None:
    """A table of the rows, or a sentence saying there is nothing yet (never an empty grid)."""
    if not rows:
        st.write(empty_message)
        return
    st.table(list(rows))
