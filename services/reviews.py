"""Focused reviews of the actor's panel, by pseudonymised reference only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import FindingKind, FocusedReview, ReviewFinding, ReviewStatus
from services.actors import Actor
from services.labels import REVIEW_STATUS_LABELS
from services.permissions import Permission, require


@dataclass(frozen=True)
class ReviewSummary:
    id: int
    reference: str
    age_band: str
    ethnic_minority: bool
    notified_on: dt.date
    status: ReviewStatus
    status_label: str
    learning_count: int
    good_practice_count: int
    concern_count: int


def list_reviews(*, session: Session, actor: Actor) -> list[ReviewSummary]:
    """Reviews with counts of each kind of finding, in one query (no per-row lazy loads)."""
    require(actor, Permission.VIEW_REVIEWS)

    def count_of(kind: FindingKind):  # type: ignore[no-untyped-def]
        return func.count(ReviewFinding.id).filter(ReviewFinding.kind == kind)

    rows = session.execute(
        select(
            FocusedReview,
            count_of(FindingKind.LEARNING),
            count_of(FindingKind.GOOD_PRACTICE),
            count_of(FindingKind.CONCERN),
        )
        .outerjoin(ReviewFinding, ReviewFinding.review_id == FocusedReview.id)
        .where(FocusedReview.panel_id == actor.panel_id)
        .group_by(FocusedReview.id)
        .order_by(FocusedReview.reference)
    ).all()
    return [
        ReviewSummary(
            id=r.id,
            reference=r.reference,
            age_band=r.age_band,
            ethnic_minority=r.ethnic_minority,
            notified_on=r.notified_on,
            status=r.status,
            status_label=REVIEW_STATUS_LABELS[r.status],
            learning_count=learning,
            good_practice_count=good,
            concern_count=concern,
        )
        for r, learning, good, concern in rows
    ]
