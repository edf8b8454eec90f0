"""Render focused reviews as an accessible table."""

from __future__ import annotations

from components.tables import accessible_table
from features.reviews.reviews import ReviewSummary


def render_review_table(reviews: list[ReviewSummary]) -> None:
    """Four short columns, so the table fits without a sideways scroll (a scrolling region that is not
    keyboard-focusable fails WCAG). Age band, dates and findings are in each review's detail."""
    accessible_table(
        [
            {
                "Reference": r.reference,
                "Status": r.status_label,
                "6-month target": r.clock.label,
                "Ethnic minority lead's view needed": "Yes" if r.ethnic_minority else "No",
            }
            for r in reviews
        ],
        empty_message="There are no focused reviews yet.",
    )
