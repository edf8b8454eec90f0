"""Meetings, reviews and actions: each actor sees only their own ICB's records, in the page's order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from db.session import Database
from features.actions.actions import is_overdue, list_actions
from features.meetings.meetings import list_all_meetings_for_operator, list_meetings, next_meeting
from features.reviews.reviews import list_reviews
from rules.actors import Actor
from rules.errors import NotAllowed
from rules.vocabulary import ActionStatus, MeetingStatus
from tests.conftest import DEMO_TODAY


def test_meetings_are_per_icb_newest_first(db: Database, actor: Callable[[str], Actor]) -> None:
    with db.unit_of_work(read_only=True) as session:
        north = list_meetings(session=session, actor=actor("chair"))
        south = list_meetings(session=session, actor=actor("southchair"))
        everyone = list_all_meetings_for_operator(session=session)
    assert [m.status for m in north] == [
        MeetingStatus.PAPERS_CIRCULATED, MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED]
    assert len(south) == 1
    assert not {m.id for m in north} & {m.id for m in south}
    assert {m.id for m in everyone} == {m.id for m in north + south}
    assert {m.icb_code for m in everyone} == {"DEMO-N", "DEMO-S"}


def test_next_meeting_is_the_first_on_or_after_today(db: Database, actor: Callable[[str], Actor]) -> None:
    with db.unit_of_work(read_only=True) as session:
        upcoming = next_meeting(session=session, actor=actor("lived"), today=DEMO_TODAY)
        none_left = next_meeting(session=session, actor=actor("lived"), today=DEMO_TODAY + dt.timedelta(days=60))
    assert upcoming is not None and upcoming.date == DEMO_TODAY + dt.timedelta(days=14)
    assert none_left is None


def test_reviews_are_per_icb_with_finding_counts(db: Database, actor: Callable[[str], Actor]) -> None:
    with db.unit_of_work(read_only=True) as session:
        north = list_reviews(session=session, actor=actor("reviewer"), today=DEMO_TODAY)
        south = list_reviews(session=session, actor=actor("southchair"), today=DEMO_TODAY)
    assert len(north) == 12 and len(south) == 2
    assert all(r.reference.startswith(f"LDR-{DEMO_TODAY.year}-01") for r in north)
    assert all(r.reference.startswith(f"LDR-{DEMO_TODAY.year}-02") for r in south)
    assert all((r.learning_count, r.good_practice_count, r.concern_count) == (1, 1, 1) for r in north)
    assert any(r.ethnic_minority for r in north)


def test_observers_do_not_read_case_detail(db: Database, actor: Callable[[str], Actor]) -> None:
    with db.unit_of_work(read_only=True) as session:
        with pytest.raises(NotAllowed):
            list_reviews(session=session, actor=actor("observer"), today=DEMO_TODAY)
        with pytest.raises(NotAllowed):
            list_actions(session=session, actor=actor("observer"), today=DEMO_TODAY)


def test_actions_show_overdue_in_words(db: Database, actor: Callable[[str], Actor]) -> None:
    with db.unit_of_work(read_only=True) as session:
        actions = list_actions(session=session, actor=actor("chair"), today=DEMO_TODAY)
        south = list_actions(session=session, actor=actor("southchair"), today=DEMO_TODAY)
    assert len(actions) == 8 and south == []
    still_open = [a.due_on for a in actions if a.status in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)]
    assert [a.due_on for a in actions][:len(still_open)] == sorted(still_open)  # the order: test_actions.py
    assert any(a.overdue for a in actions)
    assert all(a.overdue == (a.due_on < DEMO_TODAY and a.status in (
        ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)) for a in actions)


@pytest.mark.parametrize(
    ("status", "days", "expected"),
    [
        (ActionStatus.NOT_STARTED, -1, True),
        (ActionStatus.IN_PROGRESS, -30, True),
        (ActionStatus.IN_PROGRESS, 0, False),
        (ActionStatus.NOT_STARTED, 5, False),
        (ActionStatus.COMPLETED, -30, False),
        (ActionStatus.CLOSED, -30, False),
    ],
)
def test_is_overdue(status: ActionStatus, days: int, expected: bool) -> None:
    today = dt.date(2026, 11, 23)
    assert is_overdue(status=status, due_on=today + dt.timedelta(days=days), today=today) is expected


def test_the_review_list_agrees_with_each_review_in_full(db: Database, actor: Callable[[str], Actor]) -> None:
    """The list reads only the columns it shows; its clock (pauses included) must match the one worked out
    from the whole review, and the status filter and the reference list must pick the same reviews."""
    from db.models import FocusedReview, ReviewPause
    from features.panel_settings.panels import panel_rules
    from features.reviews.reviews import (
        clock_for,
        count_reviews,
        load_review,
        review_choices,
        review_references,
    )
    from rules.vocabulary import PauseReason, ReviewStatus

    chair = actor("chair")
    with db.unit_of_work() as session:
        paused = (session.query(FocusedReview).filter_by(panel_id=chair.panel_id, finished_on=None)
                  .filter(FocusedReview.notified_on < DEMO_TODAY - dt.timedelta(days=60))
                  .order_by(FocusedReview.id).first())
        session.add(ReviewPause(review_id=paused.id, starts_on=DEMO_TODAY - dt.timedelta(days=40),
                                ends_on=DEMO_TODAY - dt.timedelta(days=10), reason=next(iter(PauseReason))))
    with db.unit_of_work(read_only=True) as session:
        listed = list_reviews(session=session, actor=chair, today=DEMO_TODAY)
        settings = panel_rules(session=session, panel_id=chair.panel_id).clock
        for row in listed:
            full = clock_for(load_review(session, chair, row.id), today=DEMO_TODAY, settings=settings)
            assert row.clock == full, row.reference
        ready = list_reviews(session=session, actor=chair, today=DEMO_TODAY, status=ReviewStatus.READY_FOR_PANEL)
        references = review_references(session=session, actor=chair)
        pages = [list_reviews(session=session, actor=chair, today=DEMO_TODAY, newest_first=True, offset=start,
                              limit=5) for start in range(0, len(listed), 5)]
        choices = review_choices(session=session, actor=chair)
        total = count_reviews(session=session, actor=chair)
    assert next(r for r in listed if r.id == paused.id).clock.paused_days > 0  # the pause was read
    assert ready and ready == [r for r in listed if r.status == ReviewStatus.READY_FOR_PANEL]
    assert references == {r.id: r.reference for r in listed}
    assert [r for page in pages for r in page] == listed[::-1] and total == len(listed)  # a page reads its own
    assert list(choices) == [r.id for r in listed[::-1]]
    assert choices[listed[0].id] == f"{listed[0].reference}: {listed[0].status_label}"


def test_meetings_come_a_page_or_a_status_at_a_time(db: Database, actor: Callable[[str], Actor]) -> None:
    from features.meetings.meetings import count_meetings

    chair = actor("chair")
    with db.unit_of_work(read_only=True) as session:
        everything = list_meetings(session=session, actor=chair)
        pages = [list_meetings(session=session, actor=chair, offset=start, limit=2)
                 for start in range(0, len(everything), 2)]
        upcoming = list_meetings(session=session, actor=chair, statuses=(MeetingStatus.PAPERS_CIRCULATED,))
        total = count_meetings(session=session, actor=chair)
    assert [m for page in pages for m in page] == everything and total == len(everything) == 3
    assert upcoming == [m for m in everything if m.status == MeetingStatus.PAPERS_CIRCULATED] != []
