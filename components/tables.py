"""One way to show rows: st.table renders a real HTML table with header cells screen readers announce.

st.dataframe draws a canvas grid whose menus are not keyboard-accessible, so it is not used.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import streamlit as st

_PLAIN_TABLE_STYLE = (
    "<style>.leder-table{border-collapse:collapse;width:100%;margin:0 0 1rem}"
    ".leder-table th,.leder-table td{border:1px solid #d8dde0;padding:.35rem .6rem;text-align:left;"
    "vertical-align:top;overflow-wrap:anywhere}.leder-table th{background:#f0f4f5;font-weight:600}"
    ".leder-table td.number{text-align:right;font-variant-numeric:tabular-nums}</style>"
)


def accessible_table(rows: Sequence[dict[str, Any]], *, empty_message: str) -> None:
    """A table of the rows, or a sentence saying there is nothing yet (never an empty grid)."""
    if not rows:
        st.write(empty_message)
        return
    st.table(list(rows))


def plain_table(rows: Sequence[dict[str, Any]], *, empty_message: str) -> None:
    """The same real table (header cells with scope) written as HTML directly: for pages that draw many
    small tables on every run (Insight draws eleven), where st.table's pandas and Arrow conversion costs
    about 4 ms a table."""
    if not rows:
        st.write(empty_message)
        return
    st.html(plain_table_html(rows))


def plain_table_html(rows: Sequence[dict[str, Any]]) -> str:
    """The table's HTML with every header and cell escaped, so text typed into a review stays text."""
    columns = list(rows[0])
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in columns)

    def cell(value: Any) -> str:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        opening = '<td class="number">' if number else "<td>"
        return f"{opening}{html.escape(str(value))}</td>"

    body = "".join("<tr>" + "".join(cell(row.get(c, "")) for c in columns) + "</tr>" for row in rows)
    return (f'{_PLAIN_TABLE_STYLE}<table class="leder-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


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
