"""The panel's jargon list for the Easy Read checker: words to avoid, each with the plain words to use."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.conflicts import flush_or_conflict
from db.models import JargonTerm
from features.audit.audit import record_event
from rules.actors import Actor
from rules.errors import Conflict, Invalid, NotFound
from rules.limits import MAX_MEANING_CHARS, MAX_WORD_CHARS
from rules.permissions import Permission, require
from rules.plain_text import clean_text


@dataclass(frozen=True)
class JargonRow:
    id: int
    term: str
    plain: str


def jargon_terms(*, session: Session, panel_id: int) -> list[JargonRow]:
    rows = session.scalars(select(JargonTerm).where(JargonTerm.panel_id == panel_id).order_by(JargonTerm.term))
    return [JargonRow(t.id, t.term, t.plain) for t in rows]


def jargon_pairs(session: Session, panel_id: int) -> list[tuple[str, str]]:
    return [(row.term, row.plain) for row in jargon_terms(session=session, panel_id=panel_id)]


def add_jargon_term(*, session: Session, actor: Actor, term: str, plain: str) -> None:
    require(actor, Permission.MANAGE_SETTINGS)
    word = clean_text(term, what="The word", limit=MAX_WORD_CHARS)
    instead = clean_text(plain, what="The plain words", limit=MAX_MEANING_CHARS)
    if not word or not instead:
        raise Invalid("Write the word and the plain words to use instead.")
    existing = {row.term.casefold() for row in jargon_terms(session=session, panel_id=actor.panel_id)}
    if word.casefold() in existing:
        raise Conflict(f"'{word}' is already on the list.")
    session.add(JargonTerm(panel_id=actor.panel_id, term=word, plain=instead))
    flush_or_conflict(session, "the jargon list", duplicates=True)
    record_event(session, actor, action="panel settings changed", subject="jargon list",
                 description=f"Added '{word}' to the jargon list.")


def remove_jargon_term(*, session: Session, actor: Actor, term_id: int) -> None:
    require(actor, Permission.MANAGE_SETTINGS)
    row = session.get(JargonTerm, term_id)
    if row is None or row.panel_id != actor.panel_id:
        raise NotFound("That word is not on your panel's list.")
    session.delete(row)
    session.flush()
    record_event(session, actor, action="panel settings changed", subject="jargon list",
                 description=f"Removed '{row.term}' from the jargon list.")
