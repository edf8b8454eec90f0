"""Import reviews: the secretariat loads a quarter's focused reviews from the review platform's export."""

from __future__ import annotations

import streamlit as st

from components.feedback import show_confirmation
from components.review_import import (
    checked_upload,
    render_column_guide,
    render_import_buttons,
    render_problems,
    render_rows,
    render_summary,
    upload_round,
)


def render() -> None:
    st.title("Import reviews")
    st.write("Load focused reviews from the review platform's export, a CSV or Excel (.xlsx) file. Every row is "
             "checked first; nothing is saved until you press Import. Importing the same file again changes "
             "nothing.")
    show_confirmation()
    render_column_guide()
    uploaded = st.file_uploader("Choose the export file (CSV or Excel .xlsx, at most 10 MB)",
                                key=f"import_file_{upload_round()}")
    checked = checked_upload(uploaded)
    if checked is None:
        return
    preview, data = checked
    render_summary(preview)
    render_import_buttons(preview, data)
    render_problems(preview)
    render_rows(preview)


if __name__ == "__main__":
    from app import main

    main()
