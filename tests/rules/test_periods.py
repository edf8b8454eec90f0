"""Reporting periods: the financial year, its quarters, and a year with nothing to show said in words."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from rules.errors import Invalid
from rules.periods import (
    calendar_year,
    financial_year,
    financial_year_label,
    financial_year_of,
    quarters,
    report_period,
)

TODAY = dt.date(2026, 12, 7)


def test_the_financial_year_runs_april_to_march() -> None:
    year = financial_year(2026)
    assert (year.start, year.end, year.label) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31), "2026/27")
    assert year.holds(dt.date(2027, 3, 31)) and not year.holds(dt.date(2027, 4, 1))


def test_a_financial_year_has_four_quarters_that_cover_it_without_gaps() -> None:
    parts = quarters(financial_year(2026))
    assert [q.label for q in parts] == ["Q1 (Apr to Jun 2026)", "Q2 (Jul to Sep 2026)", "Q3 (Oct to Dec 2026)",
                                        "Q4 (Jan to Mar 2027)"]
    assert parts[0].start == dt.date(2026, 4, 1) and parts[-1].end == dt.date(2027, 3, 31)
    assert all(b.start - a.end == dt.timedelta(days=1) for a, b in itertools.pairwise(parts))


def test_calendar_quarters() -> None:
    parts = quarters(calendar_year(2025))
    assert (parts[0].start, parts[0].end) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert (parts[3].start, parts[3].end) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))


@pytest.mark.parametrize(("year", "calendar", "message"), [
    (2027, False, "nothing to show for the financial year 2027/28: it has not started yet"),
    (2027, True, "nothing to show for the year 2027: it has not started yet"),
    (2019, False, "records begin on 3 May 2021"),
    (1066, False, "1066 is not a year the report can cover"),
])
def test_a_year_with_nothing_to_show_is_said_in_words(year: int, calendar: bool, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        report_period(year, calendar=calendar, today=TODAY, records_begin=dt.date(2021, 5, 3))


def test_a_panel_with_no_reviews_has_nothing_to_show() -> None:
    with pytest.raises(Invalid, match="the panel has no reviews yet"):
        report_period(2026, calendar=False, today=TODAY, records_begin=None)


def test_the_year_under_way_can_be_reported() -> None:
    assert report_period(2026, calendar=False, today=TODAY, records_begin=dt.date(2021, 5, 3)).label == "2026/27"


@pytest.mark.parametrize(("day", "year"), [(dt.date(2027, 3, 31), 2026), (dt.date(2027, 4, 1), 2027),
                                           (dt.date(2026, 12, 7), 2026)])
def test_the_financial_year_a_day_falls_in(day: dt.date, year: int) -> None:
    assert financial_year_of(day) == year and financial_year(year).holds(day)
    assert financial_year_label(year) == financial_year(year).label
