"""Checking a review platform export before anything is imported: which column is which, and every problem
in every row, said in words with the row and the column, so the secretariat can mend the file once.

Pure rules: the file has already been read into cells (features/reviews/import_file.py) and what the
database knows (reviewers, themes, references) is handed in as `KnownRecords`. Nothing here writes.
See docs/import.md for the headings and what each accepts.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rules.formatting import plural
from rules.limits import MAX_FINDING_CHARS, MAX_SUMMARY_CHARS, MAX_WORD_CHARS
from rules.pii import find_identifiers
from rules.vocabulary import AGE_BANDS, REFERENCE_PATTERN, FindingKind, ReviewStatus

# LeDeR began reviewing deaths in 2017: an earlier notification date is a typing slip (or a date of birth).
EARLIEST_NOTIFICATION = dt.date(2017, 1, 1)
MAX_ROWS = 10_000
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
# A cell a spreadsheet would run as a formula: "=..." or "+SUM(", "-HYPERLINK(", "@cmd(" (CSV injection).
_FORMULA = re.compile(r"^\s*(=|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*\()")
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u2013]|\d{1,2}[.)])\s+")


class Formula(str):
    """A spreadsheet cell that holds a formula, not a value (openpyxl gives its text, like '=A1+1')."""


class Column(enum.StrEnum):
    REFERENCE = "reference"
    NOTIFIED_ON = "notified_on"
    REVIEWER = "reviewer"
    ETHNIC_MINORITY = "ethnic_minority"
    AGE_BAND = "age_band"
    SETTING = "setting_type"
    SUMMARY = "summary"
    LEARNING = "learning"
    GOOD_PRACTICE = "good_practice"
    CONCERNS = "concerns"
    THEMES = "themes"


@dataclass(frozen=True)
class ColumnSpec:
    column: Column
    heading: str  # the heading docs/import.md and the sample file use
    aliases: tuple[str, ...]  # other headings the review platform's exports have used
    required: bool


COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(Column.REFERENCE, "Reference", ("review reference", "pseudonymised reference", "leder reference",
                                               "leder id"), True),
    ColumnSpec(Column.NOTIFIED_ON, "Notification date", ("notified on", "date notified", "date of notification",
                                                         "notified"), True),
    ColumnSpec(Column.REVIEWER, "Reviewer", ("reviewer email", "reviewer username", "reviewer name",
                                             "allocated reviewer"), True),
    ColumnSpec(Column.ETHNIC_MINORITY, "Ethnic minority", ("ethnicity flag", "ethnic minority background",
                                                           "from an ethnic minority"), True),
    ColumnSpec(Column.AGE_BAND, "Age band", ("age at death band", "age group"), True),
    ColumnSpec(Column.SETTING, "Setting", ("setting type", "type of setting", "place of care"), False),
    ColumnSpec(Column.SUMMARY, "Summary", ("review summary", "plain summary"), True),
    ColumnSpec(Column.LEARNING, "Areas of learning", ("learning", "learning points"), False),
    ColumnSpec(Column.GOOD_PRACTICE, "Good practice", ("areas of good practice", "examples of good practice"),
               False),
    ColumnSpec(Column.CONCERNS, "Areas of concern", ("concerns", "concern"), False),
    ColumnSpec(Column.THEMES, "Themes", ("learning themes", "theme"), False),
)
SPECS = {spec.column: spec for spec in COLUMNS}
FINDING_COLUMNS = {Column.LEARNING: FindingKind.LEARNING, Column.GOOD_PRACTICE: FindingKind.GOOD_PRACTICE,
                   Column.CONCERNS: FindingKind.CONCERN}
_TEXT_COLUMNS = (Column.SUMMARY, Column.SETTING, *FINDING_COLUMNS)


def _heading_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9+]+", " ", text.lower()).split())


_BY_HEADING = {_heading_key(name): spec.column for spec in COLUMNS for name in (spec.heading, *spec.aliases)}


class RowAction(enum.StrEnum):
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"


ACTION_WORDS = {RowAction.NEW: "New review", RowAction.UPDATE: "Update", RowAction.UNCHANGED: "Unchanged"}


@dataclass(frozen=True)
class Problem:
    """One thing to mend. `row` is the spreadsheet's row number (the headings are row 1); None: the file."""

    row: int | None
    column: str
    message: str


@dataclass(frozen=True)
class ReviewContent:
    """Everything an import sets on a review, in a form two imports (or the database) can compare."""

    notified_on: dt.date
    reviewer_id: int
    ethnic_minority: bool
    age_band: str
    setting_type: str
    summary: str
    findings: tuple[tuple[FindingKind, str, tuple[int, ...]], ...]  # kind, text, theme ids (sorted)


def numbered_findings(content: ReviewContent) -> list[tuple[FindingKind, str, int, tuple[int, ...]]]:
    """Each finding with its position among the findings of its kind (1, 2, …), as the review stores it."""
    positions: dict[FindingKind, int] = {}
    numbered = []
    for kind, text, theme_ids in content.findings:
        positions[kind] = positions.get(kind, 0) + 1
        numbered.append((kind, text, positions[kind], theme_ids))
    return numbered


@dataclass(frozen=True)
class ExistingReview:
    review_id: int
    status: ReviewStatus
    content: ReviewContent


@dataclass(frozen=True)
class KnownRecords:
    """What the database knows that the rows are checked against, all of the importer's own panel except
    `other_panels`, which holds only references (never another ICB's content)."""

    today: dt.date
    reviewers: Mapping[str, tuple[int, ...]]  # username, email and name, lower case -> reviewer ids
    themes: Mapping[str, int]  # active theme name, lower case -> id
    existing: Mapping[str, ExistingReview]  # this panel's reviews named in the file
    other_panels: frozenset[str]  # references in the file that another panel already holds


@dataclass(frozen=True)
class CheckedRow:
    row: int
    reference: str
    content: ReviewContent | None  # None when a problem stops the row being read
    action: RowAction | None
    problems: tuple[Problem, ...]
    review_id: int | None = None  # the existing review, for an update

    @property
    def clean(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class ImportCheck:
    rows: tuple[CheckedRow, ...] = ()
    file_problems: tuple[Problem, ...] = ()
    unused_headings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # said about the file, not problems: e.g. it was read as Windows text

    @property
    def problems(self) -> list[Problem]:
        return [*self.file_problems, *(p for row in self.rows for p in row.problems)]

    @property
    def clean_rows(self) -> list[CheckedRow]:
        return [row for row in self.rows if row.clean] if not self.file_problems else []

    @property
    def is_clean(self) -> bool:
        return not self.problems

    @property
    def rows_to_write(self) -> list[CheckedRow]:
        """The clean rows an import would write: new reviews and updates (unchanged ones are left alone)."""
        return [row for row in self.clean_rows if row.action != RowAction.UNCHANGED]

    def count(self, action: RowAction) -> int:
        return sum(1 for row in self.clean_rows if row.action == action)

    @property
    def rows_with_problems(self) -> int:
        return sum(1 for row in self.rows if row.problems)


# --- Headings ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeadingMatch:
    positions: dict[Column, int] = field(default_factory=dict)
    unused: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()


def _preview(cells: Sequence[object], limit: int = 4) -> str:
    shown = ", ".join(str(c) for c in cells[:limit] if str(c).strip())
    return shown[:120] + ("…" if len(shown) > 120 else "")


def match_headings(headings: Sequence[object]) -> HeadingMatch:
    """Which column is which, by its heading (case, spaces and punctuation ignored; documented aliases
    accepted). A first row with no known heading at all is said as a missing heading row."""
    positions: dict[Column, int] = {}
    unused: list[str] = []
    problems: list[Problem] = []
    for index, heading in enumerate(headings):
        text = str(heading).strip()
        column = _BY_HEADING.get(_heading_key(text))
        if column is None:
            if text:
                unused.append(text)
        elif column in positions:
            problems.append(Problem(None, SPECS[column].heading,
                                    f"Two columns are headed '{SPECS[column].heading}'. Keep one."))
        else:
            positions[column] = index
    if not positions:
        expected = ", ".join(spec.heading for spec in COLUMNS if spec.required)
        problems.append(Problem(None, "Headings", "The first row must be the column headings "
                                f"({expected}). It reads: {_preview(headings) or 'nothing'}."))
        return HeadingMatch(problems=tuple(problems))
    for spec in COLUMNS:
        if spec.required and spec.column not in positions:
            problems.append(Problem(None, spec.heading, f"There is no column headed '{spec.heading}'. "
                                    "docs/import.md lists the headings."))
    return HeadingMatch(positions, tuple(unused), tuple(problems))


# --- Cells ------------------------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def is_formula(value: object) -> bool:
    return isinstance(value, Formula) or (isinstance(value, str) and bool(_FORMULA.match(value)))


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%d/%m/%y")


def parse_date(value: object) -> dt.date | None:
    """A notification date as the platform or a spreadsheet writes it: a date cell, 2026-03-14,
    14/03/2026 (day first, as in the UK) or 14 March 2026. None if it is none of these."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def finding_lines(text: str) -> list[str]:
    """One finding per line of the cell; a leading bullet or number ('- ', '• ', '2. ') is dropped."""
    return [" ".join(_BULLET.sub("", line).split()) for line in text.split("\n") if line.strip()]


def theme_names(text: str) -> list[str]:
    return [" ".join(name.split()) for name in re.split(r"[;\n]", text) if name.strip()]


def _has_control_characters(text: str) -> bool:
    return any(ord(ch) < 32 and ch not in "\n\t" for ch in text)


# --- One row ----------------------------------------------------------------------------------------------


class _RowChecker:
    """Reads one row's cells into review content, collecting every problem rather than stopping at the first."""

    def __init__(self, row: int, cells: Mapping[Column, object], known: KnownRecords) -> None:
        self.row, self.cells, self.known = row, cells, known
        self.problems: list[Problem] = []

    def problem(self, column: Column, message: str) -> None:
        self.problems.append(Problem(self.row, SPECS[column].heading, message))

    def text(self, column: Column) -> str:
        return cell_text(self.cells.get(column))

    def required(self, column: Column) -> str:
        value = self.text(column)
        if not value:
            self.problem(column, f"{SPECS[column].heading} is empty.")
        return value

    def reference(self) -> str:
        value = self.required(Column.REFERENCE).upper()
        if value and not REFERENCE_PATTERN.fullmatch(value):
            self.problem(Column.REFERENCE, f"'{value[:40]}' is not a review reference: it must look like "
                         "LDR-2026-0147. Never use the person's name.")
        return value

    def notified_on(self) -> dt.date | None:
        raw = self.cells.get(Column.NOTIFIED_ON)
        if not cell_text(raw):
            self.problem(Column.NOTIFIED_ON, "Notification date is empty.")
            return None
        day = parse_date(raw)
        if day is None:
            self.problem(Column.NOTIFIED_ON, f"'{cell_text(raw)[:40]}' is not a date. Write it like 14/03/2026 "
                         "or 2026-03-14.")
        elif day > self.known.today:
            self.problem(Column.NOTIFIED_ON, f"{day:%d/%m/%Y} is in the future.")
        elif day < EARLIEST_NOTIFICATION:
            self.problem(Column.NOTIFIED_ON, f"{day:%d/%m/%Y} is before LeDeR began reviewing deaths "
                         "(2017). Is it a date of birth? Use the notification date.")
        else:
            return day
        return None

    def reviewer(self) -> int | None:
        value = self.required(Column.REVIEWER)
        if not value:
            return None
        matches = self.known.reviewers.get(value.lower(), ())
        if len(matches) == 1:
            return matches[0]
        if matches:
            self.problem(Column.REVIEWER, f"Two reviewers on your panel are called '{value}'. Use their "
                         "email address or username instead.")
        else:
            self.problem(Column.REVIEWER, f"'{value[:60]}' is not a reviewer on your panel. Use the email "
                         "address or username of someone with the reviewer role (People and roles).")
        return None

    def ethnic_minority(self) -> bool | None:
        value = self.required(Column.ETHNIC_MINORITY).lower()
        if value in _YES:
            return True
        if value in _NO:
            return False
        if value:
            self.problem(Column.ETHNIC_MINORITY, f"'{value[:20]}' should be yes or no.")
        return None

    def age_band(self) -> str:
        value = self.required(Column.AGE_BAND).replace(" ", "").replace("to", "-")
        value = "Under 18" if value.lower() in {"under18", "<18"} else value
        if value and value not in AGE_BANDS:
            self.problem(Column.AGE_BAND, f"'{self.text(Column.AGE_BAND)[:20]}' is not an age band. Use one "
                         f"of: {', '.join(AGE_BANDS)}.")
            return ""
        return value

    def free_text(self, column: Column, limit: int) -> str:
        value = " ".join(self.text(column).split()) if column != Column.SUMMARY else self.text(column)
        if len(value) > limit:
            self.problem(column, f"{SPECS[column].heading} is too long: at most {limit:,} characters "
                         f"(it has {len(value):,}).")
        return value

    def findings(self, theme_ids: tuple[int, ...]) -> list[tuple[FindingKind, str, tuple[int, ...]]]:
        found = []
        for column, kind in FINDING_COLUMNS.items():
            for line in finding_lines(self.text(column)):
                if len(line) > MAX_FINDING_CHARS:
                    self.problem(column, f"A finding is too long: at most {MAX_FINDING_CHARS} characters "
                                 f"a line (one line has {len(line):,}). Put each finding on its own line.")
                found.append((kind, line, theme_ids))
        return found

    def themes(self) -> tuple[int, ...]:
        ids = set()
        for name in theme_names(self.text(Column.THEMES)):
            theme_id = self.known.themes.get(name.lower())
            if theme_id is None:
                self.problem(Column.THEMES, f"'{name[:60]}' is not one of your panel's themes. Panel "
                             "settings lists them; separate two themes with a semicolon.")
            else:
                ids.add(theme_id)
        return tuple(sorted(ids))

    def screen_cells(self) -> None:
        """Formulas, hidden characters and personal data, in every cell that reaches the review."""
        for column, value in self.cells.items():
            if is_formula(value):
                self.problem(column, f"This cell holds a formula ({cell_text(value)[:30]}). Paste the value "
                             "instead: the import never runs formulas.")
            elif isinstance(value, str) and _has_control_characters(value):
                self.problem(column, "This cell has hidden control characters. Type it again rather than "
                             "pasting it.")
        for column in _TEXT_COLUMNS:
            for hit in find_identifiers(self.text(column)):
                self.problem(column, f"Possible personal data: {hit.message}")


def check_row(row: int, cells: Mapping[Column, object], known: KnownRecords) -> CheckedRow:
    checker = _RowChecker(row, cells, known)
    checker.screen_cells()
    if checker.problems and any(is_formula(v) for v in cells.values()):
        return CheckedRow(row, cell_text(cells.get(Column.REFERENCE)).upper(), None, None,
                          tuple(checker.problems))
    reference = checker.reference()
    notified_on, reviewer_id = checker.notified_on(), checker.reviewer()
    ethnic_minority, age_band = checker.ethnic_minority(), checker.age_band()
    setting = checker.free_text(Column.SETTING, MAX_WORD_CHARS)
    summary = checker.free_text(Column.SUMMARY, MAX_SUMMARY_CHARS)
    if not summary:
        checker.problem(Column.SUMMARY, "Summary is empty.")
    findings = checker.findings(checker.themes())
    if checker.problems or notified_on is None or reviewer_id is None or ethnic_minority is None:
        return CheckedRow(row, reference, None, None, tuple(checker.problems))
    content = ReviewContent(notified_on, reviewer_id, ethnic_minority, age_band, setting, summary,
                            tuple(findings))
    return _against_the_panel(row, reference, content, known)


def _against_the_panel(row: int, reference: str, content: ReviewContent, known: KnownRecords) -> CheckedRow:
    """New, unchanged or an update; refused for another ICB's reference or a signed-off review that would change."""
    heading = SPECS[Column.REFERENCE].heading
    if reference in known.other_panels:
        return CheckedRow(row, reference, content, None, (Problem(row, heading, (
            f"{reference} is a review of another ICB's panel. Nothing of it is read or changed: check this "
            "file is your ICB's export.")),))
    existing = known.existing.get(reference)
    if existing is None:
        return CheckedRow(row, reference, content, RowAction.NEW, ())
    if existing.content == content:
        return CheckedRow(row, reference, content, RowAction.UNCHANGED, (), existing.review_id)
    if existing.status == ReviewStatus.SIGNED_OFF:
        return CheckedRow(row, reference, content, None, (Problem(row, heading, (
            f"{reference} has been signed off, so the import cannot change it. If it must change, amend it on "
            "its review page: that makes a new version with a reason.")),), existing.review_id)
    return CheckedRow(row, reference, content, RowAction.UPDATE, (), existing.review_id)


# --- The whole file ---------------------------------------------------------------------------------------


def references_in(headings: Sequence[object], rows: Iterable[Sequence[object]]) -> set[str]:
    """The references the file names, so the caller reads only those reviews from the database."""
    position = match_headings(headings).positions.get(Column.REFERENCE)
    if position is None:
        return set()
    return {cell_text(cells[position]).upper() for cells in rows if position < len(cells)} - {""}


def _duplicates(rows: list[CheckedRow]) -> list[CheckedRow]:
    """A reference on two rows: both are problems, each naming the other row."""
    seen: dict[str, list[int]] = {}
    for row in rows:
        if row.reference:
            seen.setdefault(row.reference, []).append(row.row)
    checked = []
    for row in rows:
        others = [n for n in seen.get(row.reference, []) if n != row.row]
        if others:
            message = f"{row.reference} is also on row {', '.join(map(str, others))}. Keep one row per review."
            row = CheckedRow(row.row, row.reference, row.content, None,
                             (*row.problems, Problem(row.row, SPECS[Column.REFERENCE].heading, message)),
                             row.review_id)
        checked.append(row)
    return checked


def check_file(headings: Sequence[object], rows: Sequence[tuple[int, Sequence[object]]],
               known: KnownRecords, *, notes: Sequence[str] = ()) -> ImportCheck:
    """Every problem in the file, by row and column. `rows` holds (spreadsheet row number, cells); blank
    rows are left out by the reader."""
    match = match_headings(headings)
    if match.problems:  # without every column, each row would only repeat the same problem
        return ImportCheck(file_problems=match.problems, unused_headings=match.unused, notes=tuple(notes))
    file_problems = []
    if not rows:
        file_problems.append(Problem(None, "Rows", "The file has headings but no reviews below them."))
    if len(rows) > MAX_ROWS:
        file_problems.append(Problem(None, "Rows", f"The file has more than {MAX_ROWS:,} reviews, the most "
                                     "that can be imported at once. Split it, by quarter for example."))
        return ImportCheck(file_problems=tuple(file_problems), notes=tuple(notes))
    checked = [check_row(number, {column: cells[i] if i < len(cells) else None
                                  for column, i in match.positions.items()}, known)
               for number, cells in rows]
    return ImportCheck(tuple(_duplicates(checked)), tuple(file_problems), match.unused, tuple(notes))


# --- Saying it --------------------------------------------------------------------------------------------


def problem_line(problem: Problem) -> str:
    """'Row 3, Notification date: …', or for the file as a whole 'Headings: …'."""
    where = problem.column if problem.row is None else f"Row {problem.row}, {problem.column}"
    return f"{where}: {problem.message}"


def summary_sentence(check: ImportCheck) -> str:
    """What the file would do, in one sentence, for the page and the command line alike."""
    if check.file_problems:
        return f"The file cannot be imported as it is: {plural(len(check.file_problems), 'problem')} with the file."
    said = (f"{plural(len(check.rows), 'row')} checked: {check.count(RowAction.NEW)} new, "
            f"{check.count(RowAction.UPDATE)} to update, {check.count(RowAction.UNCHANGED)} unchanged")
    if check.rows_with_problems:
        said += (f"; {plural(check.rows_with_problems, 'row')} with {plural(len(check.problems), 'problem')}")
    return said + "."
