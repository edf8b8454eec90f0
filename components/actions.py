"""Render actions; overdue is said in words, never shown by colour alone."""

from __future__ import annotations

from components.tables import accessible_table
from services.actions import ActionRow
from services.formatting import short_date


def render_action_table(actions: list[ActionRow]) -> None:
    accessible_table(
        [
            {
                "Review": a.review_reference,
                "Action": a.description,
                "Owner": a.owner,
                "Due": short_date(a.due_on),
                "Status": f"{a.status_label} (overdue)" if a.overdue else a.status_label,
            }
            for a in actions
        ],
        empty_message="There are no actions yet.",
    )
