"""Render meetings: a card for one, a real HTML table for many (screen readers get header cells)."""

from __future__ import annotations

import streamlit as st

from components.tables import accessible_table
from features.meetings.meetings import MeetingSummary
from rules.formatting import clock_time, long_date


def render_meeting_card(meeting: MeetingSummary) -> None:
    with st.container(border=True):
        st.subheader(meeting.title, anchor=False)
        when = long_date(meeting.date)
        if meeting.start_time:
            when += f" at {clock_time(meeting.start_time)}"
        st.markdown(f"**When:** {when}  \n**Where:** {meeting.where}  \n**Status:** {meeting.status_label}")


def render_meeting_table(meetings: list[MeetingSummary]) -> None:
    accessible_table(
        [
            {
                "Date": long_date(m.date),
                "Time": clock_time(m.start_time),
                "Meeting": m.title,
                "Where": m.where,
                "Status": m.status_label,
            }
            for m in meetings
        ],
        empty_message="There are no meetings yet.",
    )
