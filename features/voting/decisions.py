"""The panel's decision on a review, recorded by the chair once the vote has closed.

The decision, the tally and the quorum at the moment the vote closed are stored together in one row that
the database will not let anyone change (append-only). Signing off freezes the review's findings.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.conflicts import flush_or_conflict
from db.models import AgendaItem, Decision, FocusedReview, Meeting, User
from features.audit.audit import record_event
from features.reviews.escalations import escalate
from features.reviews.versions import freeze_signed_off
from features.voting.voting import poll_in_panel, poll_subject, poll_view
from rules.actors import Actor
from rules.errors import Conflict, Invalid, NotFound
from rules.formatting import uk_time
from rules.labels import DECISION_OUTCOME_LABELS
from rules.permissions import Permission, require
from rules.plain_text import clean_text
from rules.vocabulary import DecisionOutcome, ItemStatus, MeetingKind, PollStatus, ReviewStatus

# What each outcome does to the review.
REVIEW_STATUS_AFTER: dict[DecisionOutcome, ReviewStatus] = {
    DecisionOutcome.SIGNED_OFF: ReviewStatus.SIGNED_OFF,
    DecisionOutcome.SIGNED_OFF_WITH_AMENDMENTS: ReviewStatus.SIGNED_OFF,
    DecisionOutcome.RETURNED: ReviewStatus.RETURNED,
    DecisionOutcome.ESCALATED: ReviewStatus.ESCALATED,
}
SIGNING_OFF = frozenset({DecisionOutcome.SIGNED_OFF, DecisionOutcome.SIGNED_OFF_WITH_AMENDMENTS})


@dataclass(frozen=True)
class TallyLine:
    option: str
    count: int


@dataclass(frozen=True)
class DecisionView:
    outcome: DecisionOutcome
    outcome_label: str
    reasons: str
    tally: tuple[TallyLine, ...]
    voted: int
    eligible: int
    quorum_met: bool
    quorum_summary: str
    decided_by: str
    decided_at: dt.datetime

    @property
    def tally_in_words(self) -> str:
        return "; ".join(f"{line.option}: {line.count}" for line in self.tally)


def reasons_needed(outcome: DecisionOutcome) -> bool:
    """Only a plain sign-off may go without reasons: amendments, returns and escalations must say why."""
    return outcome != DecisionOutcome.SIGNED_OFF


def record_decision(*, session: Session, actor: Actor, poll_id: int, outcome: DecisionOutcome, reasons: str,
                    now: dt.datetime) -> int:
    """Record what the panel decided, with the tally and quorum frozen alongside it."""
    require(actor, Permission.RECORD_DECISION)
    poll, item, meeting = poll_in_panel(session, actor, poll_id)
    if poll.status != PollStatus.CLOSED:
        raise Invalid("Close the vote before recording the decision.")
    if session.scalar(select(Decision.id).where(Decision.agenda_item_id == item.id)) is not None:
        raise Conflict("The decision on this item has already been recorded. It cannot be changed.")
    if item.status == ItemStatus.DEFERRED:
        raise Invalid("This review was deferred, so no decision can be recorded on it here. It goes back to the "
                      "panel.")
    if not poll.quorum_met:
        raise Invalid(f"The panel was not quorate when the vote closed ({poll.quorum_summary}). Open the vote "
                      "again when the panel is quorate.")
    text = clean_text(reasons, what="The reasons")
    if reasons_needed(outcome) and not text:
        raise Invalid(f"Give the panel's reasons for '{DECISION_OUTCOME_LABELS[outcome]}'.")
    view = poll_view(session=session, actor=actor, item_id=item.id)
    if view is None or view.id != poll.id or view.results is None:
        raise Conflict("A newer vote has been opened on this item. Record the decision on that one.")
    decision = Decision(
        poll_id=poll.id, agenda_item_id=item.id, review_id=item.review_id, outcome=outcome, reasons=text,
        tally=json.dumps([{"option": r.option, "count": r.count} for r in view.results]),
        voted_count=view.voted, eligible_count=view.eligible, quorum_met=bool(poll.quorum_met),
        quorum_summary=poll.quorum_summary or "", decided_by_id=actor.user_id, decided_at=now,
    )
    session.add(decision)
    flush_or_conflict(session, "this decision", duplicates=True)
    _apply_to_review(session, actor, item, meeting, decision, now)
    record_event(session, actor, action="decision recorded", subject=poll_subject(item),
                 description=f"{DECISION_OUTCOME_LABELS[outcome]}. Votes: "
                             + "; ".join(f"{r.option} {r.count}" for r in view.results)
                             + f". {poll.quorum_summary}." + (f" Reasons: {text}" if text else ""), at=now)
    return decision.id


def decided_on(meeting: Meeting, now: dt.datetime) -> dt.date:
    """The day the panel decided: the meeting's day, or for a circulation the day the chair recorded it
    (not the day it was sent), which is when the review's clock stops."""
    return uk_time(now).date() if meeting.kind == MeetingKind.CIRCULATION else meeting.meeting_date


def _apply_to_review(session: Session, actor: Actor, item: AgendaItem, meeting: Meeting, decision: Decision,
                     now: dt.datetime) -> None:
    item.status = ItemStatus.DECIDED
    review = session.get(FocusedReview, item.review_id)
    if review is None:
        raise NotFound("The review on this item no longer exists.")
    day = decided_on(meeting, now)
    review.status = REVIEW_STATUS_AFTER[decision.outcome]
    review.presented_on = review.presented_on or day
    if decision.outcome in SIGNING_OFF:
        review.finished_on = day
        freeze_signed_off(session, actor, review, decision_id=decision.id, reason=decision.reasons, now=now)
    if decision.outcome == DecisionOutcome.ESCALATED:
        escalate(session=session, actor=actor, review_id=review.id, today=day,
                 what=f"The panel escalated {review.reference}: {decision.reasons}")
    flush_or_conflict(session, "this item")


def decision_for_item(*, session: Session, actor: Actor, item_id: int) -> DecisionView | None:
    require(actor, Permission.VIEW_MEETINGS)
    row = session.execute(
        select(Decision, User.name).join(User, User.id == Decision.decided_by_id)
        .join(AgendaItem, AgendaItem.id == Decision.agenda_item_id).join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(Decision.agenda_item_id == item_id, Meeting.panel_id == actor.panel_id)
    ).first()
    return _view(*row) if row else None


def decisions_for_review(*, session: Session, actor: Actor, review_id: int) -> list[DecisionView]:
    require(actor, Permission.VIEW_REVIEWS)
    rows = session.execute(
        select(Decision, User.name).join(User, User.id == Decision.decided_by_id)
        .join(FocusedReview, FocusedReview.id == Decision.review_id)
        .where(Decision.review_id == review_id, FocusedReview.panel_id == actor.panel_id)
        .order_by(Decision.decided_at)
    ).all()
    return [_view(decision, name) for decision, name in rows]


def _view(decision: Decision, decided_by: str) -> DecisionView:
    return DecisionView(
        outcome=decision.outcome, outcome_label=DECISION_OUTCOME_LABELS[decision.outcome], reasons=decision.reasons,
        tally=tuple(TallyLine(d["option"], d["count"]) for d in json.loads(decision.tally)),
        voted=decision.voted_count, eligible=decision.eligible_count, quorum_met=decision.quorum_met,
        quorum_summary=decision.quorum_summary, decided_by=decided_by, decided_at=decision.decided_at,
    )
