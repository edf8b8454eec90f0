"""Decisions by circulation. When a review cannot wait for the next meeting, or a meeting was not quorate
for it, the chair sends it to the members, who vote by a deadline.

A circulation is stored as a meeting of its own kind (MeetingKind.CIRCULATION) whose agenda is its reviews,
each with its vote open from the start. So the vote itself is the meeting's: one row per member (the
database's rule), named or anonymous, supported votes, votes recorded for a member, stepping out for an
interest, the decision and the locking on sign-off. What differs lives here: who may answer (every active
voting member who has not stepped out), when it is quorate (features/meetings/quorum.py), the deadline, and
closing: by the chair, or by itself at the deadline, never before. A review not decided goes back to
"ready for the panel", for a meeting.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.conflicts import flush_or_conflict
from db.models import AgendaItem, Decision, FocusedReview, ItemDeclaration, Meeting, Poll, User, UserRole, Vote
from features.audit.audit import record_event
from features.meetings.declarations import clean_interest, recused_user_ids
from features.meetings.meetings import open_agenda_holding
from features.meetings.quorum import eligible_voters, item_quorum
from features.meetings.room import Checkpoint, ethnicity_checkpoint
from features.panel_settings.panels import panel_rules
from features.reviews.comments import comment_sections
from features.voting.decisions import DecisionView, decision_for_item
from features.voting.voting import PollView, fix_the_result, poll_subject, poll_view, refuse_after_deadline
from rules.actors import Actor
from rules.errors import Conflict, Invalid, NotFound
from rules.formatting import as_utc, long_date, plural, uk_time, when
from rules.labels import DECISION_OUTCOME_LABELS, REVIEW_STATUS_LABELS
from rules.periods import decided_since_last_meeting
from rules.permissions import Permission, allows, require
from rules.quorum import QuorumResult, is_voting_member
from rules.vocabulary import (
    AgendaItemKind,
    DecisionOutcome,
    DeclarationOutcome,
    ItemStatus,
    MeetingKind,
    MeetingStatus,
    PollStatus,
    ReviewStatus,
    Role,
)

MAX_REVIEWS = 10  # more than this is a meeting's agenda, not a circulation
MAX_DAYS = 60  # a review's 6-month clock cannot wait longer for an answer
RECENT = 10  # closed circulations shown on the page


@dataclass(frozen=True)
class CirculableReview:
    id: int
    reference: str
    ethnic_minority: bool

    @property
    def label(self) -> str:
        return self.reference + (" (ethnicity flagged)" if self.ethnic_minority else "")


@dataclass(frozen=True)
class CirculatedReview:
    """One review in a circulation, as the page shows it to this person."""

    item_id: int
    review_id: int
    reference: str
    item_status: ItemStatus
    review_status_label: str
    poll: PollView | None
    decision: DecisionView | None
    quorum: QuorumResult
    checkpoint: Checkpoint
    may_answer: bool  # an eligible voting member, before the deadline
    stepped_out: bool
    answered: bool
    summary: str = ""  # blank for those who do not read case detail (observers)
    easy_read_summary: str = ""

    @property
    def outcome(self) -> str:
        """Where the review stands, in words."""
        if self.decision is not None:
            return f"Decided: {self.decision.outcome_label}."
        if self.item_status == ItemStatus.DEFERRED:
            return "Not decided by circulation. It goes back to the panel, for a meeting."
        if self.poll is not None and self.poll.status == PollStatus.CLOSED:
            return "Answers are in. Waiting for the chair to record the decision."
        return "Open for answers."


@dataclass(frozen=True)
class AgreedByCirculation:
    """A review decided by circulation, as the next meeting's minutes list it."""

    reference: str
    outcome: DecisionOutcome
    voted: int
    eligible: int
    decided_on: dt.date

    @property
    def outcome_label(self) -> str:
        return DECISION_OUTCOME_LABELS[self.outcome]

    @property
    def line(self) -> str:
        return (f"{self.reference}: {self.outcome_label}, on {long_date(self.decided_on)} "
                f"({self.voted} of {plural(self.eligible, 'eligible member')} answered).")


@dataclass(frozen=True)
class CirculationView:
    id: int
    sent_on: dt.date
    sent_by: str
    deadline_at: dt.datetime
    min_responses: int
    open: bool
    reviews: tuple[CirculatedReview, ...]

    @property
    def deadline_in_words(self) -> str:
        return when(self.deadline_at)

    @property
    def title(self) -> str:
        return f"Sent on {long_date(self.sent_on)} by {self.sent_by}"


def _voting_member_count(session: Session, panel_id: int) -> int:
    roles: dict[int, set[Role]] = {}
    for user_id, role in session.execute(select(UserRole.user_id, UserRole.role).join(User, User.id == UserRole.user_id)
                                         .where(User.panel_id == panel_id, User.is_active.is_(True))):
        roles.setdefault(user_id, set()).add(role)
    return sum(1 for held in roles.values() if is_voting_member(held))


def circulable_reviews(*, session: Session, actor: Actor) -> list[CirculableReview]:
    """Reviews ready for the panel and on no open agenda. A review already in a circulation (open, or
    closed and awaiting the chair's decision) is on its agenda, so it is not offered again."""
    require(actor, Permission.CIRCULATE)
    rows = session.execute(
        select(FocusedReview.id, FocusedReview.reference, FocusedReview.ethnic_minority)
        .where(FocusedReview.panel_id == actor.panel_id, FocusedReview.status == ReviewStatus.READY_FOR_PANEL)
        .order_by(FocusedReview.reference)
    ).all()
    return [CirculableReview(r.id, r.reference, r.ethnic_minority) for r in rows]


def default_min_responses(*, session: Session, actor: Actor) -> int:
    """What the form suggests: the panel's own quorum for a meeting."""
    return panel_rules(session=session, panel_id=actor.panel_id).quorum.min_voting_members


def _check_deadline(deadline_at: dt.datetime, now: dt.datetime) -> dt.datetime:
    deadline = as_utc(deadline_at)
    if deadline <= as_utc(now):
        raise Invalid(f"The deadline ({when(deadline)}) has already passed. Choose a later day or time.")
    if deadline > as_utc(now) + dt.timedelta(days=MAX_DAYS):
        raise Invalid(f"The deadline is more than {MAX_DAYS} days away. Choose a day sooner, or put the review on "
                      "a meeting's agenda.")
    return deadline


def _reviews_to_send(session: Session, actor: Actor, review_ids: list[int]) -> list[FocusedReview]:
    unique = list(dict.fromkeys(review_ids))
    if not unique:
        raise Invalid("Choose at least one review to send.")
    if len(unique) > MAX_REVIEWS:
        raise Invalid(f"Send at most {MAX_REVIEWS} reviews at once; more is an agenda for a meeting.")
    reviews = []
    for review_id in unique:
        review = session.get(FocusedReview, review_id)
        if review is None or review.panel_id != actor.panel_id:
            raise NotFound("That review is not on your panel's list.")
        holder = open_agenda_holding(session, review.id)
        if holder is not None:
            where = ("a decision by circulation" if holder.kind == MeetingKind.CIRCULATION
                     else f"the agenda of the meeting on {long_date(holder.meeting_date)}")
            raise Conflict(f"{review.reference} is already on {where}.")
        if review.status == ReviewStatus.ON_AGENDA:  # its vote has closed; the decision is not recorded yet
            raise Conflict(f"{review.reference} is waiting for the chair to record the decision on its vote.")
        if review.status != ReviewStatus.READY_FOR_PANEL:
            raise Invalid(f"{review.reference} cannot be sent: it is {REVIEW_STATUS_LABELS[review.status].lower()}.")
        reviews.append(review)
    return reviews


def start_circulation(*, session: Session, actor: Actor, review_ids: list[int], deadline_at: dt.datetime,
                      min_responses: int, anonymous: bool, now: dt.datetime) -> int:
    """Send reviews for a decision by circulation: every check first, then the circulation, its items and
    their open votes together, so a refused one leaves nothing behind."""
    require(actor, Permission.CIRCULATE)
    reviews = _reviews_to_send(session, actor, review_ids)
    deadline = _check_deadline(deadline_at, now)
    members = _voting_member_count(session, actor.panel_id)
    if members == 0:
        raise Invalid("The panel has no active voting members to answer.")
    if min_responses < 1:
        raise Invalid("At least 1 answer is needed for a decision.")
    if min_responses > members:
        raise Invalid(f"{min_responses} answers cannot be reached: the panel has {plural(members, 'voting member')}.")
    sent_on = uk_time(now).date()
    circulation = Meeting(
        panel_id=actor.panel_id, kind=MeetingKind.CIRCULATION, title=f"Decision by circulation, {long_date(sent_on)}",
        meeting_date=sent_on, status=MeetingStatus.IN_PROGRESS, deadline_at=deadline, min_responses=min_responses,
        agenda_items=[AgendaItem(position=n, kind=AgendaItemKind.REVIEW, review=review,
                                 status=ItemStatus.READY_FOR_VOTE, title=f"Focused review {review.reference}")
                      for n, review in enumerate(reviews, 1)],
    )
    session.add(circulation)
    for review in reviews:
        review.status = ReviewStatus.ON_AGENDA
    flush_or_conflict(session, "these reviews")
    session.add_all(Poll(agenda_item_id=item.id, round=1, status=PollStatus.OPEN, anonymous=anonymous,
                         opened_by_id=actor.user_id, opened_at=now) for item in circulation.agenda_items)
    flush_or_conflict(session, "this circulation", duplicates=True)
    kind = "an anonymous" if anonymous else "a named"
    for item in circulation.agenda_items:
        record_event(session, actor, action="sent for circulation", subject=poll_subject(item),
                     description=f"Sent for a decision by circulation ({kind} vote) until {when(deadline)}: "
                                 f"{plural(min_responses, 'answer')} needed.", at=now)
    return circulation.id


def _circulation(session: Session, actor: Actor, circulation_id: int) -> Meeting:
    meeting = session.get(Meeting, circulation_id)
    if meeting is None or meeting.panel_id != actor.panel_id or meeting.kind != MeetingKind.CIRCULATION:
        raise NotFound("That decision by circulation is not on your panel's records.")
    return meeting


def _checkpoint(session: Session, item: AgendaItem, require_view: bool) -> Checkpoint:
    """For a flagged review, the ethnic minority lead's view: a comment, or their answer to the vote."""
    review = _reviewed(item)
    recorded = comment_sections(session, review.id).em_lead_view_recorded or bool(session.scalar(
        select(func.count()).select_from(Vote).join(Poll, Poll.id == Vote.poll_id)
        .join(UserRole, UserRole.user_id == Vote.member_id)
        .where(Poll.agenda_item_id == item.id, UserRole.role == Role.ETHNIC_MINORITY_LEAD)))
    return ethnicity_checkpoint(ethnic_minority=review.ethnic_minority, required=require_view,
                                em_lead_view_recorded=recorded)


def _close(session: Session, actor: Actor, circulation: Meeting, now: dt.datetime, why: str) -> None:
    """Close every open vote; a review whose answers fall short (or, when flagged, have no view from the
    ethnic minority lead) is not decided and goes back to "ready for the panel"."""
    require_view = panel_rules(session=session, panel_id=actor.panel_id).require_em_lead_view
    for item in circulation.agenda_items:
        poll = session.scalars(select(Poll).where(Poll.agenda_item_id == item.id, Poll.status == PollStatus.OPEN)
                               .with_for_update()).one_or_none()
        if poll is None:
            continue
        voted = session.scalar(select(func.count()).select_from(Vote).where(Vote.poll_id == poll.id)) or 0
        fix_the_result(session, actor, poll, item, circulation, voted=voted, now=now)
        checkpoint = _checkpoint(session, item, require_view)
        if not poll.quorum_met or not checkpoint.met:
            reason = poll.quorum_summary if not poll.quorum_met else checkpoint.message
            item.status = ItemStatus.DEFERRED
            _reviewed(item).status = ReviewStatus.READY_FOR_PANEL
            record_event(session, actor, action="review status", subject=poll_subject(item),
                         description=f"Not decided by circulation ({reason}). Back to ready for the panel.", at=now)
    circulation.status = MeetingStatus.HELD
    flush_or_conflict(session, "this circulation")
    record_event(session, actor, action="circulation closed",
                 subject=f"circulation of {long_date(circulation.meeting_date)}", description=why, at=now)


def close_circulation(*, session: Session, actor: Actor, circulation_id: int, now: dt.datetime) -> None:
    """The chair closes a circulation before its deadline, for example once everyone has answered."""
    require(actor, Permission.CIRCULATE)
    circulation = _circulation(session, actor, circulation_id)
    if circulation.status != MeetingStatus.IN_PROGRESS:
        raise Invalid("This decision by circulation is already closed.")
    _close(session, actor, circulation, now, f"Closed by {actor.name} before the deadline.")


def due_circulations(*, session: Session, actor: Actor, now: dt.datetime) -> list[int]:
    """Open circulations whose deadline has come: a cheap read, so a write happens only when one is due."""
    rows = session.execute(select(Meeting.id, Meeting.deadline_at).where(
        Meeting.panel_id == actor.panel_id, Meeting.kind == MeetingKind.CIRCULATION,
        Meeting.status == MeetingStatus.IN_PROGRESS, Meeting.deadline_at.is_not(None))).all()
    return [meeting_id for meeting_id, deadline in rows if deadline is not None and as_utc(deadline) <= as_utc(now)]


def close_if_due(*, session: Session, actor: Actor, now: dt.datetime) -> int:
    """Close, at their deadline, the circulations nobody closed: the first read after it does so. Two
    readers at once: the row lock (PostgreSQL) or the write lock (SQLite) lets one close it; the other finds
    it closed."""
    require(actor, Permission.VIEW_MEETINGS)
    closed = 0
    for circulation_id in due_circulations(session=session, actor=actor, now=now):
        circulation = session.scalars(select(Meeting).where(Meeting.id == circulation_id).with_for_update()
                                      .execution_options(populate_existing=True)).one()
        if circulation.status != MeetingStatus.IN_PROGRESS:
            continue
        _close(session, actor, circulation, now, f"Closed at its deadline, {when(circulation.deadline_at or now)}.")
        closed += 1
    return closed


def declare_own_interest(*, session: Session, actor: Actor, item_id: int, interest: str, now: dt.datetime) -> None:
    """A member steps out of one review in an open circulation because of an interest: they will not answer
    and do not count. Not once they have answered (their answer would stand), and not after the deadline."""
    require(actor, Permission.DECLARE_INTEREST)
    item = session.get(AgendaItem, item_id)
    circulation = _circulation(session, actor, item.meeting_id) if item is not None else None
    if item is None or circulation is None:
        raise NotFound("That review is not in one of your panel's circulations.")
    if circulation.status != MeetingStatus.IN_PROGRESS:
        raise Invalid("This decision by circulation is closed.")
    refuse_after_deadline(circulation, now)
    answered = session.scalar(select(Vote.id).join(Poll, Poll.id == Vote.poll_id)
                              .where(Poll.agenda_item_id == item.id, Vote.member_id == actor.user_id))
    if answered is not None:
        raise Invalid("You have already answered on this review, so you cannot step out of it now. Tell the chair "
                      "about the interest.")
    text = clean_interest(interest)
    if actor.user_id in recused_user_ids(session, item.id):
        raise Conflict("You have already stepped out of this review.")
    session.add(ItemDeclaration(agenda_item_id=item.id, user_id=actor.user_id, interest=text,
                                outcome=DeclarationOutcome.RECUSED, recorded_by_id=actor.user_id))
    flush_or_conflict(session, "your declaration", duplicates=True)
    record_event(session, actor, action="interest declared", subject=poll_subject(item),
                 description=f"{actor.name} declared an interest and stepped out of the review.", at=now)


def _reviewed(item: AgendaItem) -> FocusedReview:
    if item.review is None:
        raise NotFound("The review on this item no longer exists.")
    return item.review


def _review_view(session: Session, actor: Actor, circulation: Meeting, item: AgendaItem, require_view: bool,
                 now: dt.datetime) -> CirculatedReview:
    review = _reviewed(item)
    poll = poll_view(session=session, actor=actor, item_id=item.id)
    recused = recused_user_ids(session, item.id)
    open_now = circulation.status == MeetingStatus.IN_PROGRESS and as_utc(now) < as_utc(circulation.deadline_at or now)
    eligible = eligible_voters(session, actor, circulation.id, item.id)
    reads = allows(actor, Permission.VIEW_REVIEWS)
    return CirculatedReview(
        item_id=item.id, review_id=review.id, reference=review.reference, item_status=item.status,
        review_status_label=REVIEW_STATUS_LABELS[review.status], poll=poll,
        decision=decision_for_item(session=session, actor=actor, item_id=item.id),
        quorum=item_quorum(session=session, actor=actor, meeting_id=circulation.id, item_id=item.id),
        checkpoint=_checkpoint(session, item, require_view),
        may_answer=open_now and actor.user_id in eligible and allows(actor, Permission.VOTE),
        stepped_out=actor.user_id in recused, answered=bool(poll and poll.i_have_voted),
        summary=review.summary if reads else "", easy_read_summary=review.easy_read_summary if reads else "",
    )


def _sent_by(session: Session, circulation_id: int) -> str:
    """Who sent it: the person who opened its votes."""
    return session.scalar(select(User.name).join(Poll, Poll.opened_by_id == User.id)
                          .join(AgendaItem, AgendaItem.id == Poll.agenda_item_id)
                          .where(AgendaItem.meeting_id == circulation_id).limit(1)) or "the chair"


def _view(session: Session, actor: Actor, meeting: Meeting, require_view: bool, now: dt.datetime) -> CirculationView:
    return CirculationView(
        id=meeting.id, sent_on=meeting.meeting_date, sent_by=_sent_by(session, meeting.id),
        deadline_at=meeting.deadline_at or now, min_responses=meeting.min_responses or 0,
        open=meeting.status == MeetingStatus.IN_PROGRESS,
        reviews=tuple(_review_view(session, actor, meeting, item, require_view, now) for item in meeting.agenda_items),
    )


def circulations(*, session: Session, actor: Actor, now: dt.datetime
                 ) -> tuple[list[CirculationView], list[CirculationView]]:
    """The panel's open circulations (soonest deadline first) and the latest closed ones (newest first)."""
    require(actor, Permission.VIEW_MEETINGS)
    require_view = panel_rules(session=session, panel_id=actor.panel_id).require_em_lead_view
    mine = select(Meeting).where(Meeting.panel_id == actor.panel_id, Meeting.kind == MeetingKind.CIRCULATION)
    open_ones = session.scalars(mine.where(Meeting.status == MeetingStatus.IN_PROGRESS)
                                .order_by(Meeting.deadline_at, Meeting.id)).all()
    closed = session.scalars(mine.where(Meeting.status != MeetingStatus.IN_PROGRESS)
                             .order_by(Meeting.deadline_at.desc(), Meeting.id.desc()).limit(RECENT)).all()
    return ([_view(session, actor, m, require_view, now) for m in open_ones],
            [_view(session, actor, m, require_view, now) for m in closed])


def agreed_by_circulation(*, session: Session, actor: Actor, after: dt.datetime | None, until: dt.datetime
                          ) -> list[AgreedByCirculation]:
    """Decisions by circulation recorded after one meeting began and by the time the next began (see
    rules.periods.decided_since_last_meeting), oldest first."""
    require(actor, Permission.VIEW_MEETINGS)
    query = (select(Decision, FocusedReview.reference).join(AgendaItem, AgendaItem.id == Decision.agenda_item_id)
             .join(Meeting, Meeting.id == AgendaItem.meeting_id)
             .join(FocusedReview, FocusedReview.id == Decision.review_id)
             .where(Meeting.panel_id == actor.panel_id, Meeting.kind == MeetingKind.CIRCULATION,
                    Decision.decided_at <= as_utc(until))
             .order_by(Decision.decided_at, Decision.id))
    if after is not None:
        query = query.where(Decision.decided_at > as_utc(after))
    return [AgreedByCirculation(reference, decision.outcome, decision.voted_count,
                                decision.eligible_count, uk_time(decision.decided_at).date())
            for decision, reference in session.execute(query).all()
            if decided_since_last_meeting(decision.decided_at, after, until)]
