"""The action log as CSV or Excel, for the secretariat and the ICB's plan.

Any cell that begins with = + - @, a tab, a carriage return or a line feed is neutralised with a leading
apostrophe, so a spreadsheet program shows it as text and never runs it as a formula (CSV injection). The CSV is
written as RFC 4180 says (CRLF between rows), so every field holding a carriage return or a line feed is
quoted: unquoted, a bare CR starts a new row in Excel and in Python's csv reader, and whatever follows it
("\r=SUM(1)") would stand at the start of a cell the apostrophe never reached.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from documents.output_files import check_output_file
from features.actions.actions import ActionRow
from rules.actors import Actor
from rules.formatting import short_date
from rules.permissions import Permission, require

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
COLUMNS = ("Review", "Action", "Answers", "Owner", "Organisation", "Measure", "Owner agreed", "Priority", "Due",
           "Status", "Evidence", "History")


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe; others are unchanged."""
    if isinstance(value, str) and value.startswith(DANGEROUS_STARTS):
        return "'" + value
    return value


def actions_frame(rows: list[ActionRow]) -> pd.DataFrame:
    records = [
        {"Review": r.review_reference, "Action": r.description, "Answers": r.finding or "", "Owner": r.owner_name,
         "Organisation": r.owner_organisation, "Measure": r.measure, "Owner agreed": "Yes" if r.owner_agreed else
         "Not yet", "Priority": r.priority or "", "Due": short_date(r.due_on), "Status": r.status_in_words,
         "Evidence": r.evidence, "History": "\n".join(r.history)}
        for r in rows
    ]
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    return frame.map(neutralise)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The one way the app writes CSV: CRLF rows, so any field with a CR or LF in it is quoted, and a BOM
    so Excel reads UTF-8."""
    text = frame.to_csv(index=False, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    return text.encode("utf-8-sig")


def actions_csv(rows: list[ActionRow], *, actor: Actor) -> bytes:
    require(actor, Permission.EXPORT)
    return csv_bytes(actions_frame(rows))


def actions_xlsx(rows: list[ActionRow], *, actor: Actor) -> bytes:
    require(actor, Permission.EXPORT)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        actions_frame(rows).to_excel(writer, index=False, sheet_name="Action log")
    return buffer.getvalue()


def write_actions(rows: list[ActionRow], out: Path, *, actor: Actor) -> int:
    """Write the log to a .csv or .xlsx file; returns the number of bytes written."""
    check_output_file(out, suffixes=(".csv", ".xlsx"), example="actions.xlsx")
    payload = actions_csv(rows, actor=actor) if out.suffix.lower() == ".csv" else actions_xlsx(rows, actor=actor)
    out.write_bytes(payload)
    return len(payload)
