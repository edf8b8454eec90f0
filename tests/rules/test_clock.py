"""The 6-month clock: pauses stop it, edges count once, and the words match the rating."""

from __future__ import annotations

import datetime as dt

import pytest

from rules.clock import ClockSettings, PausePeriod, Rating, paused_days_between, review_clock

D = dt.date


def test_no_pauses_counts_calendar_days() -> None:
    clock = review_clock(notified_on=D(2026, 1, 1), pauses=[], today=D(2026, 3, 1))
    assert clock.elapsed_days == 59
    assert clock.due_on == D(2026, 7, 1)
    assert (clock.rating, clock.label) == (Rating.GREEN, "On track")


def test_a_closed_pause_moves_the_due_date_by_its_length() -> None:
    pause = PausePeriod(D(2026, 2, 1), D(2026, 2, 10), "Coroner's inquest")
    clock = review_clock(notified_on=D(2026, 1, 1), pauses=[pause], today=D(2026, 3, 1))
    assert clock.paused_days == 10  # 1 to 10 February, both days included
    assert clock.elapsed_days == 49
    assert clock.due_on == D(2026, 7, 11)
    assert not clock.paused_now


def test_an_open_pause_runs_until_today_and_is_named() -> None:
    pause = PausePeriod(D(2026, 2, 20), None, "Police investigation")
    clock = review_clock(notified_on=D(2026, 1, 1), pauses=[pause], today=D(2026, 3, 1))
    assert clock.paused_days == 9  # 20 to 28 February; today is not yet counted
    assert clock.paused_now
    assert clock.label == "On track (paused: Police investigation)"


def test_overlapping_days_are_counted_once() -> None:
    pauses = [PausePeriod(D(2026, 2, 1), D(2026, 2, 10)), PausePeriod(D(2026, 2, 5), D(2026, 2, 12))]
    assert paused_days_between(pauses, D(2026, 1, 1), D(2026, 3, 1)) == 12


def test_pause_outside_the_window_counts_nothing() -> None:
    pauses = [PausePeriod(D(2025, 12, 1), D(2025, 12, 31)), PausePeriod(D(2026, 4, 1), None)]
    assert paused_days_between(pauses, D(2026, 1, 1), D(2026, 3, 1)) == 0


@pytest.mark.parametrize(
    ("today", "rating", "label"),
    [
        (D(2026, 5, 31), Rating.GREEN, "On track"),       # 31 days left
        (D(2026, 6, 1), Rating.AMBER, "Due within 30 days"),  # 30 days left: amber starts here
        (D(2026, 7, 1), Rating.AMBER, "Due within 30 days"),  # due today
        (D(2026, 7, 2), Rating.RED, "Overdue"),
    ],
)
def test_rating_edges(today: dt.date, rating: Rating, label: str) -> None:
    clock = review_clock(notified_on=D(2026, 1, 1), pauses=[], today=today)
    assert (clock.rating, clock.label) == (rating, label)


def test_thresholds_are_settings() -> None:
    settings = ClockSettings(target_months=3, amber_within_days=10)
    clock = review_clock(notified_on=D(2026, 1, 1), pauses=[], today=D(2026, 3, 25), settings=settings)
    assert clock.due_on == D(2026, 4, 1)
    assert clock.label == "Due within 10 days"


def test_month_end_notification_uses_calendar_months() -> None:
    clock = review_clock(notified_on=D(2026, 8, 31), pauses=[], today=D(2026, 9, 1))
    assert clock.due_on == D(2027, 2, 28)


@pytest.mark.parametrize(("finished", "label", "rating"),
                         [(D(2026, 6, 30), "Finished within target", Rating.GREEN),
                          (D(2026, 7, 2), "Finished late", Rating.RED)])
def test_finished_reviews_stop_the_clock(finished: dt.date, label: str, rating: Rating) -> None:
    clock = review_clock(notified_on=D(2026, 1, 1), pauses=[PausePeriod(D(2026, 8, 1), None)],
                         today=D(2026, 12, 1), finished_on=finished)
    assert (clock.label, clock.rating, clock.finished, clock.paused_now) == (label, rating, True, False)
