"""The minutes as a Word download: built when asked (with a progress message), refused in words if the
record is not ready or holds what looks like personal data."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.context import database
from components.feedback import explained_errors
from services.actors import Actor
from services.meetings import MeetingStatus, MeetingSummary
from services.minutes import build_minutes
from services.minutes_docx import minutes_docx

HELD_OR_LATER = (MeetingStatus.HELD, MeetingStatus.MINUTES_DRAFTED, MeetingStatus.MINUTES_APPROVED)


def minutes_download(actor: Actor, meetings: list[MeetingSummary]) -> None:
    st.header("Minutes", anchor=False)
    held = {m.id: m for m in meetings if m.status in HELD_OR_LATER}
    if not held:
        st.write("Minutes can be written once a meeting has been held.")
        return
    meeting_id = st.selectbox("Meeting", options=list(held), index=0, key="minutes_meeting",
                              format_func=lambda i: f"{held[i].title} ({held[i].status_label})")
    key = f"minutes_docx_{meeting_id}"
    if st.button("Prepare the minutes as a Word document", key=f"prepare_{meeting_id}"):
        with st.spinner("Writing the minutes…"), explained_errors():
            with database().unit_of_work(read_only=True) as session:
                minutes = build_minutes(session=session, actor=actor, meeting_id=meeting_id, today=dt.date.today())
            st.session_state[key] = minutes_docx(minutes)
    if key in st.session_state:
        st.download_button("Download the minutes (Word)", data=st.session_state[key], icon=":material/download:",
                           file_name=f"minutes-{held[meeting_id].date.isoformat()}.docx",
                           mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
