"""The append-only audit log: who opened and closed each vote, each vote cast (never the choice in an
anonymous vote), each decision and every amendment to a signed-off review.

Rows are only ever added here; the database refuses UPDATE and DELETE on the table (migration 0004).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AuditEvent, User
from services.actors import Actor
from services.permissions import Permission, require

MAX_EVENTS_SHOWN = 500


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    who: str
    action: str
    subject: str
    description: str


def record_event(session: Session, actor: Actor, *, action: str, subject: str, description: str,
                 at: dt.datetime) -> None:
    """Add one line to the log, in the same unit of work as the change it describes (both or neither)."""
    session.add(AuditEvent(panel_id=actor.panel_id, at=at, actor_id=actor.user_id, action=action,
                           subject=subject, description=description))


def audit_trail(*, session: Session, actor: Actor, subject: str | None = None,
                limit: int = MAX_EVENTS_SHOWN) -> list[AuditRow]:
    """The panel's log, newest first; optionally only the lines about one subject (e.g. 'review LDR-…')."""
    require(actor, Permission.VIEW_AUDIT)
    query = (select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.actor_id)
             .where(AuditEvent.panel_id == actor.panel_id))
    if subject is not None:
        query = query.where(AuditEvent.subject == subject)
    rows = session.execute(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit))
    return [AuditRow(event.at, name or "The system", event.action, event.subject, event.description)
            for event, name in rows]
