"""The audit log as its page asks for it: the latest lines, narrowed to those holding a few words."""

from __future__ import annotations

from dataclasses import dataclass

from db.session import Database
from features.audit.audit import MAX_EVENTS_SHOWN, AuditRow, audit_trail
from rules.actors import Actor


@dataclass(frozen=True)
class AuditLog:
    rows: list[AuditRow]
    cut_short: bool  # True when only the latest MAX_EVENTS_SHOWN lines were read


def lines_containing(rows: list[AuditRow], words: str) -> list[AuditRow]:
    """The lines whose who, what, subject or details hold the words (any case); every line for no words."""
    needle = words.strip().lower()
    return [r for r in rows if not needle or needle in f"{r.who} {r.action} {r.subject} {r.description}".lower()]


def audit_log(db: Database, *, actor: Actor, containing: str = "") -> AuditLog:
    with db.unit_of_work(read_only=True) as session:
        rows = audit_trail(session=session, actor=actor)
    return AuditLog(rows=lines_containing(rows, containing), cut_short=len(rows) == MAX_EVENTS_SHOWN)
