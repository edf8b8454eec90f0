"""What the meeting room asks of voting, one function per intent. Each opens and commits its own unit of
work (rolled back if anything raises), so a page or component never holds a session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.session import Database
from features.voting.decisions import DecisionView, decision_for_item, record_decision
from features.voting.options import vote_options
from features.voting.voting import (
    OptionRow,
    PollView,
    VoteMode,
    cast_vote,
    close_poll,
    members_who_can_vote,
    open_poll,
    poll_view,
)
from rules.actors import Actor
from rules.vocabulary import DecisionOutcome


@dataclass(frozen=True)
class VoteOnItem:
    """The vote and the decision on one item, read together for the vote panel."""

    poll: PollView | None
    decision: DecisionView | None


def vote_on_item(db: Database, *, actor: Actor, item_id: int) -> VoteOnItem:
    with db.unit_of_work(read_only=True) as session:
        return VoteOnItem(poll=poll_view(session=session, actor=actor, item_id=item_id),
                          decision=decision_for_item(session=session, actor=actor, item_id=item_id))


def current_poll(db: Database, *, actor: Actor, item_id: int) -> PollView | None:
    """The poll as it is now: the live count and the vote form read it afresh on each run of their fragment."""
    with db.unit_of_work(read_only=True) as session:
        return poll_view(session=session, actor=actor, item_id=item_id)


def voters_for_item(db: Database, *, actor: Actor, meeting_id: int, item_id: int) -> dict[int, str]:
    """Members the chair may record a vote for: eligible on this item, by name."""
    with db.unit_of_work(read_only=True) as session:
        return members_who_can_vote(session=session, actor=actor, meeting_id=meeting_id, item_id=item_id)


def open_vote(db: Database, *, actor: Actor, meeting_id: int, item_id: int, anonymous: bool) -> int:
    with db.unit_of_work() as session:
        return open_poll(session=session, actor=actor, meeting_id=meeting_id, item_id=item_id, anonymous=anonymous,
                         now=dt.datetime.now(dt.UTC), today=dt.date.today())


def close_vote(db: Database, *, actor: Actor, poll_id: int) -> None:
    with db.unit_of_work() as session:
        close_poll(session=session, actor=actor, poll_id=poll_id, now=dt.datetime.now(dt.UTC))


def send_vote(db: Database, *, actor: Actor, poll_id: int, option_id: int, reason: str,
              member_id: int | None = None, mode: VoteMode = VoteMode.OWN_DEVICE,
              supported_by: str | None = None) -> None:
    """A member's own vote, or one the chair or secretariat records for them (member_id)."""
    with db.unit_of_work() as session:
        cast_vote(session=session, actor=actor, poll_id=poll_id, option_id=option_id, reason=reason,
                  now=dt.datetime.now(dt.UTC), member_id=member_id, mode=mode, supported_by=supported_by)


def decide(db: Database, *, actor: Actor, poll_id: int, outcome: DecisionOutcome, reasons: str) -> None:
    with db.unit_of_work() as session:
        record_decision(session=session, actor=actor, poll_id=poll_id, outcome=outcome, reasons=reasons,
                        now=dt.datetime.now(dt.UTC))


def vote_choices(db: Database, *, actor: Actor) -> list[OptionRow]:
    """The panel's vote options, in order, with what each means."""
    with db.unit_of_work(read_only=True) as session:
        return vote_options(session=session, panel_id=actor.panel_id)
