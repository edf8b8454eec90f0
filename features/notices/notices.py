"""What needs this person now: answers to give, decisions by circulation to record, comments before a
meeting, actions due, minutes to comment on or approve, meetings to say whether they will come to. Worked
out afresh from the records each time, so a notice goes away when the thing is done; "marked as read" is
the only thing stored (NoticeRead).

Each notice has plain words and Easy Read words (short sentences, one idea each) for lived-experience
members, and no case detail beyond a review's pseudonymised reference: the same words go by email.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from db.conflicts import flush_or_conflict
from db.models import (
    Action,
    AgendaItem,
    Attendance,
    Decision,
    FocusedReview,
    ItemDeclaration,
    Meeting,
    MinutesComment,
    MinutesRecord,
    NoticeRead,
    Poll,
    ReviewComment,
    Vote,
)
from features.actions.actions import OPEN_STATUSES
from features.meetings.quorum import eligible_voters
from rules.actors import Actor
from rules.errors import Invalid
from rules.formatting import as_utc, long_date, uk_time, when
from rules.permissions import Permission, allows, require
from rules.vocabulary import AgendaItemKind, ItemStatus, MeetingKind, MeetingStatus, MinutesStatus, PollStatus

DUE_SOON_DAYS = 14  # an action due within this many days is a notice
ASK_BEFORE_DAYS = 30  # a meeting this close asks whether you will come


class NoticeKind(enum.StrEnum):
    CIRCULATION = "circulation"
    DECISION = "decision"  # a circulation's answers are in: the chair records the panel's decision
    VOTE = "vote"
    COMMENT = "comment"
    ACTION = "action"
    MINUTES = "minutes"
    MEETING = "meeting"


@dataclass(frozen=True)
class Notice:
    key: str  # stable while the thing waits; a new due date or a new vote is a new key
    kind: NoticeKind
    words: str
    easy: str  # Easy Read: short sentences, the most important first
    page: str  # the url path of the page where it is done
    read: bool = False
    meeting_id: int | None = None  # for "will you come?": the meeting to answer about


# Pages and icons per kind, for the home page and the email's link.
ICONS: dict[NoticeKind, str] = {
    NoticeKind.CIRCULATION: ":material/forward_to_inbox:", NoticeKind.DECISION: ":material/gavel:",
    NoticeKind.VOTE: ":material/how_to_vote:",
    NoticeKind.COMMENT: ":material/chat:", NoticeKind.ACTION: ":material/task_alt:",
    NoticeKind.MINUTES: ":material/article:", NoticeKind.MEETING: ":material/event:",
}


def _circulations(session: Session, actor: Actor, now: dt.datetime) -> list[Notice]:
    if not allows(actor, Permission.VOTE):
        return []
    answered = select(Vote.id).where(Vote.poll_id == Poll.id, Vote.member_id == actor.user_id).exists()
    stepped_out = select(ItemDeclaration.id).where(ItemDeclaration.agenda_item_id == AgendaItem.id,
                                                   ItemDeclaration.user_id == actor.user_id).exists()
    rows = session.execute(
        select(AgendaItem.id, FocusedReview.reference, Meeting.deadline_at)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id).join(Poll, Poll.agenda_item_id == AgendaItem.id)
        .join(FocusedReview, FocusedReview.id == AgendaItem.review_id)
        .where(Meeting.panel_id == actor.panel_id, Meeting.kind == MeetingKind.CIRCULATION,
               Meeting.status == MeetingStatus.IN_PROGRESS, Poll.status == PollStatus.OPEN, ~answered, ~stepped_out)
        .order_by(Meeting.deadline_at, AgendaItem.position)
    ).all()
    return [Notice(f"circulation-{item_id}", NoticeKind.CIRCULATION,
                   f"Review {reference} is waiting for your answer, by {when(deadline)}.",
                   f"Please vote on review {reference}. Vote by {when(deadline)}.", "circulations")
            for item_id, reference, deadline in rows if deadline is not None and as_utc(deadline) > as_utc(now)]


def _decisions_to_record(session: Session, actor: Actor, now: dt.datetime) -> list[Notice]:
    """For the chair: reviews in a circulation whose answers are in (closed, or past the deadline and not
    yet closed) with no decision recorded. One that fell short went back to the panel (DEFERRED): no notice."""
    if not allows(actor, Permission.RECORD_DECISION):
        return []
    decided = select(Decision.id).where(Decision.agenda_item_id == AgendaItem.id).exists()
    rows = session.execute(
        select(AgendaItem.id, FocusedReview.reference, Meeting.status, Meeting.deadline_at)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(FocusedReview, FocusedReview.id == AgendaItem.review_id)
        .where(Meeting.panel_id == actor.panel_id, Meeting.kind == MeetingKind.CIRCULATION,
               Meeting.status.in_((MeetingStatus.IN_PROGRESS, MeetingStatus.HELD)),
               AgendaItem.status != ItemStatus.DEFERRED, ~decided)
        .order_by(Meeting.deadline_at, AgendaItem.position)
    ).all()
    return [Notice(f"decision-{item_id}", NoticeKind.DECISION,
                   f"The answers on review {reference} are in. Record the panel's decision.",
                   f"The vote on review {reference} has ended. Please record what the panel decided.",
                   "circulations")
            for item_id, reference, status, deadline in rows
            if status == MeetingStatus.HELD or (deadline is not None and as_utc(deadline) <= as_utc(now))]


def _meeting_votes(session: Session, actor: Actor) -> list[Notice]:
    if not allows(actor, Permission.VOTE):
        return []
    rows = session.execute(
        select(Poll.id, AgendaItem.id, AgendaItem.meeting_id, FocusedReview.reference)
        .join(AgendaItem, AgendaItem.id == Poll.agenda_item_id).join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(FocusedReview, FocusedReview.id == AgendaItem.review_id)
        .where(Meeting.panel_id == actor.panel_id, Meeting.kind == MeetingKind.MEETING,
               Meeting.status == MeetingStatus.IN_PROGRESS, Poll.status == PollStatus.OPEN,
               ~select(Vote.id).where(Vote.poll_id == Poll.id, Vote.member_id == actor.user_id).exists())
    ).all()
    return [Notice(f"vote-{poll_id}", NoticeKind.VOTE, f"The vote on review {reference} is open in the meeting.",
                   f"The vote on review {reference} is open now. Please vote.", "my-meeting")
            for poll_id, item_id, meeting_id, reference in rows
            if actor.user_id in eligible_voters(session, actor, meeting_id, item_id)]


def _comments_before_meeting(session: Session, actor: Actor) -> list[Notice]:
    if not allows(actor, Permission.COMMENT):
        return []
    commented = select(ReviewComment.id).where(ReviewComment.review_id == AgendaItem.review_id,
                                               ReviewComment.meeting_id == Meeting.id,
                                               ReviewComment.author_id == actor.user_id).exists()
    stepped_out = select(ItemDeclaration.id).where(ItemDeclaration.agenda_item_id == AgendaItem.id,
                                                   ItemDeclaration.user_id == actor.user_id).exists()
    rows = session.execute(
        select(Meeting.id, Meeting.meeting_date, AgendaItem.review_id, FocusedReview.reference)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .join(FocusedReview, FocusedReview.id == AgendaItem.review_id)
        .where(Meeting.panel_id == actor.panel_id, Meeting.kind == MeetingKind.MEETING,
               Meeting.status == MeetingStatus.PAPERS_CIRCULATED, AgendaItem.kind == AgendaItemKind.REVIEW,
               ~commented, ~stepped_out)
        .order_by(Meeting.meeting_date, AgendaItem.position)
    ).all()
    return [Notice(f"comment-{meeting_id}-{review_id}", NoticeKind.COMMENT,
                   f"Review {reference} is waiting for your comment before the meeting on {long_date(day)}.",
                   f"Please tell us what you think about review {reference}. The meeting is on {long_date(day)}.",
                   "my-meeting")
            for meeting_id, day, review_id, reference in rows]


def _actions(session: Session, actor: Actor, today: dt.date) -> list[Notice]:
    if not allows(actor, Permission.VIEW_ACTIONS):
        return []
    rows = session.execute(
        select(Action.id, Action.due_on, FocusedReview.reference)
        .join(FocusedReview, FocusedReview.id == Action.review_id)
        .where(Action.panel_id == actor.panel_id, func.lower(Action.owner_name) == actor.name.lower(),
               Action.status.in_(OPEN_STATUSES), Action.is_draft.is_(False),
               Action.due_on <= today + dt.timedelta(days=DUE_SOON_DAYS))
        .order_by(Action.due_on, Action.id)
    ).all()
    notices = []
    for action_id, due_on, reference in rows:
        if due_on < today:
            words = f"Your action on review {reference} was due on {long_date(due_on)}. It is overdue."
            easy = f"Your action on review {reference} is late. It was due on {long_date(due_on)}."
        else:
            words = f"Your action on review {reference} is due on {long_date(due_on)}."
            easy = f"Your action on review {reference} must be done by {long_date(due_on)}."
        notices.append(Notice(f"action-{action_id}-{due_on.isoformat()}", NoticeKind.ACTION, words, easy, "actions"))
    return notices


def _minutes(session: Session, actor: Actor) -> list[Notice]:
    approves, comments = allows(actor, Permission.APPROVE_MINUTES), allows(actor, Permission.COMMENT)
    if not (approves or comments):
        return []
    rows = session.execute(
        select(Meeting.id, Meeting.meeting_date,
               select(MinutesComment.id).where(MinutesComment.meeting_id == Meeting.id,
                                               MinutesComment.author_id == actor.user_id).exists())
        .join(MinutesRecord, MinutesRecord.meeting_id == Meeting.id)
        .where(Meeting.panel_id == actor.panel_id, MinutesRecord.status == MinutesStatus.CIRCULATED)
        .order_by(Meeting.meeting_date)
    ).all()
    notices = []
    for meeting_id, day, commented in rows:
        if approves:
            notices.append(Notice(f"minutes-approve-{meeting_id}", NoticeKind.MINUTES,
                                  f"The draft minutes of the meeting on {long_date(day)} are ready to approve.",
                                  f"The notes of the meeting on {long_date(day)} are ready. Please approve them.",
                                  "minutes"))
        elif not commented:
            notices.append(Notice(f"minutes-comment-{meeting_id}", NoticeKind.MINUTES,
                                  f"The draft minutes of the meeting on {long_date(day)} are ready for your comments.",
                                  f"The notes of the meeting on {long_date(day)} are ready. Please read them. "
                                  "Tell us if something is wrong.", "minutes"))
    return notices


def _meetings_to_answer(session: Session, actor: Actor, today: dt.date) -> list[Notice]:
    if not allows(actor, Permission.VOTE):
        return []
    rows = session.execute(
        select(Meeting.id, Meeting.meeting_date).outerjoin(
            Attendance, and_(Attendance.meeting_id == Meeting.id, Attendance.user_id == actor.user_id))
        .where(Meeting.panel_id == actor.panel_id, Meeting.kind == MeetingKind.MEETING,
               Meeting.status.in_((MeetingStatus.PLANNED, MeetingStatus.PAPERS_CIRCULATED)),
               Meeting.meeting_date >= today, Meeting.meeting_date <= today + dt.timedelta(days=ASK_BEFORE_DAYS),
               Attendance.id.is_(None))
        .order_by(Meeting.meeting_date)
    ).all()
    return [Notice(f"meeting-{meeting_id}", NoticeKind.MEETING,
                   f"Will you come to the meeting on {long_date(day)}? Say so here, or send apologies.",
                   f"There is a meeting on {long_date(day)}. Can you come?", "home", meeting_id=meeting_id)
            for meeting_id, day in rows]


def _read_keys(session: Session, actor: Actor, keys: Iterable[str]) -> set[str]:
    wanted = list(keys)
    if not wanted:
        return set()
    return set(session.scalars(select(NoticeRead.notice_key).where(NoticeRead.user_id == actor.user_id,
                                                                   NoticeRead.notice_key.in_(wanted))))


def notices_for(*, session: Session, actor: Actor, now: dt.datetime) -> list[Notice]:
    """Everything that needs this person now, the most pressing kinds first, each marked read or not."""
    require(actor, Permission.VIEW_HOME)
    today = uk_time(now).date()
    found = (_circulations(session, actor, now) + _decisions_to_record(session, actor, now)
             + _meeting_votes(session, actor)
             + _comments_before_meeting(session, actor) + _actions(session, actor, today)
             + _minutes(session, actor) + _meetings_to_answer(session, actor, today))
    read = _read_keys(session, actor, (n.key for n in found))
    return [replace(n, read=n.key in read) for n in found]


def mark_read(*, session: Session, actor: Actor, keys: Iterable[str], now: dt.datetime) -> int:
    """Mark the person's own notices as read (a key that is not one of theirs now is refused); returns how
    many were newly marked. Marking one twice changes nothing."""
    require(actor, Permission.VIEW_HOME)
    wanted = set(keys)
    current = {n.key: n for n in notices_for(session=session, actor=actor, now=now)}
    unknown = wanted - set(current)
    if unknown:
        raise Invalid("That notice is no longer waiting for you. The page has been updated.")
    fresh = [key for key in wanted if not current[key].read]
    session.add_all(NoticeRead(user_id=actor.user_id, notice_key=key, read_at=now) for key in sorted(fresh))
    flush_or_conflict(session, "your notices", duplicates=True)
    return len(fresh)
