"""A meeting in members' calendars: changing its day, time or place, cancelling it, and what its .ics
invite says. Each change a calendar must take in raises the meeting's sequence; the invite's UID never
changes, so calendars update the event they already have (RFC 5545) instead of adding a second one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.conflicts import flush_or_conflict
from db.models import Icb, Meeting, Panel
from features.audit.audit import record_event
from features.meetings.meetings import check_place, load_meeting
from rules.actors import Actor
from rules.errors import Invalid, NotFound, changed_by_someone_else
from rules.formatting import clock_time, long_date
from rules.limits import MAX_REASON_CHARS
from rules.permissions import Permission, require
from rules.plain_text import clean_text
from rules.vocabulary import AgendaItemKind, ItemStatus, MeetingKind, MeetingStatus, ReviewStatus

CHANGEABLE = (MeetingStatus.PLANNED, MeetingStatus.PAPERS_CIRCULATED)
DEFAULT_LENGTH = dt.timedelta(hours=2)  # how long the invite blocks out; a panel meeting runs about two hours


@dataclass(frozen=True)
class CalendarEntry:
    """What an invite says about one meeting: no case detail, only when, where and how to join."""

    uid: str
    sequence: int
    title: str
    day: dt.date
    start: dt.time | None
    location: str | None
    online_link: str | None
    cancelled: bool
    cancelled_reason: str | None


def _changeable(session: Session, actor: Actor, meeting_id: int, expected_version: int) -> Meeting:
    require(actor, Permission.MANAGE_MEETINGS)
    meeting = load_meeting(session, actor, meeting_id)
    if meeting.kind != MeetingKind.MEETING:
        raise NotFound("That meeting is not on your panel's calendar.")
    if meeting.version_id != expected_version:
        raise changed_by_someone_else("this meeting")
    if meeting.status not in CHANGEABLE:
        raise Invalid("Only a meeting that has not started can be changed or cancelled.")
    return meeting


def change_meeting_details(*, session: Session, actor: Actor, meeting_id: int, meeting_date: dt.date,
                           start_time: dt.time | None, location: str, online_link: str, expected_version: int,
                           today: dt.date) -> None:
    """Move a meeting or change its place; members' calendars take the change in from the new invite."""
    meeting = _changeable(session, actor, meeting_id, expected_version)
    if meeting_date < today:
        raise Invalid("A meeting cannot be moved into the past.")
    location, online_link = check_place(location, online_link)
    new = (meeting_date, start_time, location or None, online_link or None)
    if new == (meeting.meeting_date, meeting.start_time, meeting.location, meeting.online_link):
        raise Invalid("Nothing has changed: give the new day, time or place.")
    was = f"{long_date(meeting.meeting_date)} {clock_time(meeting.start_time)}".strip()
    meeting.meeting_date, meeting.start_time, meeting.location, meeting.online_link = new
    meeting.title = f"LeDeR Governance Panel, {meeting_date:%B %Y}"
    meeting.calendar_sequence += 1
    flush_or_conflict(session, "this meeting")
    record_event(session, actor, action="meeting changed", subject=f"meeting {meeting.id}",
                 description=f"Was {was}; now {long_date(meeting_date)} {clock_time(start_time)}".strip() + ".")


def cancel_meeting(*, session: Session, actor: Actor, meeting_id: int, reason: str, expected_version: int) -> None:
    """Cancel a meeting that has not started, with the reason members will read; its reviews go back to
    "ready for the panel" for another meeting."""
    meeting = _changeable(session, actor, meeting_id, expected_version)
    words = clean_text(reason, what="The reason", limit=MAX_REASON_CHARS)
    if not words:
        raise Invalid("Say why the meeting is cancelled, for example 'Not enough members can come'.")
    for item in meeting.agenda_items:
        if item.kind == AgendaItemKind.REVIEW and item.status not in (ItemStatus.DECIDED, ItemStatus.DEFERRED):
            item.status = ItemStatus.DEFERRED
            if item.review is not None and item.review.status == ReviewStatus.ON_AGENDA:
                item.review.status = ReviewStatus.READY_FOR_PANEL
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = words
    meeting.calendar_sequence += 1
    flush_or_conflict(session, "this meeting")
    record_event(session, actor, action="meeting cancelled", subject=f"meeting {meeting.id}",
                 description=f"Cancelled the meeting on {long_date(meeting.meeting_date)}: {words}")


def calendar_entry(*, session: Session, actor: Actor, meeting_id: int) -> CalendarEntry:
    require(actor, Permission.VIEW_MEETINGS)
    meeting = load_meeting(session, actor, meeting_id)
    if meeting.kind != MeetingKind.MEETING:
        raise NotFound("That meeting is not on your panel's calendar.")
    icb = session.scalar(select(Icb.code).join(Panel, Panel.icb_id == Icb.id).where(Panel.id == meeting.panel_id))
    return CalendarEntry(
        uid=f"meeting-{meeting.id}.{(icb or 'icb').lower()}@leder-panel.invalid", sequence=meeting.calendar_sequence,
        title=meeting.title, day=meeting.meeting_date, start=meeting.start_time, location=meeting.location,
        online_link=meeting.online_link, cancelled=meeting.status == MeetingStatus.CANCELLED,
        cancelled_reason=meeting.cancelled_reason,
    )
