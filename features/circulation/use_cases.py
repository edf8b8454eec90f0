"""What the "Decisions by circulation" page asks, one function per intent, each in its own unit of work.
Answering and recording the decision are the meeting's own (features/voting/use_cases.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.session import Database
from features.circulation.circulation import (
    CirculableReview,
    CirculationView,
    circulable_reviews,
    circulations,
    close_circulation,
    close_if_due,
    declare_own_interest,
    default_min_responses,
    due_circulations,
    start_circulation,
)
from features.mail.mail import queue_circulation_emails
from rules.actors import Actor
from rules.formatting import uk_moment
from rules.permissions import Permission, allows


@dataclass(frozen=True)
class CirculationsPage:
    open: list[CirculationView]
    closed: list[CirculationView]
    can_circulate: bool


@dataclass(frozen=True)
class CirculationChoices:
    """What the chair's form offers: the reviews that can be sent, and the answers to suggest."""

    reviews: list[CirculableReview]
    suggested_min: int


def circulations_now(db: Database, *, actor: Actor, now: dt.datetime | None = None) -> CirculationsPage:
    """Open and recent circulations. One past its deadline is closed first, in a write of its own; most reads
    find none due and write nothing."""
    moment = now or dt.datetime.now(dt.UTC)
    close_due(db, actor=actor, now=moment)
    with db.unit_of_work(read_only=True) as session:
        open_ones, closed = circulations(session=session, actor=actor, now=moment)
    return CirculationsPage(open=open_ones, closed=closed, can_circulate=allows(actor, Permission.CIRCULATE))


def close_due(db: Database, *, actor: Actor, now: dt.datetime | None = None) -> int:
    """Close the panel's circulations whose deadline has come, each in one write; a cheap read first, so
    most calls write nothing. The page does this as it opens, and `manage.py close-circulations` on a
    schedule, so a circulation nobody opens still closes at its deadline and the chair is told."""
    moment = now or dt.datetime.now(dt.UTC)
    with db.unit_of_work(read_only=True) as session:
        if not due_circulations(session=session, actor=actor, now=moment):
            return 0
    with db.unit_of_work() as session:
        return close_if_due(session=session, actor=actor, now=moment)


def circulation_choices(db: Database, *, actor: Actor) -> CirculationChoices:
    with db.unit_of_work(read_only=True) as session:
        return CirculationChoices(reviews=circulable_reviews(session=session, actor=actor),
                                  suggested_min=default_min_responses(session=session, actor=actor))


def circulate(db: Database, *, actor: Actor, review_ids: list[int], deadline_day: dt.date, deadline_time: dt.time,
              min_responses: int, anonymous: bool, now: dt.datetime | None = None, email_to: str | None = None) -> int:
    """Send reviews for a decision by circulation, the deadline given as a day and a time in UK time.
    With email on (`email_to`: the app's address for the link), each member's message is queued in the same
    transaction, so it goes if and only if the circulation is saved."""
    moment = now or dt.datetime.now(dt.UTC)
    with db.unit_of_work() as session:
        circulation_id = start_circulation(session=session, actor=actor, review_ids=review_ids,
                                           deadline_at=uk_moment(deadline_day, deadline_time),
                                           min_responses=min_responses, anonymous=anonymous, now=moment)
        if email_to is not None:
            queue_circulation_emails(session=session, actor=actor, circulation_id=circulation_id, app_url=email_to,
                                     now=moment)
        return circulation_id


def close_now(db: Database, *, actor: Actor, circulation_id: int) -> None:
    with db.unit_of_work() as session:
        close_circulation(session=session, actor=actor, circulation_id=circulation_id, now=dt.datetime.now(dt.UTC))


def step_out(db: Database, *, actor: Actor, item_id: int, interest: str) -> None:
    """A member declares an interest in one circulated review and steps out of it."""
    with db.unit_of_work() as session:
        declare_own_interest(session=session, actor=actor, item_id=item_id, interest=interest,
                             now=dt.datetime.now(dt.UTC))
