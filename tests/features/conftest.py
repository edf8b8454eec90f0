"""Fixtures for running the demo's upcoming meeting in service tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from db.models import Meeting
from db.session import Database
from features.meetings.attendance import record_attendance
from features.meetings.meetings import advance_status, list_meetings
from features.meetings.room import mark_ready_for_vote, meeting_room, set_current_item
from features.reviews.comments import add_comment
from features.voting.voting import cast_vote, open_poll, poll_view, vote_options
from rules.actors import Actor
from rules.vocabulary import AgendaItemKind, AttendanceStatus, MeetingStatus
from tests.conftest import DEMO_TODAY

NOW = dt.datetime(2026, 12, 7, 10, 30, tzinfo=dt.UTC)
PRESENT = AttendanceStatus.PRESENT_IN_PERSON


@dataclass
class Room:
    db: Database
    actor: Callable[[str], Actor]
    meeting_id: int

    def room(self, who: str = "chair", item_id: int | None = None):
        with self.db.unit_of_work(read_only=True) as session:
            return meeting_room(session=session, actor=self.actor(who), meeting_id=self.meeting_id,
                                item_id=item_id, today=DEMO_TODAY)

    def user_id(self, username: str) -> int:
        return self.actor(username).user_id

    def attend(self, username: str, status: AttendanceStatus = PRESENT, deputy_for: str | None = None) -> None:
        with self.db.unit_of_work() as session:
            record_attendance(session=session, actor=self.actor("chair"), meeting_id=self.meeting_id,
                              user_id=self.user_id(username), status=status,
                              deputy_for_user_id=self.user_id(deputy_for) if deputy_for else None)

    def review_items(self) -> list:
        return [line for line in self.room().agenda if line.kind == AgendaItemKind.REVIEW]

    def go_to(self, item_id: int) -> None:
        with self.db.unit_of_work() as session:
            set_current_item(session=session, actor=self.actor("chair"), meeting_id=self.meeting_id,
                             item_id=item_id)

    def comment(self, username: str, review_id: int, body: str = "A view on this review.") -> None:
        with self.db.unit_of_work() as session:
            add_comment(session=session, actor=self.actor(username), review_id=review_id, body=body)

    def ready(self, item_id: int):
        version = next(line.version_id for line in self.room().agenda if line.id == item_id)
        with self.db.unit_of_work() as session:
            return mark_ready_for_vote(session=session, actor=self.actor("chair"), meeting_id=self.meeting_id,
                                       item_id=item_id, expected_version=version, now=NOW, today=DEMO_TODAY)


def _upcoming_id(db: Database, actor: Callable[[str], Actor]) -> int:
    with db.unit_of_work(read_only=True) as session:
        meetings = list_meetings(session=session, actor=actor("chair"))
    return next(m.id for m in meetings if m.status == MeetingStatus.PAPERS_CIRCULATED)


@pytest.fixture
def upcoming(db: Database, actor: Callable[[str], Actor]) -> Room:
    return Room(db, actor, _upcoming_id(db, actor))


@pytest.fixture
def started(upcoming: Room) -> Room:
    meeting = upcoming.room().meeting
    with upcoming.db.unit_of_work() as session:
        advance_status(session=session, actor=upcoming.actor("admin"), meeting_id=upcoming.meeting_id,
                       expected_version=meeting.version_id)
    for name in ("chair", "vicechair", "member", "member2", "lived", "emlead"):
        upcoming.attend(name)
    upcoming.attend("reviewer")
    upcoming.attend("observer")
    return upcoming




VOTERS = ("chair", "vicechair", "member", "member2", "lived", "emlead")


@pytest.fixture
def ready_item(started: Room) -> int:
    """The second review on the agenda (not ethnicity-flagged), made ready for the vote."""
    line = started.review_items()[1]
    started.go_to(line.id)
    started.ready(line.id)
    return line.id


def option_ids(room: Room) -> dict[str, int]:
    with room.db.unit_of_work(read_only=True) as session:
        return {o.code: o.id for o in vote_options(session=session, panel_id=room.actor("chair").panel_id)}


def open_vote(room: Room, item_id: int, anonymous: bool = False) -> int:
    with room.db.unit_of_work() as session:
        return open_poll(session=session, actor=room.actor("chair"), meeting_id=room.meeting_id, item_id=item_id,
                         now=NOW, today=DEMO_TODAY, anonymous=anonymous)


def vote(room: Room, poll_id: int, who: str, code: str, reason: str = "", **kwargs: object) -> None:
    with room.db.unit_of_work() as session:
        cast_vote(session=session, actor=room.actor(who), poll_id=poll_id, option_id=option_ids(room)[code],
                  reason=reason, now=NOW, **kwargs)


def view_vote(room: Room, item_id: int, who: str = "member"):
    with room.db.unit_of_work(read_only=True) as session:
        return poll_view(session=session, actor=room.actor(who), item_id=item_id)


def meeting_with_status(db: Database, status: MeetingStatus) -> int:
    """The first demo meeting (north's, made first) in this state."""
    with db.unit_of_work(read_only=True) as session:
        return session.scalars(select(Meeting.id).where(Meeting.status == status).order_by(Meeting.id)).first()
