"""Actions agreed by the panel. The SMART builder and tracker arrive with the actions issue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Action, ActionStatus, FocusedReview
from services.actors import Actor
from services.labels import ACTION_STATUS_LABELS
from services.permissions import Permission, require


@dataclass(frozen=True)
class ActionRow:
    id: int
    review_reference: str
    description: str
    owner: str
    due_on: dt.date
    status: ActionStatus
    status_label: str
    overdue: bool


def is_overdue(*, status: ActionStatus, due_on: dt.date, today: dt.date) -> bool:
    """Overdue is computed, never stored: past its date and not yet completed or closed."""
    return due_on < today and status in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


def list_actions(*, session: Session, actor: Actor, today: dt.date) -> list[ActionRow]:
    require(actor, Permission.VIEW_ACTIONS)
    rows = session.execute(
        select(Action, FocusedReview.reference)
        .join(FocusedReview, FocusedReview.id == Action.review_id)
        .where(Action.panel_id == actor.panel_id)
        .order_by(Action.due_on, Action.id)
    ).all()
    return [
        ActionRow(
            id=a.id,
            review_reference=reference,
            description=a.description,
            owner=f"{a.owner_name}, {a.owner_organisation}",
            due_on=a.due_on,
            status=a.status,
            status_label=ACTION_STATUS_LABELS[a.status],
            overdue=is_overdue(status=a.status, due_on=a.due_on, today=today),
        )
        for a, reference in rows
    ]
