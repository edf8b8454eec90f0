"""The import's preview and its buttons: what the file would do, every problem by row and column, and an
import that shows its progress in one bar."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import streamlit as st

from components.context import current_actor, database
from components.feedback import confirm_and_rerun, explained_errors
from components.tables import page_of, plain_table
from features.reviews.importing import ImportPreview
from features.reviews.use_cases import check_import_file, import_review_file
from rules.formatting import plural
from rules.review_import import ACTION_WORDS, COLUMNS, CheckedRow, Problem, summary_sentence

PROBLEMS_SHOWN = 100
_PREVIEW = "_leder_import_preview"  # (uploaded file id, preview): checked once per file, not on every click
_ROUND = "_leder_import_round"  # a new uploader (empty) after each import


def render_column_guide() -> None:
    """The headings the file needs, as docs/import.md lists them, for the person preparing the export."""
    with st.expander("Which columns the file needs"):
        plain_table([{"Heading": spec.heading, "Required": "yes" if spec.required else "no",
                      "Also accepted": ", ".join(a.capitalize() for a in spec.aliases)} for spec in COLUMNS],
                    empty_message="")
        st.write("One row per review, with the headings in the first row. Put each finding on its own line "
                 "in its cell. Separate two themes with a semicolon.")


def upload_round() -> int:
    return int(st.session_state.get(_ROUND, 0))


def checked_upload(uploaded: object) -> tuple[ImportPreview, bytes] | None:
    """The uploaded file's preview, worked out once per file (the check reads every row)."""
    if uploaded is None:
        st.session_state.pop(_PREVIEW, None)
        return None
    file_id = getattr(uploaded, "file_id", None)
    data: bytes = uploaded.getvalue()  # type: ignore[attr-defined]
    kept = st.session_state.get(_PREVIEW)
    if kept and kept[0] == file_id:
        return kept[1], data
    preview = None
    with explained_errors(), st.spinner("Checking every row…"):
        preview = check_import_file(database(), actor=current_actor(), file_name=uploaded.name,  # type: ignore[attr-defined]
                                    data=data)
    if preview is None:
        return None
    st.session_state[_PREVIEW] = (file_id, preview)
    return preview, data


def _problems_csv(problems: Sequence[Problem]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["Row", "Column", "Problem"])
    writer.writerows([p.row or "", p.column, p.message] for p in problems)
    return buffer.getvalue().encode("utf-8-sig")


def render_problems(preview: ImportPreview) -> None:
    problems = preview.check.problems
    if not problems:
        return
    st.subheader(f"Problems to mend ({len(problems):,})", anchor=False)
    plain_table([{"Row": p.row if p.row is not None else "The file", "Column": p.column, "Problem": p.message}
                 for p in problems[:PROBLEMS_SHOWN]], empty_message="")
    if len(problems) > PROBLEMS_SHOWN:
        st.write(f"The first {PROBLEMS_SHOWN} are shown. The list of all {len(problems):,} is in the file below.")
    st.download_button("Download the list of problems (CSV)", data=_problems_csv(problems),
                       file_name=f"problems-{preview.file_name.rsplit('.', 1)[0]}.csv", mime="text/csv",
                       icon=":material/download:", on_click="ignore")


def _what_happens(row: CheckedRow) -> str:
    if row.problems:
        return f"Not imported: {plural(len(row.problems), 'problem')}"
    return ACTION_WORDS[row.action] if row.action else ""


def render_rows(preview: ImportPreview) -> None:
    rows = preview.check.rows
    if not rows:
        return
    st.subheader("What each row does", anchor=False)
    offset, limit = page_of(len(rows), noun="rows", key="import_rows")
    plain_table([{"Row": row.row, "Reference": row.reference, "What happens": _what_happens(row)}
                 for row in rows[offset:offset + limit]], empty_message="")


def render_summary(preview: ImportPreview) -> None:
    check = preview.check
    for note in check.notes:
        st.info(note, icon=":material/info:")
    if check.unused_headings:
        st.write("Columns not used (their headings are not ones the import knows): "
                 + ", ".join(check.unused_headings) + ".")
    said = summary_sentence(check)
    if check.is_clean:
        st.success(f"{preview.file_name}: {said}", icon=":material/check_circle:")
    else:
        st.warning(f"{preview.file_name}: {said} Nothing is imported until the file is clean, unless you choose "
                   "to import only the clean rows.", icon=":material/warning:")


def _import(preview: ImportPreview, data: bytes, *, only_clean: bool) -> None:
    bar = st.progress(0.0, text="Importing…")
    result = None
    with explained_errors():
        result = import_review_file(database(), actor=current_actor(), file_name=preview.file_name, data=data,
                                    only_clean=only_clean, fingerprint=preview.fingerprint,
                                    progress=lambda fraction, words: bar.progress(fraction, text=words))
    if result is not None:
        st.session_state.pop(_PREVIEW, None)
        st.session_state[_ROUND] = upload_round() + 1
        confirm_and_rerun(result.sentence())


def render_import_buttons(preview: ImportPreview, data: bytes) -> None:
    check = preview.check
    to_write = len(check.rows_to_write)
    if not check.clean_rows:
        st.write("No row can be imported yet. Mend the problems and choose the file again.")
        return
    if to_write == 0:
        st.write("Nothing to import: every review in the file is already as the file says.")
        return
    if check.is_clean:
        if st.button(f"Import {plural(to_write, 'review')}", type="primary", icon=":material/upload:"):
            _import(preview, data, only_clean=False)
        return
    st.write(f"You can import the {plural(len(check.clean_rows), 'clean row')} now and leave out the "
             f"{plural(check.rows_with_problems, 'row')} with problems, to import later once mended.")
    if st.button(f"Import only the {plural(to_write, 'clean review')}", icon=":material/upload:"):
        _import(preview, data, only_clean=True)
