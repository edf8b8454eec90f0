"""Dates and times as people in England write them; shared by pages, minutes and exports."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def long_date(day: dt.date) -> str:
    """'Monday 7 December 2026': the day name helps people who plan by weekday."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def clock_time(moment: dt.time | None) -> str:
    """'10am', '2:30pm' (NHS style guide); empty when no time is set."""
    if moment is None:
        return ""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


UK = ZoneInfo("Europe/London")


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A moment as an aware UTC value, whether it came from PostgreSQL (aware) or SQLite (naive UTC), so
    moments from either compare; what is stored is converted with this first."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def uk_moment(day: dt.date, time: dt.time) -> dt.datetime:
    """A day and a clock time as people in England mean them (GMT or BST), as an aware UTC moment."""
    return dt.datetime.combine(day, time, tzinfo=UK).astimezone(dt.UTC)


def uk_time(moment: dt.datetime) -> dt.datetime:
    """A stored moment in the UK's local time (GMT or BST). SQLite hands back naive UTC values."""
    return as_utc(moment).astimezone(UK)


def when(moment: dt.datetime) -> str:
    """'Monday 23 November 2026 at 5:16pm', in UK time."""
    local = uk_time(moment)
    return f"{long_date(local.date())} at {clock_time(local.time())}"


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 chart', '4 charts', '2 entries' (given `many`)."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"
