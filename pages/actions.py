"""Actions: the tracker (all, mine, the archive; filters), the SMART builder, updates and the export."""

from __future__ import annotations

import streamlit as st

from components.actions import action_builder, action_update_forms, export_buttons, render_action_table
from components.context import current_actor, database
from components.escalations import render_escalations
from components.feedback import explained_errors, show_confirmation
from components.tables import page_of
from features.actions.actions import ActionFilter, ActionStatus, TrackerView
from features.actions.use_cases import priority_choices, tracker_count, tracker_rows
from features.reviews.use_cases import reference_choices
from rules.actors import Actor
from rules.labels import ACTION_STATUS_LABELS
from rules.limits import MAX_FILTER_CHARS
from rules.permissions import Permission, allows

VIEWS = {TrackerView.ALL: "All actions", TrackerView.MINE: "My actions (I am the owner)",
         TrackerView.ARCHIVE: "Archive (closed by the panel)"}


def _filters(actor: Actor, references: dict[int, str]) -> ActionFilter:
    view = st.radio("Show", options=list(VIEWS), format_func=VIEWS.__getitem__, horizontal=True)
    priorities = priority_choices(database(), actor=actor)
    with st.expander("Filter the actions"):
        review = st.selectbox("Review", options=list(references), index=None, format_func=references.__getitem__,
                              placeholder="Any review")
        priority = st.selectbox("ICB strategic priority", options=list(priorities), index=None,
                                format_func=priorities.__getitem__, placeholder="Any priority")
        statuses = st.multiselect("Status", options=list(ActionStatus), format_func=ACTION_STATUS_LABELS.__getitem__,
                                  placeholder="Any status")
        owner = st.text_input("Owner's name contains", max_chars=MAX_FILTER_CHARS)
        organisation = st.text_input("Organisation contains", max_chars=MAX_FILTER_CHARS)
        overdue = st.checkbox("Only overdue actions")
        this_month = st.checkbox("Only actions due this month")
    return ActionFilter(view=view, review_id=review, priority_id=priority, statuses=frozenset(statuses),
                        owner=owner.strip(), organisation=organisation.strip(), overdue_only=overdue,
                        due_this_month=this_month)


def render() -> None:
    actor = current_actor()
    st.title("Actions")
    show_confirmation()
    with explained_errors():
        references = reference_choices(database(), actor=actor)
        if allows(actor, Permission.MANAGE_ACTIONS) and references:
            with st.expander("Agree a new SMART action"):
                review_id = st.selectbox("Review the action comes from", options=list(references), index=None,
                                         format_func=references.__getitem__, placeholder="Choose a review")
                if review_id is not None:
                    action_builder(actor, review_id, references[review_id], key=f"build_{review_id}")
        st.header("Tracker", anchor=False)
        wanted = _filters(actor, references)
        count = tracker_count(database(), actor=actor, wanted=wanted)
        st.write(f"{count.shown} action{'s' if count.shown != 1 else ''} shown, {count.overdue} overdue.")
        offset, limit = page_of(count.shown, noun="actions", key="tracker_page")
        rows = tracker_rows(database(), actor=actor, wanted=wanted, offset=offset, limit=limit)
        render_action_table(rows)
        if allows(actor, Permission.EXPORT):
            export_buttons(actor, wanted)
        if allows(actor, Permission.MANAGE_ACTIONS):
            st.header("Update an action", anchor=False)
            action_update_forms(actor, rows, key="tracker")
        render_escalations(actor, references)


if __name__ == "__main__":
    from app import main

    main()
