"""Meetings of your panel."""

from __future__ import annotations

import streamlit as st

from components.context import current_actor, database
from components.meetings import render_meeting_table
from services.meetings import list_meetings


def render() -> None:
    actor = current_actor()
    st.title("Meetings")
    with database().unit_of_work(read_only=True) as session:
        meetings = list_meetings(session=session, actor=actor)
    render_meeting_table(meetings)


if __name__ == "__main__":
    from app import main

    main()
