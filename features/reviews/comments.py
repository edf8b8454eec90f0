"""Members' comments on a review, before the meeting (once papers are circulated) and during it.

Lived-experience members' and the ethnic minority lead's comments are kept as their own sections, and a
comment by the ethnic minority lead (or their deputy at that meeting) meets the ethnicity checkpoint.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AgendaItem, Attendance, Meeting, Poll, ReviewComment, User, UserRole, VoteOption
from features.meetings.declarations import recused_user_ids
from features.reviews.reviews import load_review
from rules.actors import Actor
from rules.errors import Invalid, NotAllowed, NotFound
from rules.labels import FEELING_LABELS
from rules.limits import MAX_COMMENT_CHARS, MAX_NAME_CHARS
from rules.permissions import Permission, require
from rules.plain_text import clean_text
from rules.vocabulary import CommentStage, Feeling, MeetingStatus, Role

COMMENT_STAGES = {MeetingStatus.PAPERS_CIRCULATED: CommentStage.BEFORE_MEETING,
                  MeetingStatus.IN_PROGRESS: CommentStage.DURING_MEETING}


@dataclass(frozen=True)
class CommentRow:
    id: int
    author_id: int
    author: str
    as_role: Role | None
    as_deputy: bool
    stage: CommentStage
    body: str
    created_at: dt.datetime
    would_vote: str | None = None  # a pre-meeting view may say how the member would vote
    feeling: Feeling | None = None
    supported_by: str | None = None
    meeting_id: int | None = None

    @property
    def feeling_label(self) -> str | None:
        return FEELING_LABELS[self.feeling] if self.feeling else None

    @property
    def voice(self) -> str:
        """Whose voice this is, in words, for the panel and the minutes."""
        if self.as_role == Role.ETHNIC_MINORITY_LEAD:
            return "Deputy for the ethnic minority lead" if self.as_deputy else "Ethnic minority lead"
        if self.as_role == Role.LIVED_EXPERIENCE_MEMBER:
            return "Lived-experience member"
        return "Panel member"


@dataclass(frozen=True)
class CommentSections:
    lived_experience: tuple[CommentRow, ...]
    ethnic_minority_lead: tuple[CommentRow, ...]
    panel: tuple[CommentRow, ...]

    @property
    def all(self) -> tuple[CommentRow, ...]:
        return tuple(sorted((*self.lived_experience, *self.ethnic_minority_lead, *self.panel),
                            key=lambda c: (c.created_at, c.id)))

    @property
    def em_lead_view_recorded(self) -> bool:
        return bool(self.ethnic_minority_lead)


def _meeting_item_for(session: Session, review_id: int) -> tuple[Meeting, AgendaItem] | None:
    """The meeting whose agenda holds this review and is open for comments."""
    row = session.execute(
        select(Meeting, AgendaItem).join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(AgendaItem.review_id == review_id, Meeting.status.in_(tuple(COMMENT_STAGES)))
        .order_by(Meeting.meeting_date.desc())
    ).first()
    return (row[0], row[1]) if row else None


def _speaking_role(session: Session, actor: Actor, meeting_id: int) -> tuple[Role | None, bool]:
    if Role.ETHNIC_MINORITY_LEAD in actor.roles:
        return Role.ETHNIC_MINORITY_LEAD, False
    if Role.LIVED_EXPERIENCE_MEMBER in actor.roles:
        return Role.LIVED_EXPERIENCE_MEMBER, False
    deputising_for = session.scalar(select(Attendance.deputy_for_user_id).where(
        Attendance.meeting_id == meeting_id, Attendance.user_id == actor.user_id))
    if deputising_for is not None:
        their_roles = set(session.scalars(select(UserRole.role).where(UserRole.user_id == deputising_for)))
        if Role.ETHNIC_MINORITY_LEAD in their_roles:
            return Role.ETHNIC_MINORITY_LEAD, True
        if Role.LIVED_EXPERIENCE_MEMBER in their_roles:
            return Role.LIVED_EXPERIENCE_MEMBER, True
    return None, False


def _comment_text(body: str, feeling: Feeling | None) -> str:
    """Words are optional when the member has chosen how they feel; one or the other is needed."""
    text = clean_text(body, what="The comment", limit=MAX_COMMENT_CHARS)
    if not text and feeling is None:
        raise Invalid("Choose I agree, I am not sure or I am worried, or write your comment, before sending it.")
    return text


def _helper(supported_by: str | None) -> str | None:
    name = clean_text(supported_by or "", what="The helper's name", limit=MAX_NAME_CHARS)
    return name or None


def add_comment(*, session: Session, actor: Actor, review_id: int, body: str,
                vote_option_id: int | None = None, feeling: Feeling | None = None,
                supported_by: str | None = None) -> None:
    """Add a comment; before the meeting it may also say how the member would vote, which the panel sees
    if they send apologies (and counts, if the panel's setting says so). `supported_by` names the person
    who helped write it."""
    require(actor, Permission.COMMENT)
    review = load_review(session, actor, review_id)
    text = _comment_text(body, feeling)
    found = _meeting_item_for(session, review.id)
    if found is None:
        raise Invalid("Comments open when the papers for the meeting are sent out.")
    meeting, item = found
    if actor.user_id in recused_user_ids(session, item.id):
        raise NotAllowed("You stepped out of this review because of an interest, so you cannot comment on it.")
    stage = COMMENT_STAGES[meeting.status]
    if vote_option_id is not None:
        _check_intended_vote(session, actor, stage, vote_option_id)
    _refuse_a_second_send(session, actor, review.id, meeting.id, text)
    as_role, as_deputy = _speaking_role(session, actor, meeting.id)
    session.add(ReviewComment(review_id=review.id, meeting_id=meeting.id, author_id=actor.user_id,
                              stage=stage, as_role=as_role, as_deputy=as_deputy, body=text,
                              vote_option_id=vote_option_id, feeling=feeling, supported_by=_helper(supported_by)))


def _refuse_a_second_send(session: Session, actor: Actor, review_id: int, meeting_id: int, text: str) -> None:
    """A double click (or a second tab) sends the same words twice: keep them once and say so."""
    latest = session.scalars(
        select(ReviewComment.body).where(ReviewComment.review_id == review_id, ReviewComment.meeting_id == meeting_id,
                                         ReviewComment.author_id == actor.user_id)
        .order_by(ReviewComment.id.desc()).limit(1)).first()
    if latest == text:
        raise Invalid("You have already sent this comment, so it is saved once.")


def change_comment(*, session: Session, actor: Actor, comment_id: int, body: str, feeling: Feeling | None,
                   supported_by: str | None, now: dt.datetime) -> None:
    """A member changes their own comment, until the vote on the review opens: after that the panel has
    heard it, and it stays as it was."""
    require(actor, Permission.COMMENT)
    comment = session.get(ReviewComment, comment_id)
    if comment is None or comment.author_id != actor.user_id:
        raise NotFound("You can only change your own comments.")
    load_review(session, actor, comment.review_id)  # same panel
    vote_opened = session.scalar(
        select(Poll.id).join(AgendaItem, AgendaItem.id == Poll.agenda_item_id)
        .where(AgendaItem.review_id == comment.review_id, AgendaItem.meeting_id == comment.meeting_id).limit(1))
    if vote_opened is not None:
        raise Invalid("The vote on this review has opened, so comments can no longer be changed.")
    comment.body = _comment_text(body, feeling)
    comment.feeling = feeling
    comment.supported_by = _helper(supported_by)
    comment.updated_at = now
    session.flush()


def my_comment(*, session: Session, actor: Actor, review_id: int) -> CommentRow | None:
    """The member's latest comment on this review at the meeting now open for comments, to show or change."""
    found = _meeting_item_for(session, review_id)
    if found is None:
        return None
    mine = [c for c in comment_sections(session, review_id).all if c.author_id == actor.user_id
            and c.meeting_id == found[0].id]
    return mine[-1] if mine else None


def _check_intended_vote(session: Session, actor: Actor, stage: CommentStage, option_id: int) -> None:
    if stage != CommentStage.BEFORE_MEETING:
        raise Invalid("During the meeting, vote when the chair opens the vote.")
    option = session.get(VoteOption, option_id)
    if option is None or option.panel_id != actor.panel_id or not option.is_active:
        raise Invalid("Choose one of the answers shown.")


def comment_sections(session: Session, review_id: int) -> CommentSections:
    rows = [
        CommentRow(c.id, c.author_id, name, c.as_role, c.as_deputy, c.stage, c.body, c.created_at, label,
                   c.feeling, c.supported_by, c.meeting_id)
        for c, name, label in session.execute(
            select(ReviewComment, User.name, VoteOption.label).join(User, User.id == ReviewComment.author_id)
            .outerjoin(VoteOption, VoteOption.id == ReviewComment.vote_option_id)
            .where(ReviewComment.review_id == review_id).order_by(ReviewComment.created_at, ReviewComment.id)
        )
    ]
    return CommentSections(
        lived_experience=tuple(r for r in rows if r.as_role == Role.LIVED_EXPERIENCE_MEMBER),
        ethnic_minority_lead=tuple(r for r in rows if r.as_role == Role.ETHNIC_MINORITY_LEAD),
        panel=tuple(r for r in rows if r.as_role is None),
    )


def review_comments(*, session: Session, actor: Actor, review_id: int) -> CommentSections:
    require(actor, Permission.VIEW_REVIEWS)
    load_review(session, actor, review_id)
    return comment_sections(session, review_id)
