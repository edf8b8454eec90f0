"""What the minutes page asks, one function per intent: where the minutes are, each step of writing,
circulating, approving and correcting them, and the documents. Each opens and commits its own unit of
work (rolled back if anything raises), so no page or component holds a session."""

from __future__ import annotations

import datetime as dt

from db.session import Database
from features.minutes.easy_read import EasyReadMinutes, build_easy_read_minutes
from features.minutes.minutes import Minutes
from features.minutes.workflow import (
    MinutesState,
    NarrativeRow,
    approve_minutes,
    circulate_minutes,
    comment_on_minutes,
    correct_minutes,
    minutes_for_export,
    minutes_state,
    save_narrative,
)
from rules.actors import Actor
from rules.vocabulary import ApprovalRoute


def minutes_progress(db: Database, *, actor: Actor, meeting_id: int) -> MinutesState:
    with db.unit_of_work(read_only=True) as session:
        return minutes_state(session=session, actor=actor, meeting_id=meeting_id)


def write_minute(db: Database, *, actor: Actor, row: NarrativeRow, text: str) -> None:
    """The secretariat's narrative for one item, refused if someone saved it since it was read."""
    with db.unit_of_work() as session:
        save_narrative(session=session, actor=actor, item_id=row.item_id, text=text,
                       expected_version=row.version_id, now=dt.datetime.now(dt.UTC))


def circulate(db: Database, *, actor: Actor, state: MinutesState) -> None:
    with db.unit_of_work() as session:
        circulate_minutes(session=session, actor=actor, meeting_id=state.meeting_id,
                          expected_version=state.version_id, now=dt.datetime.now(dt.UTC))


def comment_on_draft(db: Database, *, actor: Actor, state: MinutesState, body: str) -> None:
    with db.unit_of_work() as session:
        comment_on_minutes(session=session, actor=actor, meeting_id=state.meeting_id, body=body,
                           now=dt.datetime.now(dt.UTC))


def approve(db: Database, *, actor: Actor, state: MinutesState, route: ApprovalRoute,
            at_meeting_id: int | None) -> None:
    with db.unit_of_work() as session:
        approve_minutes(session=session, actor=actor, meeting_id=state.meeting_id, route=route,
                        at_meeting_id=at_meeting_id if route == ApprovalRoute.AT_MEETING else None,
                        expected_version=state.version_id, now=dt.datetime.now(dt.UTC))


def correct(db: Database, *, actor: Actor, state: MinutesState, section_key: str, narrative: str,
            reason: str) -> None:
    with db.unit_of_work() as session:
        correct_minutes(session=session, actor=actor, meeting_id=state.meeting_id, section_key=section_key,
                        narrative=narrative, reason=reason, expected_version=state.latest_version,
                        now=dt.datetime.now(dt.UTC))


def minutes_to_export(db: Database, *, actor: Actor, meeting_id: int) -> Minutes:
    """The minutes as they leave the app (Invalid, in words, if they cannot yet)."""
    with db.unit_of_work(read_only=True) as session:
        return minutes_for_export(session=session, actor=actor, meeting_id=meeting_id, today=dt.date.today())


def easy_read_minutes(db: Database, *, actor: Actor, meeting_id: int) -> EasyReadMinutes:
    with db.unit_of_work(read_only=True) as session:
        return build_easy_read_minutes(session=session, actor=actor, meeting_id=meeting_id, today=dt.date.today())
