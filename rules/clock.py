"""The 6-month review clock. Days while another process runs (inquest, police, safeguarding) do not count.

Status is given in words as well as a rating, so colour is never the only signal.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta


class Rating(enum.StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


@dataclass(frozen=True)
class PausePeriod:
    starts_on: dt.date
    ends_on: dt.date | None  # None: still paused
    reason_label: str = ""


@dataclass(frozen=True)
class ClockSettings:
    target_months: int = 6
    amber_within_days: int = 30


@dataclass(frozen=True)
class ReviewClock:
    elapsed_days: int
    paused_days: int
    due_on: dt.date
    days_left: int
    rating: Rating
    label: str
    paused_now: bool
    finished: bool


def paused_days_between(pauses: Sequence[PausePeriod], start: dt.date, end: dt.date) -> int:
    """Calendar days in [start, end) covered by any pause; a pause includes its last day."""
    covered: set[dt.date] = set()
    for pause in pauses:
        last = min(pause.ends_on or end, end - dt.timedelta(days=1))
        first = max(pause.starts_on, start)
        day = first
        while day <= last:
            covered.add(day)
            day += dt.timedelta(days=1)
    return len(covered)


def review_clock(
    *, notified_on: dt.date, pauses: Sequence[PausePeriod], today: dt.date,
    finished_on: dt.date | None = None, settings: ClockSettings = ClockSettings(),
) -> ReviewClock:
    """Where a review stands against its target, counting only unpaused days."""
    end = finished_on or today
    paused = paused_days_between(pauses, notified_on, end)
    elapsed = max(0, (end - notified_on).days - paused)
    due_on = notified_on + relativedelta(months=settings.target_months) + dt.timedelta(days=paused)
    days_left = (due_on - end).days
    open_pause = next((p for p in pauses if p.ends_on is None and p.starts_on <= today), None)
    if finished_on is not None:
        on_time = days_left >= 0
        rating = Rating.GREEN if on_time else Rating.RED
        label = "Finished within target" if on_time else "Finished late"
    elif days_left < 0:
        rating, label = Rating.RED, "Overdue"
    elif days_left <= settings.amber_within_days:
        rating, label = Rating.AMBER, f"Due within {settings.amber_within_days} days"
    else:
        rating, label = Rating.GREEN, "On track"
    if open_pause is not None and finished_on is None:
        label += f" (paused{': ' + open_pause.reason_label if open_pause.reason_label else ''})"
    return ReviewClock(
        elapsed_days=elapsed,
        paused_days=paused,
        due_on=due_on,
        days_left=days_left,
        rating=rating,
        label=label,
        paused_now=open_pause is not None and finished_on is None,
        finished=finished_on is not None,
    )
