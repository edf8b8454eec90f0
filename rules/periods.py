"""Reporting periods: the NHS financial year (April to March) that annual reports use, or a calendar year,
and their quarters. A year with nothing to show is said in words, never drawn as an empty chart. Also the
span between two meetings, which decides the minutes that list a decision by circulation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rules.errors import Invalid
from rules.formatting import as_utc, uk_moment

FIRST_FINANCIAL_MONTH = 4  # April
MAX_RANGE_MONTHS = 36  # a range of dates chosen covers at most the 3 years of the action plan


@dataclass(frozen=True)
class Period:
    start: dt.date  # first day
    end: dt.date  # last day, included
    label: str
    short: str = ""  # a quarter's name on a chart's axis: "Q1", or "Apr to Jun 2026" in a range of dates
    whole_year: bool = False  # a financial or calendar year, whose quarters are numbered

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def in_words(self) -> str:
        """'the financial year 2026/27', 'the year 2026', or a range's dates: what a sentence calls it."""
        if not self.whole_year:
            return self.label
        return f"{'the financial year' if self.start.month == FIRST_FINANCIAL_MONTH else 'the year'} {self.label}"


def financial_year_label(year: int) -> str:
    """'2026/27' for the financial year that starts in April 2026."""
    return f"{year}/{(year + 1) % 100:02d}"


def financial_year_of(day: dt.date) -> int:
    """The year the financial year holding `day` starts in: 2027 for May 2027, 2026 for March 2027."""
    return day.year if day.month >= FIRST_FINANCIAL_MONTH else day.year - 1


def financial_year(year: int) -> Period:
    """The financial year that starts in April of `year`: 2026 is 1 April 2026 to 31 March 2027, '2026/27'."""
    return Period(dt.date(year, FIRST_FINANCIAL_MONTH, 1), dt.date(year + 1, FIRST_FINANCIAL_MONTH, 1)
                  - dt.timedelta(days=1), financial_year_label(year), whole_year=True)


def calendar_year(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year), whole_year=True)


def _next_quarter_start(day: dt.date) -> dt.date:
    """The first day of the next quarter (quarters begin in January, April, July and October)."""
    month = (day.month - 1) // 3 * 3 + 4
    return dt.date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def quarters(period: Period) -> list[Period]:
    """The quarters of a period: for a year, four labelled 'Q1 (Apr to Jun 2026)'; for a range of dates
    chosen, the quarters it touches, cut to the range and labelled by their months."""
    result: list[Period] = []
    start = period.start
    while start <= period.end:
        end = min(_next_quarter_start(start) - dt.timedelta(days=1), period.end)
        months = f"{start:%b} to {end:%b %Y}" if start.month != end.month else f"{start:%b %Y}"
        if period.whole_year:
            number = len(result) + 1
            result.append(Period(start, end, f"Q{number} ({months})", f"Q{number}"))
        else:
            result.append(Period(start, end, months, months))
        start = end + dt.timedelta(days=1)
    return result


def date_range(start: dt.date, end: dt.date, *, today: dt.date, records_begin: dt.date | None) -> Period:
    """A range of dates chosen on the page, or Invalid saying why there is nothing to show for it."""
    label = f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"
    if end < start:
        raise Invalid(f"The range ends ({end.day} {end:%B %Y}) before it starts ({start.day} {start:%B %Y}). "
                      "Choose an end on or after the start.")
    if (end.year - start.year) * 12 + end.month - start.month >= MAX_RANGE_MONTHS:
        raise Invalid(f"{label} is longer than {MAX_RANGE_MONTHS // 12} years, the length of the action plan. "
                      "Choose a shorter range.")
    if start > today:
        raise Invalid(f"There is nothing to show for {label}: it has not started yet.")
    if records_begin is None:
        raise Invalid(f"There is nothing to show for {label}: the panel has no reviews yet.")
    if end < records_begin:
        raise Invalid(f"There is nothing to show for {label}: the panel's records begin on "
                      f"{records_begin.day} {records_begin:%B %Y}.")
    return Period(start, end, label)


def report_period(year: int, *, calendar: bool, today: dt.date, records_begin: dt.date | None) -> Period:
    """The year asked for, or Invalid saying why there is nothing to show for it: a year that has not
    started, or one that ended before the panel's first record."""
    if not 2000 <= year <= 2100:
        raise Invalid(f"{year} is not a year the report can cover. Give a year such as {today.year}.")
    period = calendar_year(year) if calendar else financial_year(year)
    if period.start > today:
        raise Invalid(f"There is nothing to show for {period.in_words}: it has not started yet.")
    if records_begin is None:
        raise Invalid(f"There is nothing to show for {period.in_words}: the panel has no reviews yet.")
    if period.end < records_begin:
        raise Invalid(f"There is nothing to show for {period.in_words}: the panel's records begin on "
                      f"{records_begin.day} {records_begin:%B %Y}.")
    return period


END_OF_DAY = dt.time(23, 59, 59, 999999)


def meeting_began(day: dt.date, start: dt.time | None) -> dt.datetime:
    """When a meeting began, as a UTC moment: its day and start time in UK time. A meeting with no time is
    taken to begin at the end of its day, so whatever was decided that day comes before it."""
    return uk_moment(day, start or END_OF_DAY)


def decided_since_last_meeting(decided_at: dt.datetime, previous: dt.datetime | None, this: dt.datetime) -> bool:
    """Whether a decision by circulation belongs in this meeting's minutes: decided after the previous
    meeting began and by the time this one began. So each decision is listed in exactly one meeting's
    minutes, even when a circulation closes on the afternoon of a meeting day."""
    moment = as_utc(decided_at)
    return (previous is None or moment > as_utc(previous)) and moment <= as_utc(this)
