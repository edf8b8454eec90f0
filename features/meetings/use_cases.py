"""What the meetings and meeting-room pages ask, one function per intent: planning a meeting and its
agenda, running it (attendance, declarations, the current item, ready for the vote). Each opens and
commits its own unit of work (rolled back if anything raises), so no page or component holds a session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.session import Database
from features.actions.actions import ActionRow, overdue_actions
from features.meetings.attendance import record_attendance_changes
from features.meetings.calendar import CalendarEntry, calendar_entry, cancel_meeting, change_meeting_details
from features.meetings.declarations import (
    InterestRow,
    end_interest,
    record_declaration,
    register_interest,
    register_of_interests,
)
from features.meetings.meetings import (
    MeetingSummary,
    add_review_to_agenda,
    advance_status,
    count_meetings,
    create_meeting,
    list_meetings,
    next_meeting,
    remove_review_from_agenda,
)
from features.meetings.my_meeting import MyMeeting, my_meeting
from features.meetings.pack import MeetingPapers, PapersRecord, papers_record, send_papers
from features.meetings.room import MeetingRoom, mark_ready_for_vote, meeting_room, set_current_item
from features.reviews.reviews import ReviewSummary, list_reviews
from rules.actors import Actor
from rules.quorum import QuorumResult
from rules.vocabulary import AttendanceStatus, DeclarationOutcome, MeetingStatus, ReviewStatus


@dataclass(frozen=True)
class AgendaPlanning:
    """A planned meeting's agenda so far and the reviews waiting to go on it."""

    room: MeetingRoom
    ready: list[ReviewSummary]


def meeting_list(db: Database, *, actor: Actor, offset: int = 0, limit: int | None = None) -> list[MeetingSummary]:
    with db.unit_of_work(read_only=True) as session:
        return list_meetings(session=session, actor=actor, offset=offset, limit=limit)


def count_of_meetings(db: Database, *, actor: Actor) -> int:
    with db.unit_of_work(read_only=True) as session:
        return count_meetings(session=session, actor=actor)


def meetings_to_plan(db: Database, *, actor: Actor) -> list[MeetingSummary]:
    """Meetings whose agenda can still change: planned, or papers circulated."""
    with db.unit_of_work(read_only=True) as session:
        return list_meetings(session=session, actor=actor,
                             statuses=(MeetingStatus.PLANNED, MeetingStatus.PAPERS_CIRCULATED))


def agenda_planning(db: Database, *, actor: Actor, meeting_id: int) -> AgendaPlanning:
    today = dt.date.today()
    with db.unit_of_work(read_only=True) as session:
        return AgendaPlanning(
            room=meeting_room(session=session, actor=actor, meeting_id=meeting_id, item_id=None, today=today),
            ready=list_reviews(session=session, actor=actor, today=today, status=ReviewStatus.READY_FOR_PANEL))


def plan_meeting(db: Database, *, actor: Actor, meeting_date: dt.date, start_time: dt.time | None, location: str,
                 online_link: str) -> int:
    with db.unit_of_work() as session:
        return create_meeting(session=session, actor=actor, meeting_date=meeting_date, start_time=start_time,
                              location=location, online_link=online_link, today=dt.date.today())


def put_on_agenda(db: Database, *, actor: Actor, meeting_id: int, review_id: int) -> None:
    with db.unit_of_work() as session:
        add_review_to_agenda(session=session, actor=actor, meeting_id=meeting_id, review_id=review_id)


def take_off_agenda(db: Database, *, actor: Actor, meeting_id: int, item_id: int) -> None:
    with db.unit_of_work() as session:
        remove_review_from_agenda(session=session, actor=actor, meeting_id=meeting_id, item_id=item_id)


def move_meeting_on(db: Database, *, actor: Actor, meeting_id: int, expected_version: int) -> MeetingStatus:
    with db.unit_of_work() as session:
        return advance_status(session=session, actor=actor, meeting_id=meeting_id, expected_version=expected_version)


def room_view(db: Database, *, actor: Actor, meeting_id: int, item_id: int | None) -> MeetingRoom:
    """Everything the meeting room shows for one item, read together."""
    with db.unit_of_work(read_only=True) as session:
        return meeting_room(session=session, actor=actor, meeting_id=meeting_id, item_id=item_id,
                            today=dt.date.today())


def save_attendance(db: Database, *, actor: Actor, meeting_id: int,
                    changes: dict[int, tuple[AttendanceStatus, int | None]]) -> int:
    with db.unit_of_work() as session:
        return record_attendance_changes(session=session, actor=actor, meeting_id=meeting_id, changes=changes)


def go_to_item(db: Database, *, actor: Actor, meeting_id: int, item_id: int) -> None:
    with db.unit_of_work() as session:
        set_current_item(session=session, actor=actor, meeting_id=meeting_id, item_id=item_id)


def make_ready_for_vote(db: Database, *, actor: Actor, meeting_id: int, item_id: int,
                        expected_version: int) -> QuorumResult:
    with db.unit_of_work() as session:
        return mark_ready_for_vote(session=session, actor=actor, meeting_id=meeting_id, item_id=item_id,
                                   expected_version=expected_version, now=dt.datetime.now(dt.UTC),
                                   today=dt.date.today())


def declare_interest(db: Database, *, actor: Actor, item_id: int, user_id: int, interest: str,
                     outcome: DeclarationOutcome) -> None:
    with db.unit_of_work() as session:
        record_declaration(session=session, actor=actor, item_id=item_id, user_id=user_id, interest=interest,
                           outcome=outcome)


def actions_back_to_panel(db: Database, *, actor: Actor) -> list[ActionRow]:
    """Overdue actions, which come back to the panel under the previous minutes."""
    with db.unit_of_work(read_only=True) as session:
        return overdue_actions(session=session, actor=actor, today=dt.date.today())


def coming_up(db: Database, *, actor: Actor) -> MeetingSummary | None:
    """The first meeting on or after today, for the home page."""
    with db.unit_of_work(read_only=True) as session:
        return next_meeting(session=session, actor=actor, today=dt.date.today())


def my_next_meeting(db: Database, *, actor: Actor) -> MyMeeting | None:
    """A member's next meeting as My meeting shows it, in Easy Read where they read it."""
    with db.unit_of_work(read_only=True) as session:
        return my_meeting(session=session, actor=actor, today=dt.date.today())


def interests_register(db: Database, *, actor: Actor) -> list[InterestRow]:
    with db.unit_of_work(read_only=True) as session:
        return register_of_interests(session=session, actor=actor)


def add_interest(db: Database, *, actor: Actor, description: str, declared_on: dt.date) -> None:
    with db.unit_of_work() as session:
        register_interest(session=session, actor=actor, description=description, declared_on=declared_on,
                          today=dt.date.today())


def end_interest_today(db: Database, *, actor: Actor, interest_id: int) -> None:
    with db.unit_of_work() as session:
        end_interest(session=session, actor=actor, interest_id=interest_id, ended_on=dt.date.today())


def invite_for(db: Database, *, actor: Actor, meeting_id: int) -> CalendarEntry:
    """What the meeting's calendar invite says (documents/meeting_ics.py writes it)."""
    with db.unit_of_work(read_only=True) as session:
        return calendar_entry(session=session, actor=actor, meeting_id=meeting_id)


def move_meeting(db: Database, *, actor: Actor, meeting_id: int, meeting_date: dt.date, start_time: dt.time | None,
                 location: str, online_link: str, expected_version: int) -> None:
    with db.unit_of_work() as session:
        change_meeting_details(session=session, actor=actor, meeting_id=meeting_id, meeting_date=meeting_date,
                               start_time=start_time, location=location, online_link=online_link,
                               expected_version=expected_version, today=dt.date.today())


def call_off_meeting(db: Database, *, actor: Actor, meeting_id: int, reason: str, expected_version: int) -> None:
    with db.unit_of_work() as session:
        cancel_meeting(session=session, actor=actor, meeting_id=meeting_id, reason=reason,
                       expected_version=expected_version)


def meetings_for_calendars(db: Database, *, actor: Actor) -> list[MeetingSummary]:
    """Meetings to come (or cancelled ones still to come), soonest first: the ones an invite is useful for."""
    today = dt.date.today()
    with db.unit_of_work(read_only=True) as session:
        found = list_meetings(session=session, actor=actor, statuses=(
            MeetingStatus.PLANNED, MeetingStatus.PAPERS_CIRCULATED, MeetingStatus.IN_PROGRESS, MeetingStatus.CANCELLED))
    return sorted((m for m in found if m.date >= today), key=lambda m: (m.date, m.id))


def circulate_papers(db: Database, *, actor: Actor, meeting_id: int) -> MeetingPapers:
    """Send the papers: both packs gathered and checked, and the meeting marked as circulated today, together
    (if either pack is refused, nothing is marked)."""
    with db.unit_of_work() as session:
        return send_papers(session=session, actor=actor, meeting_id=meeting_id, now=dt.datetime.now(dt.UTC))


def papers_sent(db: Database, *, actor: Actor, meeting_id: int) -> PapersRecord | None:
    """When a meeting's papers went out, for the Meetings page; cheap, no pack is built."""
    with db.unit_of_work(read_only=True) as session:
        return papers_record(session=session, actor=actor, meeting_id=meeting_id)
