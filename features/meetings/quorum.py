"""The one place that answers "is this item quorate, and which roles made it so" for the meeting room, the
vote and the minutes. The rule itself is pure (rules/quorum.py); this reads who is here, who deputises for
whom and who stepped out of the item, and hands the rule plain attendees.

A decision by circulation has no room: every active voting member who has not stepped out of the review
may answer, and those who have answered are the ones who count (rules.quorum.circulation_rule)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Meeting, Poll, Vote
from features.meetings.attendance import AttendanceRow, attendance_rows
from features.meetings.declarations import recused_user_ids
from features.panel_settings.panels import panel_rules
from rules.actors import Actor
from rules.quorum import Attendee, QuorumResult, QuorumRule, check_quorum, circulation_rule
from rules.vocabulary import MeetingKind


def attendees_for_quorum(rows: list[AttendanceRow], recused: Collection[int] = ()) -> list[Attendee]:
    """The plain inputs check_quorum takes, with deputies carrying the roles of the member they replace."""
    roles_by_id = {r.user_id: r.roles for r in rows}
    return [
        Attendee(
            user_id=r.user_id, roles=r.roles, present=r.present, recused=r.user_id in recused,
            deputising_for_roles=roles_by_id.get(r.deputy_for_user_id, frozenset()) if r.deputy_for_user_id
            else frozenset(),
        )
        for r in rows
    ]


def quorum_of(rule: QuorumRule, rows: list[AttendanceRow], recused: Collection[int] = ()) -> QuorumResult:
    """Quorum for attendance already read: the whole meeting (no one recused) or one item."""
    return check_quorum(rule, attendees_for_quorum(rows, recused))


def _circulation(session: Session, meeting_id: int) -> Meeting | None:
    meeting = session.get(Meeting, meeting_id)
    return meeting if meeting is not None and meeting.kind == MeetingKind.CIRCULATION else None


def _responded(session: Session, item_id: int) -> set[int]:
    """Who has answered the item's latest vote: in a circulation, answering is being there."""
    latest = select(Poll.id).where(Poll.agenda_item_id == item_id).order_by(Poll.round.desc()).limit(1)
    return set(session.scalars(select(Vote.member_id).where(Vote.poll_id == latest.scalar_subquery())))


def item_attendees(session: Session, actor: Actor, meeting_id: int, item_id: int) -> list[Attendee]:
    rows = attendance_rows(session=session, actor=actor, meeting_id=meeting_id)
    attendees = attendees_for_quorum(rows, recused_user_ids(session, item_id))
    if _circulation(session, meeting_id) is None:
        return attendees
    responded = _responded(session, item_id)
    return [replace(a, present=a.user_id in responded) for a in attendees]


def item_quorum(*, session: Session, actor: Actor, meeting_id: int, item_id: int) -> QuorumResult:
    """The quorum for one item at this moment, under the panel's own rule: recused members do not count,
    deputies bring the roles of the member they replace. A circulation counts answers instead."""
    rule = panel_rules(session=session, panel_id=actor.panel_id).quorum
    circulation = _circulation(session, meeting_id)
    if circulation is not None:
        rule = circulation_rule(rule, circulation.min_responses or rule.min_voting_members)
    return check_quorum(rule, item_attendees(session, actor, meeting_id, item_id))


def eligible_voters(session: Session, actor: Actor, meeting_id: int, item_id: int) -> set[int]:
    """Present voting members (deputies included) who are not recused from this item: those who count are
    those who may vote. In a circulation, every voting member who has not stepped out of the review."""
    attendees = item_attendees(session, actor, meeting_id, item_id)
    if _circulation(session, meeting_id) is not None:
        attendees = [replace(a, present=True) for a in attendees]
    return {a.user_id for a in attendees if a.counts}
