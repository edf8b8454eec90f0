"""Reading an uploaded export (CSV or Excel .xlsx) into its heading row and cells, refusing in words what is
not such a file. Nothing is interpreted here: rules/review_import.py checks the cells."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from rules.errors import Invalid
from rules.review_import import MAX_ROWS, Formula, cell_text

MAX_IMPORT_BYTES = 10 * 1024 * 1024  # a year of an ICB's reviews is well under 2 MB as CSV
WINDOWS_NOTE = ("The file was read as Windows text (cp1252), the way Excel saves CSV files. Check that "
                "letters such as é and signs such as £ look right in the preview.")


@dataclass(frozen=True)
class RawTable:
    headings: tuple[object, ...]
    rows: tuple[tuple[int, tuple[object, ...]], ...]  # (spreadsheet row number, cells), blank rows left out
    notes: tuple[str, ...] = ()


def _size_in_words(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def read_table(file_name: str, data: bytes) -> RawTable:
    """The first sheet of a workbook or the rows of a CSV file. Refused: an empty or oversized file, another
    kind of file (old .xls, Word, PDF, a renamed file) and a CSV that is not text."""
    if not data:
        raise Invalid(f"{file_name} is empty.")
    if len(data) > MAX_IMPORT_BYTES:
        raise Invalid(f"{file_name} is {_size_in_words(len(data))}; an import can be at most "
                      f"{_size_in_words(MAX_IMPORT_BYTES)}. Split it, by quarter for example.")
    suffix = file_name.lower().rsplit(".", 1)[-1] if "." in file_name else ""
    if suffix == "xlsx":
        return _read_workbook(file_name, data)
    if suffix == "csv":
        return _read_csv(file_name, data)
    if suffix == "xls":
        raise Invalid(f"{file_name} is in the old Excel format (.xls). Open it in Excel and save it as "
                      "an Excel workbook (.xlsx) or as CSV.")
    raise Invalid(f"{file_name} is not a CSV or Excel (.xlsx) file. Export the reviews from the review "
                  "platform as CSV or Excel.")


def _without_blank_rows(rows: Iterator[tuple[int, tuple[object, ...]]]) -> tuple[
        tuple[object, ...], tuple[tuple[int, tuple[object, ...]], ...]]:
    """The first non-blank row is the headings. Reading stops one row past the limit, so a huge sheet
    costs no more than a refusal."""
    headings: tuple[object, ...] | None = None
    kept: list[tuple[int, tuple[object, ...]]] = []
    for number, cells in rows:
        if not any(cell_text(cell) for cell in cells):
            continue
        if headings is None:
            headings = cells
            continue
        kept.append((number, cells))
        if len(kept) > MAX_ROWS:
            break
    return headings or (), tuple(kept)


# --- Excel ------------------------------------------------------------------------------------------------


def _read_workbook(file_name: str, data: bytes) -> RawTable:
    if not data.startswith(b"PK"):
        raise Invalid(f"{file_name} is named .xlsx but is not an Excel workbook. Export it again as Excel "
                      "or CSV.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise Invalid(f"{file_name} could not be read as an Excel workbook ({type(error).__name__}). "
                      "Open it in Excel and save it again, or export it as CSV.") from error
    except Exception as error:  # defusedxml's refusals of a hostile workbook, among others
        raise Invalid(f"{file_name} could not be read safely as an Excel workbook. Export it again from the "
                      "review platform.") from error
    try:
        sheet = workbook.worksheets[0]
        headings, rows = _without_blank_rows(_sheet_rows(sheet))
    finally:
        workbook.close()
    if not headings:
        raise Invalid(f"{file_name} has no rows in its first sheet.")
    return RawTable(headings, rows)


def _sheet_rows(sheet: object) -> Iterator[tuple[int, tuple[object, ...]]]:
    """Each row's values; a formula cell comes as Formula, so the checks can refuse it by name."""
    for number, row in enumerate(sheet.iter_rows(), start=1):  # type: ignore[attr-defined]
        yield number, tuple(Formula(cell.value) if getattr(cell, "data_type", None) == "f" else cell.value
                            for cell in row)


# --- CSV --------------------------------------------------------------------------------------------------


def _decode(file_name: str, data: bytes) -> tuple[str, tuple[str, ...]]:
    """UTF-8 (with or without Excel's byte order mark), else Windows cp1252, which is what Excel's plain
    "CSV" gives; the preview then says so."""
    if b"\x00" in data[:4096]:
        raise Invalid(f"{file_name} is not a text CSV file. If it is a spreadsheet, save it as .xlsx or CSV.")
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), (WINDOWS_NOTE,)
    except UnicodeDecodeError as error:
        raise Invalid(f"{file_name} is not readable text (neither UTF-8 nor Windows cp1252). Save it from "
                      "Excel as 'CSV UTF-8'.") from error


def _delimiter(first_line: str) -> str:
    """Comma, unless the heading row is clearly separated by semicolons or tabs (some European Excels)."""
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > counts[","] else ","


def _read_csv(file_name: str, data: bytes) -> RawTable:
    text, notes = _decode(file_name, data)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        rows = list(_numbered(reader))
    except csv.Error as error:
        raise Invalid(f"{file_name} could not be read as CSV ({error}). Export it again from the review "
                      "platform.") from error
    headings, kept = _without_blank_rows(iter(rows))
    if not headings:
        raise Invalid(f"{file_name} has no rows.")
    return RawTable(headings, kept, notes)


def _numbered(reader: Iterator[list[str]]) -> Iterator[tuple[int, tuple[object, ...]]]:
    """Rows numbered as a spreadsheet would number them (a cell with line breaks is still one row)."""
    for number, cells in enumerate(reader, start=1):
        yield number, tuple(cells)
        if number > MAX_ROWS + 10:
            return
