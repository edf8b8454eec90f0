"""Render focused reviews as an accessible table."""

from __future__ import annotations

from components.tables import accessible_table
from services.formatting import short_date
from services.reviews import ReviewSummary


def render_review_table(reviews: list[ReviewSummary]) -> None:
    accessible_table(
        [
            {
                "Reference": r.reference,
                "Age band": r.age_band,
                "Ethnic minority lead checkpoint": "Yes" if r.ethnic_minority else "No",
                "Notified": short_date(r.notified_on),
                "6-month target": r.clock.label,
                "Status": r.status_label,
                "Learning": r.learning_count,
                "Good practice": r.good_practice_count,
                "Concerns": r.concern_count,
            }
            for r in reviews
        ],
        empty_message="There are no focused reviews yet.",
    )
