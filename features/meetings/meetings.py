"""Meetings of the actor's own panel. Later issues add the agenda, attendance and quorum rules here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session, selectinload

from db.conflicts import flush_or_conflict
from db.models import AgendaItem, FocusedReview, Icb, Meeting, Panel, Poll
from features.audit.audit import record_event
from rules.actors import Actor
from rules.errors import Conflict, Invalid, NotFound, changed_by_someone_else
from rules.formatting import long_date
from rules.labels import MEETING_STATUS_LABELS, REVIEW_STATUS_LABELS
from rules.limits import MAX_LINK_CHARS, MAX_NAME_CHARS, check_length
from rules.permissions import Permission, require
from rules.plain_text import clean_text
from rules.vocabulary import AgendaItemKind, ItemStatus, MeetingKind, MeetingStatus, PollStatus, ReviewStatus


@dataclass(frozen=True)
class MeetingSummary:
    id: int
    date: dt.date
    start_time: dt.time | None
    title: str
    status: MeetingStatus
    status_label: str
    where: str
    online_link: str | None = None
    version_id: int = 1
    icb_code: str = ""
    location: str | None = None


def panel_meetings(panel_id: int) -> ColumnElement[bool]:
    """The meetings a panel sits in. Decisions by circulation are stored as meetings of another kind (they
    share agenda items, votes and decisions) and are listed on their own page, never with these."""
    return and_(Meeting.panel_id == panel_id, Meeting.kind == MeetingKind.MEETING)


def _where(meeting: Any) -> str:
    parts = [p for p in (meeting.location, meeting.online_link and "Online") if p]
    return " and ".join(parts) or "To be confirmed"


def summarise_meeting(meeting: Meeting, icb_code: str = "") -> MeetingSummary:
    return MeetingSummary(
        id=meeting.id,
        date=meeting.meeting_date,
        start_time=meeting.start_time,
        title=meeting.title,
        status=meeting.status,
        status_label=MEETING_STATUS_LABELS[meeting.status],
        where=_where(meeting),
        online_link=meeting.online_link,
        version_id=meeting.version_id,
        icb_code=icb_code,
        location=meeting.location,
    )


_SUMMARY_COLUMNS = (Meeting.id, Meeting.meeting_date, Meeting.start_time, Meeting.title, Meeting.status,
                   Meeting.location, Meeting.online_link, Meeting.version_id)


def list_meetings(*, session: Session, actor: Actor, statuses: Sequence[MeetingStatus] = (), offset: int = 0,
                  limit: int | None = None) -> list[MeetingSummary]:
    """The actor's panel's meetings, newest first; only some statuses, or one page of them, when asked.
    Plain columns, not ORM objects: years of meetings fill several pages' list boxes on every click."""
    require(actor, Permission.VIEW_MEETINGS)
    query = (select(*_SUMMARY_COLUMNS).where(panel_meetings(actor.panel_id))
             .order_by(Meeting.meeting_date.desc(), Meeting.id.desc()).offset(offset).limit(limit))
    if statuses:
        query = query.where(Meeting.status.in_(statuses))
    return [MeetingSummary(id=m.id, date=m.meeting_date, start_time=m.start_time, title=m.title, status=m.status,
                           status_label=MEETING_STATUS_LABELS[m.status], where=_where(m),
                           online_link=m.online_link, version_id=m.version_id, location=m.location)
            for m in session.execute(query)]


def count_meetings(*, session: Session, actor: Actor) -> int:
    require(actor, Permission.VIEW_MEETINGS)
    return session.scalar(select(func.count(Meeting.id)).where(panel_meetings(actor.panel_id))) or 0


def next_meeting(*, session: Session, actor: Actor, today: dt.date) -> MeetingSummary | None:
    """The first meeting on or after today, for the home page."""
    require(actor, Permission.VIEW_MEETINGS)
    meeting = session.scalars(
        select(Meeting).where(panel_meetings(actor.panel_id), Meeting.meeting_date >= today,
                              Meeting.status != MeetingStatus.CANCELLED)
        .order_by(Meeting.meeting_date, Meeting.id).limit(1)
    ).first()
    return summarise_meeting(meeting) if meeting else None


def list_all_meetings_for_operator(*, session: Session) -> list[MeetingSummary]:
    """Every ICB's meetings, for the command line run by whoever operates the server (no actor: no UI)."""
    rows = session.execute(
        select(Meeting, Icb.code)
        .join(Panel, Panel.id == Meeting.panel_id)
        .join(Icb, Icb.id == Panel.icb_id)
        .where(Meeting.kind == MeetingKind.MEETING)
        .order_by(Meeting.meeting_date, Meeting.id)
    ).all()
    return [summarise_meeting(meeting, code) for meeting, code in rows]


OPEN_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.PAPERS_CIRCULATED, MeetingStatus.IN_PROGRESS)
NEXT_STATUS: dict[MeetingStatus, MeetingStatus] = {
    MeetingStatus.PLANNED: MeetingStatus.PAPERS_CIRCULATED,
    MeetingStatus.PAPERS_CIRCULATED: MeetingStatus.IN_PROGRESS,
    MeetingStatus.IN_PROGRESS: MeetingStatus.HELD,
}
STANDING_ITEMS: tuple[tuple[AgendaItemKind, str], ...] = (
    (AgendaItemKind.WELCOME, "Welcome and apologies"),
    (AgendaItemKind.DECLARATIONS, "Declarations of interest"),
    (AgendaItemKind.PREVIOUS_MINUTES, "Minutes of the last meeting and action log"),
)


def load_meeting(session: Session, actor: Actor, meeting_id: int) -> Meeting:
    meeting = session.scalars(
        select(Meeting).where(Meeting.id == meeting_id, Meeting.panel_id == actor.panel_id)
        .options(selectinload(Meeting.agenda_items).selectinload(AgendaItem.review))
    ).one_or_none()
    if meeting is None:
        raise NotFound("That meeting is not on your panel's calendar.")
    return meeting


def check_place(location: str, online_link: str) -> tuple[str, str]:
    """The place (free text, so the personal-data guard reads it) and the link, checked; returned stripped."""
    location = clean_text(location, what="The place", limit=MAX_NAME_CHARS)
    online_link = check_length(online_link.strip(), what="The online link", limit=MAX_LINK_CHARS)
    if not location and not online_link:
        raise Invalid("Give a place, an online link, or both, so members know where to go.")
    if online_link and not online_link.startswith(("https://", "http://")):
        raise Invalid("The online link must start with https://.")
    return location, online_link


def create_meeting(
    *, session: Session, actor: Actor, meeting_date: dt.date, start_time: dt.time | None, location: str,
    online_link: str, today: dt.date,
) -> int:
    """A new meeting with the standing agenda items; reviews are added to it afterwards."""
    require(actor, Permission.MANAGE_MEETINGS)
    if meeting_date < today:
        raise Invalid("A new meeting cannot be in the past.")
    location, online_link = check_place(location, online_link)
    meeting = Meeting(
        panel_id=actor.panel_id, title=f"LeDeR Governance Panel, {meeting_date:%B %Y}",
        meeting_date=meeting_date, start_time=start_time, location=location or None,
        online_link=online_link or None, status=MeetingStatus.PLANNED,
        agenda_items=[AgendaItem(position=n, kind=kind, title=title)
                      for n, (kind, title) in enumerate(STANDING_ITEMS, start=1)]
        + [AgendaItem(position=len(STANDING_ITEMS) + 1, kind=AgendaItemKind.ANY_OTHER_BUSINESS,
                      title="Any other business")],
    )
    session.add(meeting)
    session.flush()
    return meeting.id


def open_agenda_holding(session: Session, review_id: int) -> Meeting | None:
    """The meeting or circulation whose open agenda holds the review, if any: a review is on one at a time."""
    return session.scalars(
        select(Meeting).join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(AgendaItem.review_id == review_id, Meeting.status.in_(OPEN_STATUSES),
               AgendaItem.status.not_in((ItemStatus.DECIDED, ItemStatus.DEFERRED)))
    ).first()


def add_review_to_agenda(*, session: Session, actor: Actor, meeting_id: int, review_id: int) -> None:
    """Put a ready review on a meeting's agenda, before any other business."""
    require(actor, Permission.MANAGE_MEETINGS)
    meeting = load_meeting(session, actor, meeting_id)
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.PAPERS_CIRCULATED):
        raise Invalid("Reviews can only be added before the meeting starts.")
    review = session.get(FocusedReview, review_id)
    if review is None or review.panel_id != actor.panel_id:
        raise NotFound("That review is not on your panel's list.")
    holder = open_agenda_holding(session, review_id)
    if holder is not None:
        raise Conflict(
            f"{review.reference} is already on the agenda of the meeting on {long_date(holder.meeting_date)}."
        )
    if review.status != ReviewStatus.READY_FOR_PANEL:
        raise Invalid(f"{review.reference} is not ready for the panel yet ({REVIEW_STATUS_LABELS[review.status]}).")
    items = meeting.agenda_items
    closing = next((i for i in items if i.kind == AgendaItemKind.ANY_OTHER_BUSINESS), None)
    position = max(i.position for i in items) + 1
    if closing is not None:  # move "any other business" to the end first, then take its place
        position, closing.position = closing.position, position
        session.flush()
    items.append(AgendaItem(position=position, kind=AgendaItemKind.REVIEW, review=review,
                            title=f"Focused review {review.reference}"))
    review.status = ReviewStatus.ON_AGENDA
    _flush(session)
    record_event(session, actor, action="review status", subject=f"review {review.reference}",
                 description=f"Put on the agenda of the meeting on {long_date(meeting.meeting_date)}.")


def remove_review_from_agenda(*, session: Session, actor: Actor, meeting_id: int, item_id: int) -> None:
    require(actor, Permission.MANAGE_MEETINGS)
    meeting = load_meeting(session, actor, meeting_id)
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.PAPERS_CIRCULATED):
        raise Invalid("Reviews can only be taken off the agenda before the meeting starts.")
    item = next((i for i in meeting.agenda_items if i.id == item_id and i.kind == AgendaItemKind.REVIEW), None)
    if item is None:
        raise NotFound("That review is not on this agenda.")
    review = item.review
    if review is not None:
        review.status = ReviewStatus.READY_FOR_PANEL
    removed_at = item.position
    meeting.agenda_items.remove(item)
    session.flush()
    for later in sorted((i for i in meeting.agenda_items if i.position > removed_at), key=lambda i: i.position):
        later.position -= 1
        session.flush()
    if review is not None:
        record_event(session, actor, action="review status", subject=f"review {review.reference}",
                     description=f"Taken off the agenda of the meeting on {long_date(meeting.meeting_date)}.")


def advance_status(*, session: Session, actor: Actor, meeting_id: int, expected_version: int) -> MeetingStatus:
    """One step along planned → papers circulated → in progress → held. Minutes have their own workflow."""
    require(actor, Permission.MANAGE_MEETINGS)
    meeting = load_meeting(session, actor, meeting_id)
    if meeting.version_id != expected_version:
        raise changed_by_someone_else("this meeting")
    following = NEXT_STATUS.get(meeting.status)
    if following is None:
        raise Invalid(f"This meeting is {MEETING_STATUS_LABELS[meeting.status].lower()}; it cannot move on from here.")
    if following == MeetingStatus.PAPERS_CIRCULATED and not any(
        i.kind == AgendaItemKind.REVIEW for i in meeting.agenda_items
    ):
        raise Invalid("Add at least one focused review to the agenda before sending the papers.")
    if following == MeetingStatus.HELD:
        _refuse_open_votes(session, meeting)
    meeting.status = following
    if following == MeetingStatus.IN_PROGRESS:
        meeting.current_position = meeting.current_position or 1
    _flush(session)
    return following


def _refuse_open_votes(session: Session, meeting: Meeting) -> None:
    """A meeting cannot end with a vote still open: nobody could close it afterwards."""
    open_item = session.scalar(
        select(AgendaItem.title).join(Poll, Poll.agenda_item_id == AgendaItem.id)
        .where(AgendaItem.meeting_id == meeting.id, Poll.status == PollStatus.OPEN).limit(1)
    )
    if open_item is not None:
        raise Invalid(f"The vote on '{open_item}' is still open. Close it before ending the meeting.")


def next_status_label(status: MeetingStatus) -> str | None:
    following = NEXT_STATUS.get(status)
    return MEETING_STATUS_LABELS[following] if following else None


def _flush(session: Session) -> None:
    flush_or_conflict(session, "this meeting")


def pick_default_meeting(meetings: list[MeetingSummary], *, today: dt.date) -> int:
    """The meeting people most likely mean: one in progress, else the next one, else the latest."""
    in_progress = [m for m in meetings if m.status == MeetingStatus.IN_PROGRESS]
    if in_progress:
        return in_progress[0].id
    upcoming = sorted((m for m in meetings if m.date >= today), key=lambda m: m.date)
    if upcoming:
        return upcoming[0].id
    return max(meetings, key=lambda m: m.date).id
