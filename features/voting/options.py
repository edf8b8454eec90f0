"""The answers a panel offers in its sign-off vote, each with a plain meaning: panel configuration that the
secretariat words in the panel's own language, not code."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AgendaItem, Meeting, Poll, VoteOption
from features.audit.audit import record_event
from rules.actors import Actor
from rules.errors import Invalid, NotFound
from rules.limits import MAX_LABEL_CHARS, MAX_MEANING_CHARS
from rules.permissions import Permission, require
from rules.plain_text import clean_text
from rules.vocabulary import PollStatus


@dataclass(frozen=True)
class OptionRow:
    id: int
    code: str
    label: str
    meaning: str
    requires_reason: bool


@dataclass(frozen=True)
class OptionChange:
    option_id: int
    label: str
    meaning: str
    requires_reason: bool


def vote_options(*, session: Session, panel_id: int) -> list[OptionRow]:
    rows = session.scalars(select(VoteOption).where(VoteOption.panel_id == panel_id, VoteOption.is_active.is_(True))
                           .order_by(VoteOption.position, VoteOption.id))
    return [OptionRow(o.id, o.code, o.label, o.meaning, o.requires_reason) for o in rows]


def update_vote_options(*, session: Session, actor: Actor, changes: list[OptionChange]) -> None:
    """Reword the answers, and say which need a reason. Not while a vote is open: people would be choosing
    between words that change under them."""
    require(actor, Permission.MANAGE_SETTINGS)
    open_vote = session.scalar(
        select(Poll.id).join(AgendaItem, AgendaItem.id == Poll.agenda_item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(Meeting.panel_id == actor.panel_id, Poll.status == PollStatus.OPEN).limit(1)
    )
    if open_vote is not None:
        raise Invalid("A vote is open at a meeting. Change the answers after it closes.")
    options = {o.id: o for o in session.scalars(select(VoteOption).where(VoteOption.panel_id == actor.panel_id))}
    cleaned = [_checked(change, options) for change in changes]
    labels = [label.casefold() for _, label, _, _ in cleaned]
    if len(set(labels)) != len(labels):
        raise Invalid("Two answers have the same words. Give each answer its own wording.")
    changed = [label for option, label, meaning, requires_reason in cleaned
               if (option.label, option.meaning, option.requires_reason) != (label, meaning, requires_reason)]
    for option, label, meaning, requires_reason in cleaned:
        option.label, option.meaning, option.requires_reason = label, meaning, requires_reason
    session.flush()
    if changed:
        record_event(session, actor, action="panel settings changed", subject="vote answers",
                     description="Changed the vote answers: " + ", ".join(f"'{label}'" for label in changed) + ".")


def _checked(change: OptionChange, options: dict[int, VoteOption]) -> tuple[VoteOption, str, str, bool]:
    option = options.get(change.option_id)
    if option is None:
        raise NotFound("That answer is not one of your panel's.")
    label = clean_text(change.label, what="An answer", limit=MAX_LABEL_CHARS)
    meaning = clean_text(change.meaning, what="A meaning", limit=MAX_MEANING_CHARS)
    if not label or not meaning:
        raise Invalid("Every answer needs its words and a short plain meaning.")
    return option, label, meaning, change.requires_reason
