"""Reporting periods: the financial year, its quarters, and a year with nothing to show said in words."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from rules.errors import Invalid
from rules.periods import (
    calendar_year,
    date_range,
    decided_since_last_meeting,
    financial_year,
    financial_year_label,
    financial_year_of,
    meeting_began,
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


def test_calendar_quarters_are_numbered_from_january() -> None:
    assert [q.short for q in quarters(calendar_year(2025))] == ["Q1", "Q2", "Q3", "Q4"]
    assert quarters(calendar_year(2025))[0].label == "Q1 (Jan to Mar 2025)"


def test_a_range_of_dates_is_cut_into_the_quarters_it_touches() -> None:
    """10 Feb to 3 Aug 2026 touches Jan-Mar (from 10 Feb), Apr-Jun and Jul-Sep (to 3 Aug), with no gaps."""
    chosen = date_range(dt.date(2026, 2, 10), dt.date(2026, 8, 3), today=TODAY, records_begin=dt.date(2021, 5, 3))
    parts = quarters(chosen)
    assert [(q.start, q.end) for q in parts] == [(dt.date(2026, 2, 10), dt.date(2026, 3, 31)),
                                                 (dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
                                                 (dt.date(2026, 7, 1), dt.date(2026, 8, 3))]
    assert [q.short for q in parts] == ["Feb to Mar 2026", "Apr to Jun 2026", "Jul to Aug 2026"]
    assert chosen.label == "10 February 2026 to 3 August 2026" and not chosen.whole_year


def test_a_range_within_one_month_is_one_part() -> None:
    parts = quarters(date_range(dt.date(2026, 5, 2), dt.date(2026, 5, 20), today=TODAY,
                                records_begin=dt.date(2021, 5, 3)))
    assert [(q.label, q.start, q.end) for q in parts] == [("May 2026", dt.date(2026, 5, 2), dt.date(2026, 5, 20))]


@pytest.mark.parametrize(("start", "end", "message"), [
    (dt.date(2026, 6, 1), dt.date(2026, 5, 1), "ends .* before it starts"),
    (dt.date(2022, 1, 1), dt.date(2025, 1, 1), "longer than 3 years"),
    (dt.date(2027, 1, 1), dt.date(2027, 2, 1), "it has not started yet"),
    (dt.date(2019, 1, 1), dt.date(2020, 1, 1), "records begin on 3 May 2021"),
])
def test_a_range_with_nothing_to_show_is_said_in_words(start: dt.date, end: dt.date, message: str) -> None:
    with pytest.raises(Invalid, match=message):
        date_range(start, end, today=TODAY, records_begin=dt.date(2021, 5, 3))


def test_a_range_of_three_years_less_a_day_is_allowed() -> None:
    chosen = date_range(dt.date(2023, 4, 1), dt.date(2026, 3, 31), today=TODAY, records_begin=dt.date(2021, 5, 3))
    assert len(quarters(chosen)) == 12


def test_a_meeting_begins_at_its_uk_start_time_or_else_at_the_end_of_its_day() -> None:
    assert meeting_began(dt.date(2026, 7, 1), dt.time(10, 0)) == dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC)  # BST
    assert meeting_began(dt.date(2026, 12, 1), dt.time(10, 0)) == dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)
    assert meeting_began(dt.date(2026, 12, 1), None) == dt.datetime(2026, 12, 1, 23, 59, 59, 999999, tzinfo=dt.UTC)


def test_a_decision_by_circulation_is_listed_by_the_first_meeting_to_begin_after_it() -> None:
    previous = meeting_began(dt.date(2026, 11, 3), dt.time(10, 0))
    this = meeting_began(dt.date(2026, 12, 1), dt.time(10, 0))
    same_afternoon = dt.datetime(2026, 11, 3, 15, 0, tzinfo=dt.UTC)  # after the previous meeting began
    that_morning = dt.datetime(2026, 11, 3, 8, 0, tzinfo=dt.UTC)  # before it: that meeting lists it
    assert decided_since_last_meeting(same_afternoon, previous, this)
    assert not decided_since_last_meeting(that_morning, previous, this)
    assert decided_since_last_meeting(that_morning, None, previous)  # and so exactly one meeting lists each
    assert decided_since_last_meeting(this, previous, this)  # decided the moment it began: still this one
    assert not decided_since_last_meeting(this + dt.timedelta(seconds=1), previous, this)
    naive_utc = dt.datetime(2026, 11, 3, 15, 0)  # as SQLite hands it back
    assert decided_since_last_meeting(naive_utc, previous, this)
