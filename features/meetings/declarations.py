"""Declarations of interest: a standing register per member, and a declaration per agenda item with the
chair's ruling. A member who is recused from an item cannot comment on it, vote on it, or count towards
its quorum; the minutes say so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AgendaItem, ItemDeclaration, Meeting, RegisteredInterest, User
from rules.actors import Actor
from rules.errors import Invalid, NotFound
from rules.labels import DECLARATION_OUTCOME_LABELS
from rules.limits import MAX_INTEREST_CHARS
from rules.permissions import Permission, allows, require
from rules.plain_text import clean_text
from rules.vocabulary import DeclarationOutcome


@dataclass(frozen=True)
class InterestRow:
    id: int
    user_id: int
    name: str
    description: str
    declared_on: dt.date
    ended_on: dt.date | None


@dataclass(frozen=True)
class DeclarationRow:
    id: int
    user_id: int
    name: str
    interest: str
    outcome: DeclarationOutcome
    outcome_label: str


def clean_interest(text: str) -> str:
    """One line of plain words, or refused: the same for the register, the chair's ruling and a circulation."""
    clean = " ".join(clean_text(text, what="The interest", limit=MAX_INTEREST_CHARS).split())
    if not clean:
        raise Invalid("Say what the interest is, for example 'I work for the care provider'.")
    return clean


def register_interest(*, session: Session, actor: Actor, description: str, declared_on: dt.date,
                      today: dt.date) -> None:
    """A member adds to their own standing register."""
    require(actor, Permission.DECLARE_INTEREST)
    if declared_on > today:
        raise Invalid("The date cannot be in the future.")
    session.add(RegisteredInterest(user_id=actor.user_id, description=clean_interest(description),
                                   declared_on=declared_on))


def end_interest(*, session: Session, actor: Actor, interest_id: int, ended_on: dt.date) -> None:
    require(actor, Permission.DECLARE_INTEREST)
    interest = session.get(RegisteredInterest, interest_id)
    if interest is None or interest.user_id != actor.user_id:
        raise NotFound("That entry is not in your register.")
    if ended_on < interest.declared_on:
        raise Invalid("An interest cannot end before it was declared.")
    interest.ended_on = ended_on


def register_of_interests(*, session: Session, actor: Actor) -> list[InterestRow]:
    """Chairs and the secretariat see the whole panel's register; everyone else sees their own entries."""
    require(actor, Permission.VIEW_MEETINGS)
    query = (select(RegisteredInterest, User.name).join(User, User.id == RegisteredInterest.user_id)
             .where(User.panel_id == actor.panel_id)
             .order_by(User.name, RegisteredInterest.declared_on))
    if not allows(actor, Permission.RUN_MEETING):
        query = query.where(RegisteredInterest.user_id == actor.user_id)
    return [InterestRow(i.id, i.user_id, name, i.description, i.declared_on, i.ended_on)
            for i, name in session.execute(query)]


def _item_in_panel(session: Session, actor: Actor, item_id: int) -> AgendaItem:
    item = session.scalars(
        select(AgendaItem).join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.id == item_id, Meeting.panel_id == actor.panel_id)
    ).one_or_none()
    if item is None:
        raise NotFound("That agenda item is not on your panel's meetings.")
    return item


def record_declaration(
    *, session: Session, actor: Actor, item_id: int, user_id: int, interest: str, outcome: DeclarationOutcome,
) -> None:
    """The chair records a declaration on an item and rules: declared only, or recused. One per person."""
    require(actor, Permission.RUN_MEETING)
    item = _item_in_panel(session, actor, item_id)
    person = session.get(User, user_id)
    if person is None or person.panel_id != actor.panel_id:
        raise NotFound("That person is not on your panel.")
    existing = session.scalars(select(ItemDeclaration).where(
        ItemDeclaration.agenda_item_id == item.id, ItemDeclaration.user_id == user_id)).one_or_none()
    if existing is None:
        session.add(ItemDeclaration(agenda_item_id=item.id, user_id=user_id, interest=clean_interest(interest),
                                    outcome=outcome, recorded_by_id=actor.user_id))
    else:
        existing.interest = clean_interest(interest)
        existing.outcome = outcome
        existing.recorded_by_id = actor.user_id
    session.flush()


def withdraw_declaration(*, session: Session, actor: Actor, declaration_id: int) -> None:
    require(actor, Permission.RUN_MEETING)
    declaration = session.get(ItemDeclaration, declaration_id)
    if declaration is None:
        raise NotFound("That declaration no longer exists.")
    _item_in_panel(session, actor, declaration.agenda_item_id)
    session.delete(declaration)


def item_declarations(session: Session, item_id: int) -> list[DeclarationRow]:
    rows = session.execute(
        select(ItemDeclaration, User.name).join(User, User.id == ItemDeclaration.user_id)
        .where(ItemDeclaration.agenda_item_id == item_id).order_by(User.name)
    )
    return [DeclarationRow(d.id, d.user_id, name, d.interest, d.outcome, DECLARATION_OUTCOME_LABELS[d.outcome])
            for d, name in rows]


def recused_user_ids(session: Session, item_id: int) -> set[int]:
    return set(session.scalars(select(ItemDeclaration.user_id).where(
        ItemDeclaration.agenda_item_id == item_id, ItemDeclaration.outcome == DeclarationOutcome.RECUSED)))
