"""Minutes: where they are (draft, circulated, approved and locked), the narrative per item, comments,
approval, corrections as versions, and the Word and Easy Read downloads."""

from __future__ import annotations

import streamlit as st

from components.context import current_actor, database
from components.feedback import explained_errors, show_confirmation
from components.minutes import (
    approval_form,
    choose_meeting,
    circulate_button,
    comments_section,
    correction_form,
    downloads,
    export_minutes,
    load_state,
    narrative_forms,
    render_progress,
    versions_section,
)
from features.meetings.use_cases import meeting_list
from features.minutes.workflow import MinutesStatus
from rules.permissions import Permission, allows


def render() -> None:
    actor = current_actor()
    st.title("Minutes")
    show_confirmation()
    with explained_errors():
        meetings = meeting_list(database(), actor=actor)
        meeting_id = choose_meeting(meetings)
        if meeting_id is None:
            return
        state = load_state(actor, meeting_id)
        render_progress(state)
        editor = allows(actor, Permission.EDIT_MINUTES)
        readable = editor or state.status in (MinutesStatus.CIRCULATED, MinutesStatus.APPROVED)
        if not readable:
            st.write("The secretariat is writing these minutes. You can read them once they are circulated.")
            return
        if allows(actor, Permission.VIEW_REVIEWS):
            downloads(actor, state)
        if state.status == MinutesStatus.CIRCULATED and allows(actor, Permission.APPROVE_MINUTES):
            approval_form(actor, state)
        if state.status in (MinutesStatus.CIRCULATED, MinutesStatus.APPROVED):
            comments_section(actor, state)
        if state.locked:
            versions_section(state)
            approved = export_minutes(actor, meeting_id) if editor else None
            if approved is not None:
                correction_form(actor, state, approved)
        elif editor:
            if state.status in (None, MinutesStatus.DRAFT):
                circulate_button(actor, state)
            narrative_forms(actor, state)


if __name__ == "__main__":
    from app import main

    main()
