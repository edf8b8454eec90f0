"""The ethnic minority lead's view: the reviews flagged for them, whether their view is recorded before
sign-off (the checkpoint), and what the panel has learnt about ethnicity and inequalities across reviews."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import FindingTheme, FocusedReview, ReviewComment, ReviewFinding, Theme
from features.panel_settings.panels import panel_rules
from rules.actors import Actor
from rules.labels import FINDING_KIND_LABELS, REVIEW_STATUS_LABELS
from rules.permissions import Permission, require
from rules.vocabulary import ReviewStatus, Role

ETHNICITY_THEME = "Ethnicity and inequalities"
DECIDED = (ReviewStatus.SIGNED_OFF, ReviewStatus.RETURNED, ReviewStatus.ESCALATED)


@dataclass(frozen=True)
class FlaggedReview:
    review_id: int
    reference: str
    status_label: str
    view_recorded: bool
    checkpoint: str  # in words


@dataclass(frozen=True)
class ThemedFinding:
    reference: str
    kind_label: str
    text: str


@dataclass(frozen=True)
class EmLeadOverview:
    flagged: tuple[FlaggedReview, ...]
    total_reviews: int
    themed: tuple[ThemedFinding, ...]

    @property
    def waiting(self) -> int:
        return sum(1 for r in self.flagged if r.checkpoint.startswith("Needed"))


def records_lead_views(actor: Actor) -> bool:
    """Only the lead records the lead's view here (a deputy does so in the meeting room, as deputy)."""
    return Role.ETHNIC_MINORITY_LEAD in actor.roles


def checkpoint_words(status: ReviewStatus, view_recorded: bool, required: bool) -> str:
    if view_recorded:
        return "View recorded"
    if status in DECIDED:
        return "Decided without a recorded view"
    if not required:
        return "Not required by the panel's settings"
    return "Needed before the vote"


def em_lead_overview(*, session: Session, actor: Actor) -> EmLeadOverview:
    require(actor, Permission.VIEW_EM_LEAD)
    required = panel_rules(session=session, panel_id=actor.panel_id).require_em_lead_view
    # Three narrow queries whatever the number of reviews (not one for each flagged review's comments).
    total = session.scalar(select(func.count(FocusedReview.id)).where(FocusedReview.panel_id == actor.panel_id))
    with_view = set(session.scalars(
        select(ReviewComment.review_id).join(FocusedReview, FocusedReview.id == ReviewComment.review_id)
        .where(FocusedReview.panel_id == actor.panel_id, FocusedReview.ethnic_minority.is_(True),
               ReviewComment.as_role == Role.ETHNIC_MINORITY_LEAD)))
    flagged = [
        FlaggedReview(review_id, reference, REVIEW_STATUS_LABELS[status], review_id in with_view,
                      checkpoint_words(status, review_id in with_view, required))
        for review_id, reference, status in session.execute(
            select(FocusedReview.id, FocusedReview.reference, FocusedReview.status)
            .where(FocusedReview.panel_id == actor.panel_id, FocusedReview.ethnic_minority.is_(True))
            .order_by(FocusedReview.reference))
    ]
    themed = session.execute(
        select(FocusedReview.reference, ReviewFinding.kind, ReviewFinding.text)
        .join(ReviewFinding, ReviewFinding.review_id == FocusedReview.id)
        .join(FindingTheme, FindingTheme.finding_id == ReviewFinding.id).join(Theme, Theme.id == FindingTheme.theme_id)
        .where(FocusedReview.panel_id == actor.panel_id, Theme.name == ETHNICITY_THEME)
        .order_by(FocusedReview.reference, ReviewFinding.position)
    ).all()
    return EmLeadOverview(
        flagged=tuple(flagged), total_reviews=total or 0,
        themed=tuple(ThemedFinding(ref, FINDING_KIND_LABELS[kind], text) for ref, kind, text in themed),
    )
