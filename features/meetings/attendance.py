"""Who is at a meeting, and in what capacity. Capacity follows from roles:

- voting members (chair, vice chair, panel members, lived-experience members, ethnic minority lead) count
  towards quorum when present;
- a deputy stands in for one absent voting member and counts with that member's roles;
- observers, and people in attendance such as the presenting reviewer and the secretariat, never count.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.conflicts import flush_or_conflict
from db.models import AgendaItem, Attendance, Poll, User, Vote
from features.meetings.meetings import load_meeting
from rules.actors import Actor
from rules.errors import Invalid, NotFound, changed_by_someone_else
from rules.labels import ATTENDANCE_LABELS
from rules.permissions import Permission, require
from rules.quorum import is_voting_member
from rules.roles import describe_roles
from rules.vocabulary import AttendanceStatus, MeetingStatus, PollStatus, Role

PRESENT = (AttendanceStatus.PRESENT_IN_PERSON, AttendanceStatus.PRESENT_REMOTE)
CLOSED = (MeetingStatus.HELD, MeetingStatus.MINUTES_DRAFTED, MeetingStatus.MINUTES_APPROVED)


class Capacity(enum.StrEnum):
    VOTING_MEMBER = "voting_member"
    IN_ATTENDANCE = "in_attendance"
    OBSERVER = "observer"


def capacity_of(roles: frozenset[Role]) -> Capacity:
    if is_voting_member(roles):
        return Capacity.VOTING_MEMBER
    if Role.OBSERVER in roles and not roles & {Role.REVIEWER, Role.SECRETARIAT}:
        return Capacity.OBSERVER
    return Capacity.IN_ATTENDANCE


@dataclass(frozen=True)
class AttendanceRow:
    user_id: int
    name: str
    roles: frozenset[Role]
    role_names: str
    capacity: Capacity
    status: AttendanceStatus | None  # None: not recorded yet
    status_label: str
    deputy_for_user_id: int | None
    deputy_for_name: str | None
    version_id: int | None

    @property
    def present(self) -> bool:
        return self.status in PRESENT


def attendance_rows(*, session: Session, actor: Actor, meeting_id: int) -> list[AttendanceRow]:
    """Everyone on the panel with their attendance at this meeting (recorded or not), by name."""
    require(actor, Permission.VIEW_MEETINGS)
    load_meeting(session, actor, meeting_id)
    people = session.scalars(
        select(User).where(User.panel_id == actor.panel_id, User.is_active.is_(True))
        .options(selectinload(User.roles)).order_by(User.name)
    ).all()
    names = {p.id: p.name for p in people}
    records = {a.user_id: a for a in session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id))}
    rows = []
    for person in people:
        record = records.get(person.id)
        roles = frozenset(r.role for r in person.roles)
        rows.append(AttendanceRow(
            user_id=person.id, name=person.name, roles=roles, role_names=describe_roles(roles),
            capacity=capacity_of(roles),
            status=record.status if record else None,
            status_label=ATTENDANCE_LABELS[record.status] if record else "Not recorded yet",
            deputy_for_user_id=record.deputy_for_user_id if record else None,
            deputy_for_name=names.get(record.deputy_for_user_id) if record and record.deputy_for_user_id else None,
            version_id=record.version_id if record else None,
        ))
    return rows


def record_attendance(
    *, session: Session, actor: Actor, meeting_id: int, user_id: int, status: AttendanceStatus,
    deputy_for_user_id: int | None = None, expected_version: int | None = None,
) -> None:
    """Record one person's attendance; refuses combinations that would make the quorum count wrong."""
    require(actor, Permission.RUN_MEETING)
    meeting = load_meeting(session, actor, meeting_id)
    if meeting.status in CLOSED:
        raise Invalid("Attendance is fixed once the meeting has been held.")
    rows = {r.user_id: r for r in attendance_rows(session=session, actor=actor, meeting_id=meeting_id)}
    person = rows.get(user_id)
    if person is None:
        raise NotFound("That person is not on your panel.")
    if deputy_for_user_id is not None:
        _check_deputy(rows, person, status, deputy_for_user_id)
    if status in PRESENT:
        standing_in = next((r for r in rows.values() if r.deputy_for_user_id == user_id and r.present), None)
        if standing_in is not None and standing_in.user_id != user_id:
            raise Invalid(f"{standing_in.name} is deputising for {person.name}. "
                          f"Take {standing_in.name} off as deputy first.")
    if status not in PRESENT or deputy_for_user_id != person.deputy_for_user_id:
        _refuse_if_voting_now(session, meeting_id, person)
    record = session.scalars(
        select(Attendance).where(Attendance.meeting_id == meeting_id, Attendance.user_id == user_id)
    ).one_or_none()
    if record is None:
        session.add(Attendance(meeting_id=meeting_id, user_id=user_id, status=status,
                               deputy_for_user_id=deputy_for_user_id))
    else:
        if expected_version is not None and record.version_id != expected_version:
            raise changed_by_someone_else("this attendance")
        record.status = status
        record.deputy_for_user_id = deputy_for_user_id
    # The unique (meeting, person) row and its version column turn a race into a clear refusal.
    flush_or_conflict(session, "this attendance", duplicates=True)


def send_own_apologies(*, session: Session, actor: Actor, meeting_id: int) -> None:
    """A voting member says, before the meeting starts, that they cannot come: their apologies are recorded
    as if they had told the secretariat (who can change them, as for anyone)."""
    require(actor, Permission.VOTE)
    meeting = load_meeting(session, actor, meeting_id)
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.PAPERS_CIRCULATED):
        raise Invalid("The meeting has started. Tell the chair or the secretariat if you cannot stay.")
    record = session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id,
                                                      Attendance.user_id == actor.user_id)).one_or_none()
    if record is None:
        session.add(Attendance(meeting_id=meeting_id, user_id=actor.user_id, status=AttendanceStatus.APOLOGIES))
    else:
        record.status, record.deputy_for_user_id = AttendanceStatus.APOLOGIES, None
    flush_or_conflict(session, "your apologies", duplicates=True)


def _refuse_if_voting_now(session: Session, meeting_id: int, person: AttendanceRow) -> None:
    """Someone who has voted in a vote that is still open cannot leave the count until it closes: otherwise
    their vote would stand while the number who could vote went down."""
    item_title = session.scalar(
        select(AgendaItem.title).join(Poll, Poll.agenda_item_id == AgendaItem.id)
        .join(Vote, Vote.poll_id == Poll.id)
        .where(AgendaItem.meeting_id == meeting_id, Poll.status == PollStatus.OPEN, Vote.member_id == person.user_id)
    )
    if item_title is not None:
        raise Invalid(f"{person.name} has voted in the open vote on '{item_title}'. Close that vote before "
                      "changing their attendance.")


def _check_deputy(rows: dict[int, AttendanceRow], person: AttendanceRow, status: AttendanceStatus,
                  deputy_for_user_id: int) -> None:
    member = rows.get(deputy_for_user_id)
    if member is None:
        raise NotFound("The member being deputised for is not on your panel.")
    if member.user_id == person.user_id:
        raise Invalid("Someone cannot deputise for themselves.")
    if status not in PRESENT:
        raise Invalid("A deputy must be present: record them as in the room or online.")
    if member.capacity != Capacity.VOTING_MEMBER:
        raise Invalid(f"{member.name} is not a voting member, so no one deputises for them.")
    if member.present:
        raise Invalid(f"{member.name} is present, so no one can deputise for them.")
    other = next((r for r in rows.values() if r.deputy_for_user_id == deputy_for_user_id
                  and r.user_id != person.user_id and r.present), None)
    if other is not None:
        raise Invalid(f"{other.name} is already deputising for {member.name}.")


def record_attendance_changes(
    *, session: Session, actor: Actor, meeting_id: int, changes: dict[int, tuple[AttendanceStatus, int | None]],
) -> int:
    """Save several people at once (one form, one unit of work): members first, then their deputies, so
    'Farah sent apologies' lands before 'Daniel deputises for Farah'."""
    ordered = sorted(changes.items(), key=lambda change: change[1][1] is not None)
    for user_id, (status, deputy_for) in ordered:
        record_attendance(session=session, actor=actor, meeting_id=meeting_id, user_id=user_id, status=status,
                          deputy_for_user_id=deputy_for)
    return len(ordered)
