"""The escalation log: concerns or actions the panel sends to the regional coordinator, with the date,
what was escalated, to whom, the status and the response. A decision to escalate adds an entry itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.conflicts import flush_or_conflict
from db.models import Action, Escalation, FocusedReview
from features.audit.audit import record_event
from features.reviews.reviews import load_review
from rules.actors import Actor
from rules.errors import Invalid, NotFound, changed_by_someone_else
from rules.limits import MAX_NAME_CHARS
from rules.permissions import Permission, require
from rules.plain_text import clean_text
from rules.vocabulary import EscalationStatus

REGIONAL_COORDINATOR = "Regional LeDeR coordinator"
STATUS_WORDS = {EscalationStatus.OPEN: "Waiting for a response", EscalationStatus.RESPONDED: "Response received",
                EscalationStatus.CLOSED: "Closed by the panel"}


@dataclass(frozen=True)
class EscalationRow:
    id: int
    escalated_on: dt.date
    review_reference: str | None
    what: str
    to_whom: str
    status: EscalationStatus
    status_label: str
    response: str
    version_id: int


def escalate(*, session: Session, actor: Actor, what: str, today: dt.date, review_id: int | None = None,
             action_id: int | None = None, to_whom: str = REGIONAL_COORDINATOR) -> int:
    require(actor, Permission.RUN_MEETING)
    text = clean_text(what, what="What is escalated")
    recipient = clean_text(to_whom, what="Who it goes to", limit=MAX_NAME_CHARS) or REGIONAL_COORDINATOR
    if not text:
        raise Invalid("Say what is being escalated and why.")
    if review_id is not None:
        load_review(session, actor, review_id)
    if action_id is not None:
        action = session.get(Action, action_id)
        if action is None or action.panel_id != actor.panel_id:
            raise NotFound("That action is not on your panel's list.")
        review_id = review_id or action.review_id
    row = Escalation(panel_id=actor.panel_id, review_id=review_id, action_id=action_id, escalated_on=today,
                     what=text, to_whom=recipient, created_by_id=actor.user_id)
    session.add(row)
    session.flush()
    record_event(session, actor, action="escalated", subject=_subject(session, review_id),
                 description=f"Escalation {row.id} sent to {recipient}.")
    return row.id


def _subject(session: Session, review_id: int | None) -> str:
    review = session.get(FocusedReview, review_id) if review_id is not None else None
    return f"review {review.reference}" if review is not None else "escalation log"


def record_response(*, session: Session, actor: Actor, escalation_id: int, response: str,
                    status: EscalationStatus, expected_version: int) -> None:
    require(actor, Permission.RUN_MEETING)
    row = session.get(Escalation, escalation_id)
    if row is None or row.panel_id != actor.panel_id:
        raise NotFound("That escalation is not on your panel's log.")
    if row.version_id != expected_version:
        raise changed_by_someone_else("this escalation")
    text = clean_text(response, what="The response")
    if status != EscalationStatus.OPEN and not (text or row.response):
        raise Invalid("Write the coordinator's response first.")
    if text:
        row.response = text
    row.status = status
    flush_or_conflict(session, "this escalation")
    record_event(session, actor, action="escalation updated", subject=_subject(session, row.review_id),
                 description=f"Escalation {row.id}: {STATUS_WORDS[status].lower()}"
                             f"{' (response recorded)' if text else ''}.")


def escalation_log(*, session: Session, actor: Actor) -> list[EscalationRow]:
    require(actor, Permission.VIEW_ACTIONS)
    rows = session.execute(
        select(Escalation, FocusedReview.reference).outerjoin(FocusedReview, FocusedReview.id == Escalation.review_id)
        .where(Escalation.panel_id == actor.panel_id).order_by(Escalation.escalated_on.desc(), Escalation.id.desc())
    ).all()
    return [EscalationRow(e.id, e.escalated_on, reference, e.what, e.to_whom, e.status, STATUS_WORDS[e.status],
                          e.response, e.version_id) for e, reference in rows]
