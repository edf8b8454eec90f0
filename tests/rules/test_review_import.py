"""The import's pure rules: headings by name or alias, dates as the UK writes them, one finding a line,
formulas refused, and a row compared with what the panel already holds."""

from __future__ import annotations

import datetime as dt

import pytest

from rules.review_import import (
    Column,
    ExistingReview,
    Formula,
    KnownRecords,
    ReviewContent,
    RowAction,
    check_file,
    check_row,
    finding_lines,
    is_formula,
    match_headings,
    parse_date,
    theme_names,
)
from rules.vocabulary import FindingKind, ReviewStatus

TODAY = dt.date(2026, 11, 23)
KNOWN = KnownRecords(today=TODAY, reviewers={"reviewer@example.org": (7,), "sam lee": (7, 8)},
                     themes={"sepsis": 3, "epilepsy": 4}, existing={}, other_panels=frozenset())
CELLS: dict[Column, object] = {
    Column.REFERENCE: "ldr-2026-0601", Column.NOTIFIED_ON: "01/06/2026", Column.REVIEWER: "Reviewer@Example.org",
    Column.ETHNIC_MINORITY: "Yes", Column.AGE_BAND: "35 to 44", Column.SETTING: "Hospital",
    Column.SUMMARY: "A fictional summary.", Column.LEARNING: "- One.\n2. Two.", Column.THEMES: "Sepsis; epilepsy",
}


def test_headings_are_matched_by_name_or_alias_ignoring_case_and_punctuation() -> None:
    match = match_headings(["LeDeR ID", "date_notified", "Reviewer email", "Ethnicity flag", "AGE BAND",
                            "Review summary", "Notes"])
    assert match.positions == {Column.REFERENCE: 0, Column.NOTIFIED_ON: 1, Column.REVIEWER: 2,
                               Column.ETHNIC_MINORITY: 3, Column.AGE_BAND: 4, Column.SUMMARY: 5}
    assert match.unused == ("Notes",) and match.problems == ()


def test_a_heading_twice_is_a_problem() -> None:
    assert match_headings(["Reference", "Review reference"]).problems[0].message == (
        "Two columns are headed 'Reference'. Keep one.")


@pytest.mark.parametrize(("text", "day"), [
    ("14/03/2026", dt.date(2026, 3, 14)), ("2026-03-14", dt.date(2026, 3, 14)), ("14 March 2026", dt.date(2026, 3, 14)),
    ("14 Mar 2026", dt.date(2026, 3, 14)), (dt.datetime(2026, 3, 14, 0, 0), dt.date(2026, 3, 14)),
    ("03/14/2026", None), ("soon", None),
])
def test_dates_are_read_day_first(text: object, day: dt.date | None) -> None:
    assert parse_date(text) == day


def test_each_line_of_a_cell_is_one_finding_and_bullets_go() -> None:
    assert finding_lines("- First.\n\n• Second.\n3) Third.\n  1. Fourth  point.") == [
        "First.", "Second.", "Third.", "Fourth point."]
    assert theme_names("Sepsis; Epilepsy\nSTOMP;") == ["Sepsis", "Epilepsy", "STOMP"]


@pytest.mark.parametrize(("value", "formula"), [
    ("=SUM(A1:A3)", True), ("+HYPERLINK(\"x\")", True), ("@cmd(1)", True), ("-  IMPORTXML(x)", True),
    (Formula("=A1"), True), ("- a finding written as a bullet", False), ("+2 more visits", False), ("", False),
])
def test_formulas_are_recognised_but_bullets_are_not(value: object, formula: bool) -> None:
    assert is_formula(value) is formula


def test_a_good_row_is_read_into_review_content() -> None:
    row = check_row(2, CELLS, KNOWN)
    assert row.problems == () and row.action == RowAction.NEW and row.reference == "LDR-2026-0601"
    findings = ((FindingKind.LEARNING, "One.", (3, 4)), (FindingKind.LEARNING, "Two.", (3, 4)))
    assert row.content == ReviewContent(dt.date(2026, 6, 1), 7, True, "35-44", "Hospital", "A fictional summary.",
                                        findings)


def test_every_problem_in_a_row_is_collected_not_only_the_first() -> None:
    bad = {**CELLS, Column.NOTIFIED_ON: "01/06/2027", Column.REVIEWER: "Sam Lee", Column.ETHNIC_MINORITY: "maybe",
           Column.AGE_BAND: "40", Column.SUMMARY: ""}
    messages = [(p.column, p.message.split(".")[0]) for p in check_row(5, bad, KNOWN).problems]
    assert messages == [
        ("Notification date", "01/06/2027 is in the future"),
        ("Reviewer", "Two reviewers on your panel are called 'Sam Lee'"),
        ("Ethnic minority", "'maybe' should be yes or no"),
        ("Age band", "'40' is not an age band"),
        ("Summary", "Summary is empty"),
    ]


def test_a_date_before_leder_began_is_asked_about() -> None:
    problem = check_row(2, {**CELLS, Column.NOTIFIED_ON: "03/04/1970"}, KNOWN).problems[0]
    assert problem.message == "03/04/1970 is before LeDeR began reviewing deaths (2017). Is it a date of birth? " \
                              "Use the notification date."


def test_a_row_equal_to_the_review_is_unchanged_and_a_changed_signed_off_one_refused() -> None:
    content = check_row(2, CELLS, KNOWN).content
    assert content is not None
    for status, changed, expected in [(ReviewStatus.SIGNED_OFF, False, RowAction.UNCHANGED),
                                      (ReviewStatus.READY_FOR_PANEL, True, RowAction.UPDATE),
                                      (ReviewStatus.SIGNED_OFF, True, None)]:
        held = content if not changed else ReviewContent(*[*vars(content).values()][:5], "Older summary.",
                                                         content.findings)
        known = KnownRecords(TODAY, KNOWN.reviewers, KNOWN.themes, {"LDR-2026-0601": ExistingReview(9, status, held)},
                             frozenset())
        assert check_row(2, CELLS, known).action == expected


def test_too_many_rows_are_refused_before_any_is_checked() -> None:
    headings = ["Reference", "Notification date", "Reviewer", "Ethnic minority", "Age band", "Summary"]
    rows = [(n, ("LDR-2026-0001",)) for n in range(2, 10_003)]
    checked = check_file(headings, rows, KNOWN)
    assert checked.rows == () and checked.file_problems[0].message.startswith(
        "The file has more than 10,000 reviews")
