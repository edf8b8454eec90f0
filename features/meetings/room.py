"""The meeting as the chair runs it: agenda, current item, who is present, the quorum for that item, the
ethnic minority lead checkpoint, and whether the item is ready for the vote (with reasons in words).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from db.conflicts import flush_or_conflict
from db.models import AgendaItem, Meeting
from features.meetings.attendance import AttendanceRow, attendance_rows
from features.meetings.declarations import DeclarationRow, item_declarations, recused_user_ids
from features.meetings.meetings import MeetingSummary, load_meeting, summarise_meeting
from features.meetings.quorum import quorum_of
from features.panel_settings.panels import PanelRules, panel_rules
from features.reviews.comments import CommentSections, comment_sections
from features.reviews.reviews import ReviewDetail, review_detail
from rules.actors import Actor
from rules.errors import Invalid, NotFound, changed_by_someone_else
from rules.labels import ITEM_STATUS_LABELS
from rules.permissions import Permission, allows, require
from rules.quorum import QuorumResult
from rules.vocabulary import AgendaItemKind, ItemStatus, MeetingStatus

OPEN_ITEM_STATUSES = (ItemStatus.PENDING, ItemStatus.IN_DISCUSSION)


@dataclass(frozen=True)
class Checkpoint:
    required: bool
    met: bool
    message: str


@dataclass(frozen=True)
class Readiness:
    ready: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class AgendaLine:
    id: int
    position: int
    title: str
    kind: AgendaItemKind
    status: ItemStatus
    status_label: str
    is_current: bool
    review_id: int | None
    version_id: int


@dataclass(frozen=True)
class ItemView:
    line: AgendaLine
    review: ReviewDetail | None  # None for non-review items, and for roles that may not read case detail
    comments: CommentSections | None
    declarations: tuple[DeclarationRow, ...]
    quorum: QuorumResult
    checkpoint: Checkpoint | None
    readiness: Readiness
    stored_quorum_summary: str | None


@dataclass(frozen=True)
class MeetingRoom:
    meeting: MeetingSummary
    agenda: tuple[AgendaLine, ...]
    attendance: tuple[AttendanceRow, ...]
    quorum: QuorumResult
    item: ItemView | None
    can_run: bool


def ethnicity_checkpoint(*, ethnic_minority: bool, required: bool, em_lead_view_recorded: bool) -> Checkpoint:
    """For a person from an ethnic minority, the lead's view may be required before sign-off (panel setting)."""
    if not ethnic_minority or not required:
        return Checkpoint(required=False, met=True, message="No ethnic minority lead checkpoint for this review.")
    if em_lead_view_recorded:
        return Checkpoint(required=True, met=True, message="The ethnic minority lead's view is recorded.")
    return Checkpoint(required=True, met=False,
                      message="Waiting for the ethnic minority lead (or their deputy) to record a view.")


def readiness(*, meeting_status: MeetingStatus, item_kind: AgendaItemKind, item_status: ItemStatus,
              quorum: QuorumResult, checkpoint: Checkpoint | None) -> Readiness:
    """Everything that must be true before the panel votes on signing off a review."""
    reasons: list[str] = []
    if item_kind != AgendaItemKind.REVIEW:
        reasons.append("Only focused reviews are voted on.")
    if meeting_status != MeetingStatus.IN_PROGRESS:
        reasons.append("The meeting has not started.")
    if item_status not in OPEN_ITEM_STATUSES:
        reasons.append(f"This item is already {ITEM_STATUS_LABELS[item_status].lower()}.")
    if not quorum.quorate:
        reasons.append(quorum.summary + ".")
    if checkpoint is not None and not checkpoint.met:
        reasons.append(checkpoint.message)
    return Readiness(ready=not reasons, reasons=tuple(reasons))


def _line(item: AgendaItem, current_position: int | None) -> AgendaLine:
    return AgendaLine(id=item.id, position=item.position, title=item.title, kind=item.kind, status=item.status,
                      status_label=ITEM_STATUS_LABELS[item.status], is_current=item.position == current_position,
                      review_id=item.review_id, version_id=item.version_id)


def meeting_room(*, session: Session, actor: Actor, meeting_id: int, item_id: int | None,
                 today: dt.date) -> MeetingRoom:
    """Everything the meeting page shows for one item, computed in one unit of work."""
    require(actor, Permission.VIEW_MEETINGS)
    meeting = load_meeting(session, actor, meeting_id)
    rules = panel_rules(session=session, panel_id=actor.panel_id)
    rows = attendance_rows(session=session, actor=actor, meeting_id=meeting_id)
    agenda = tuple(_line(i, meeting.current_position) for i in meeting.agenda_items)
    chosen = next((i for i in meeting.agenda_items if i.id == item_id), None) or next(
        (i for i in meeting.agenda_items if i.position == meeting.current_position), None)
    view = _item_view(session, actor, meeting.status, chosen, meeting.current_position, rows, rules, today) \
        if chosen else None
    return MeetingRoom(
        meeting=summarise_meeting(meeting), agenda=agenda, attendance=tuple(rows),
        quorum=quorum_of(rules.quorum, rows),
        item=view, can_run=allows(actor, Permission.RUN_MEETING),
    )


def _item_view(session: Session, actor: Actor, meeting_status: MeetingStatus, item: AgendaItem,
               current_position: int | None, rows: list[AttendanceRow], rules: PanelRules,
               today: dt.date) -> ItemView:
    recused = recused_user_ids(session, item.id)
    quorum = quorum_of(rules.quorum, rows, recused)
    review = comments = checkpoint = None
    if item.review is not None:
        sections = comment_sections(session, item.review.id)
        checkpoint = ethnicity_checkpoint(ethnic_minority=item.review.ethnic_minority,
                                          required=rules.require_em_lead_view,
                                          em_lead_view_recorded=_em_view_counts(sections, recused))
        if allows(actor, Permission.VIEW_REVIEWS):
            review = review_detail(session=session, actor=actor, review_id=item.review.id, today=today)
            comments = sections
    return ItemView(
        line=_line(item, current_position), review=review, comments=comments,
        declarations=tuple(item_declarations(session, item.id)), quorum=quorum, checkpoint=checkpoint,
        readiness=readiness(meeting_status=meeting_status, item_kind=item.kind, item_status=item.status,
                            quorum=quorum, checkpoint=checkpoint),
        stored_quorum_summary=item.quorum_summary,
    )


def _em_view_counts(sections: CommentSections, recused: set[int]) -> bool:
    """A view from someone who has stepped out of the item does not meet the checkpoint."""
    return any(c.author_id not in recused for c in sections.ethnic_minority_lead)


def _item(session: Session, actor: Actor, meeting_id: int, item_id: int) -> tuple[Meeting, AgendaItem]:
    meeting = load_meeting(session, actor, meeting_id)
    item = next((i for i in meeting.agenda_items if i.id == item_id), None)
    if item is None:
        raise NotFound("That item is not on this meeting's agenda.")
    return meeting, item


def set_current_item(*, session: Session, actor: Actor, meeting_id: int, item_id: int) -> None:
    """The chair moves the meeting to an item; a review item moves into discussion."""
    require(actor, Permission.RUN_MEETING)
    meeting, item = _item(session, actor, meeting_id, item_id)
    if meeting.status != MeetingStatus.IN_PROGRESS:
        raise Invalid("Start the meeting before moving between items.")
    meeting.current_position = item.position
    if item.kind == AgendaItemKind.REVIEW and item.status == ItemStatus.PENDING:
        item.status = ItemStatus.IN_DISCUSSION
    session.flush()


def mark_ready_for_vote(*, session: Session, actor: Actor, meeting_id: int, item_id: int,
                        expected_version: int, now: dt.datetime, today: dt.date) -> QuorumResult:
    """Refuse, with every reason in words, unless the item is quorate and its checkpoint is met.

    The quorum as checked now is stored on the item, for the decision and the minutes.
    """
    require(actor, Permission.RUN_MEETING)
    room = meeting_room(session=session, actor=actor, meeting_id=meeting_id, item_id=item_id, today=today)
    if room.item is None or room.item.line.id != item_id:
        raise NotFound("That item is not on this meeting's agenda.")
    if not room.item.readiness.ready:
        raise Invalid("Not ready for the vote: " + " ".join(room.item.readiness.reasons))
    _, item = _item(session, actor, meeting_id, item_id)
    if item.version_id != expected_version:
        raise changed_by_someone_else("this item")
    item.status = ItemStatus.READY_FOR_VOTE
    item.quorum_met = True
    item.quorum_summary = room.item.quorum.recorded
    item.quorum_checked_at = now
    flush_or_conflict(session, "this item")
    return room.item.quorum
