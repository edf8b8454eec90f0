"""Meetings of the actor's own panel. Later issues add the agenda, attendance and quorum rules here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Icb, Meeting, MeetingStatus, Panel
from services.actors import Actor
from services.labels import MEETING_STATUS_LABELS
from services.permissions import Permission, require


@dataclass(frozen=True)
class MeetingSummary:
    id: int
    date: dt.date
    start_time: dt.time | None
    title: str
    status: MeetingStatus
    status_label: str
    where: str
    icb_code: str = ""


def _where(meeting: Meeting) -> str:
    parts = [p for p in (meeting.location, meeting.online_link and "Online") if p]
    return " and ".join(parts) or "To be confirmed"


def _summary(meeting: Meeting, icb_code: str = "") -> MeetingSummary:
    return MeetingSummary(
        id=meeting.id,
        date=meeting.meeting_date,
        start_time=meeting.start_time,
        title=meeting.title,
        status=meeting.status,
        status_label=MEETING_STATUS_LABELS[meeting.status],
        where=_where(meeting),
        icb_code=icb_code,
    )


def list_meetings(*, session: Session, actor: Actor) -> list[MeetingSummary]:
    """The actor's panel's meetings, newest first."""
    require(actor, Permission.VIEW_MEETINGS)
    meetings = session.scalars(
        select(Meeting).where(Meeting.panel_id == actor.panel_id)
        .order_by(Meeting.meeting_date.desc(), Meeting.id.desc())
    ).all()
    return [_summary(m) for m in meetings]


def next_meeting(*, session: Session, actor: Actor, today: dt.date) -> MeetingSummary | None:
    """The first meeting on or after today, for the home page."""
    require(actor, Permission.VIEW_MEETINGS)
    meeting = session.scalars(
        select(Meeting).where(Meeting.panel_id == actor.panel_id, Meeting.meeting_date >= today)
        .order_by(Meeting.meeting_date, Meeting.id).limit(1)
    ).first()
    return _summary(meeting) if meeting else None


def list_all_meetings_for_operator(*, session: Session) -> list[MeetingSummary]:
    """Every ICB's meetings, for the command line run by whoever operates the server."""
    rows = session.execute(
        select(Meeting, Icb.code)
        .join(Panel, Panel.id == Meeting.panel_id)
        .join(Icb, Icb.id == Panel.icb_id)
        .order_by(Meeting.meeting_date, Meeting.id)
    ).all()
    return [_summary(meeting, code) for meeting, code in rows]
