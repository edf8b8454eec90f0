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


ROWS_PER_PAGE = 50


def page_of(total: int, *, noun: str, key: str, per_page: int = ROWS_PER_PAGE) -> tuple[int, int]:
    """Which rows to show, as (offset, limit): a long list comes a page at a time, chosen in a plain list
    box that says which rows each page holds. Years of an ICB's records on one page would be slow to send
    on every click and slow to read with a screen reader."""
    pages = max(1, -(-total // per_page))
    if pages == 1:
        return 0, per_page

    def label(page: int) -> str:
        first, last = (page - 1) * per_page + 1, min(page * per_page, total)
        return f"Page {page} of {pages}: {noun} {first} to {last}"

    # The key names the page count, so a filter that leaves fewer pages starts again at page 1.
    page = st.selectbox(f"Which {noun} to show", options=range(1, pages + 1), format_func=label,
                        key=f"{key}_{pages}_pages")
    return (page - 1) * per_page, per_page
