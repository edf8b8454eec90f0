"""Reporting periods: the NHS financial year (April to March) that annual reports use, or a calendar year,
and their quarters. A year with nothing to show is said in words, never drawn as an empty chart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rules.errors import Invalid

FIRST_FINANCIAL_MONTH = 4  # April


@dataclass(frozen=True)
class Period:
    start: dt.date  # first day
    end: dt.date  # last day, included
    label: str

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def financial_year_label(year: int) -> str:
    """'2026/27' for the financial year that starts in April 2026."""
    return f"{year}/{(year + 1) % 100:02d}"


def financial_year_of(day: dt.date) -> int:
    """The year the financial year holding `day` starts in: 2027 for May 2027, 2026 for March 2027."""
    return day.year if day.month >= FIRST_FINANCIAL_MONTH else day.year - 1


def financial_year(year: int) -> Period:
    """The financial year that starts in April of `year`: 2026 is 1 April 2026 to 31 March 2027, '2026/27'."""
    return Period(dt.date(year, FIRST_FINANCIAL_MONTH, 1), dt.date(year + 1, FIRST_FINANCIAL_MONTH, 1)
                  - dt.timedelta(days=1), financial_year_label(year))


def calendar_year(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))


def quarters(period: Period) -> list[Period]:
    """The four quarters of a year-long period, labelled 'Q1 (Apr to Jun 2026)'."""
    result: list[Period] = []
    start = period.start
    for number in range(1, 5):
        month = start.month + 3
        following = dt.date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        end = following - dt.timedelta(days=1)
        result.append(Period(start, end, f"Q{number} ({start:%b} to {end:%b %Y})"))
        start = following
    return result


def report_period(year: int, *, calendar: bool, today: dt.date, records_begin: dt.date | None) -> Period:
    """The year asked for, or Invalid saying why there is nothing to show for it: a year that has not
    started, or one that ended before the panel's first record."""
    if not 2000 <= year <= 2100:
        raise Invalid(f"{year} is not a year the report can cover. Give a year such as {today.year}.")
    period = calendar_year(year) if calendar else financial_year(year)
    kind = "year " if calendar else "financial year "
    if period.start > today:
        raise Invalid(f"There is nothing to show for the {kind}{period.label}: it has not started yet.")
    if records_begin is None:
        raise Invalid(f"There is nothing to show for the {kind}{period.label}: the panel has no reviews yet.")
    if period.end < records_begin:
        raise Invalid(f"There is nothing to show for the {kind}{period.label}: the panel's records begin on "
                      f"{records_begin.day} {records_begin:%B %Y}.")
    return period
