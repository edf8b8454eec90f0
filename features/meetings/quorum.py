"""The one place that answers "is this item quorate, and which roles made it so" for the meeting room, the
vote and the minutes. The rule itself is pure (rules/quorum.py); this reads who is here, who deputises for
whom and who stepped out of the item, and hands the rule plain attendees."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from features.meetings.attendance import AttendanceRow, attendance_rows
from features.meetings.declarations import recused_user_ids
from features.panel_settings.panels import panel_rules
from rules.actors import Actor
from rules.quorum import Attendee, QuorumResult, QuorumRule, check_quorum


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


def item_attendees(session: Session, actor: Actor, meeting_id: int, item_id: int) -> list[Attendee]:
    rows = attendance_rows(session=session, actor=actor, meeting_id=meeting_id)
    return attendees_for_quorum(rows, recused_user_ids(session, item_id))


def item_quorum(*, session: Session, actor: Actor, meeting_id: int, item_id: int) -> QuorumResult:
    """The quorum for one item at this moment, under the panel's own rule: recused members do not count,
    deputies bring the roles of the member they replace."""
    rule = panel_rules(session=session, panel_id=actor.panel_id).quorum
    return check_quorum(rule, item_attendees(session, actor, meeting_id, item_id))


def eligible_voters(session: Session, actor: Actor, meeting_id: int, item_id: int) -> set[int]:
    """Present voting members (deputies included) who are not recused from this item: those who count are
    those who may vote."""
    return {a.user_id for a in item_attendees(session, actor, meeting_id, item_id) if a.counts}
