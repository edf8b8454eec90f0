"""Render meetings: a card for one, a real HTML table for many (screen readers get header cells)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.context import app_settings, database
from components.feedback import run_action, run_in_callback, show_callback_error
from components.minutes import DOCX
from components.tables import accessible_table
from documents.meeting_ics import meeting_ics
from documents.meeting_pack_docx import papers_docx
from features.meetings.meetings import MeetingSummary
from features.meetings.use_cases import (
    call_off_meeting,
    circulate_papers,
    invite_for,
    meetings_for_calendars,
    move_meeting,
    papers_sent,
)
from rules.actors import Actor
from rules.formatting import clock_time, long_date
from rules.limits import MAX_LINK_CHARS, MAX_NAME_CHARS, MAX_REASON_CHARS
from rules.permissions import Permission, allows
from rules.vocabulary import MeetingStatus


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


ICS = "text/calendar"


def invite_download(actor: Actor, meeting: MeetingSummary, *, key: str) -> None:
    """'Add to my calendar': the meeting's .ics, written only when the button is pressed, so the pages that
    offer it cost no more to draw. The press does not rerun the page: a rerun racing the browser's request
    for the file could drop the file being written (seen in the browser test)."""
    db, app_url = database(), app_settings().app_address

    def invite() -> bytes:
        return meeting_ics(invite_for(db, actor=actor, meeting_id=meeting.id), app_url=app_url,
                           now=dt.datetime.now(dt.UTC))

    what = "the cancellation" if meeting.status == MeetingStatus.CANCELLED else "the invite"
    st.download_button(f"Add to my calendar: {what} for {long_date(meeting.date)} (.ics)", data=invite,
                       file_name=f"leder-meeting-{meeting.date.isoformat()}.ics", mime=ICS, key=key,
                       icon=":material/calendar_add_on:", on_click="ignore")


def render_calendar_section(actor: Actor) -> None:
    st.header("Meetings in your calendar", anchor=False)
    coming = meetings_for_calendars(database(), actor=actor)
    if not coming:
        st.write("No meeting is planned yet.")
        return
    st.write("Download a meeting's invite and open it to add it to your calendar. If the meeting moves or is "
             "cancelled, download it again: your calendar changes the meeting it already has.")
    by_id = {m.id: m for m in coming}
    meeting_id = st.selectbox("Meeting", options=list(by_id), key="calendar_meeting",
                              format_func=lambda i: f"{long_date(by_id[i].date)}: {by_id[i].status_label}")
    chosen = by_id[meeting_id]
    invite_download(actor, chosen, key=f"ics_{chosen.id}")
    if allows(actor, Permission.MANAGE_MEETINGS) and chosen.status in (MeetingStatus.PLANNED,
                                                                       MeetingStatus.PAPERS_CIRCULATED):
        _change_form(actor, chosen)
        _cancel_form(actor, chosen)


def _change_form(actor: Actor, meeting: MeetingSummary) -> None:
    with st.expander("Change the day, time or place"), st.form(f"change_meeting_{meeting.id}"):
        day = st.date_input("Date", value=meeting.date, format="DD/MM/YYYY")
        start = st.time_input("Start time", value=meeting.start_time or dt.time(10, 0),
                              step=dt.timedelta(minutes=15))
        location = st.text_input("Place", value=meeting.location or "", max_chars=MAX_NAME_CHARS)
        link = st.text_input("Online link", value=meeting.online_link or "", max_chars=MAX_LINK_CHARS)
        if st.form_submit_button("Save the change"):
            if not isinstance(day, dt.date):
                st.error("Choose the date of the meeting.")
                return
            run_action(lambda: move_meeting(database(), actor=actor, meeting_id=meeting.id, meeting_date=day,
                                            start_time=start, location=location, online_link=link,
                                            expected_version=meeting.version_id),
                       "The meeting is changed. Members can download the new invite.")


def _cancel_form(actor: Actor, meeting: MeetingSummary) -> None:
    with st.expander("Cancel this meeting"), st.form(f"cancel_meeting_{meeting.id}"):
        reason = st.text_input("Why is it cancelled?", max_chars=MAX_REASON_CHARS,
                               placeholder="For example: not enough members can come")
        st.caption("Its reviews go back to 'ready for the panel', for another meeting. This cannot be undone.")
        if st.form_submit_button("Cancel the meeting"):
            run_action(lambda: call_off_meeting(database(), actor=actor, meeting_id=meeting.id, reason=reason,
                                                expected_version=meeting.version_id),
                       "The meeting is cancelled. Members can download the cancellation for their calendar.",
                       check={"The reason": reason})


SENDABLE = (MeetingStatus.PLANNED, MeetingStatus.PAPERS_CIRCULATED)


def _prepare_papers(actor: Actor, meeting_id: int, key: str) -> None:
    """The button's callback, run before the page is drawn, so the same run shows the papers as sent."""

    def send() -> None:
        papers = circulate_papers(database(), actor=actor, meeting_id=meeting_id)
        st.session_state[key] = (papers_docx(papers, easy_read=False), papers_docx(papers, easy_read=True))

    run_in_callback(send, "The papers are marked as circulated. Download the meeting pack and the Easy Read pack "
                          "below and send them to members.")


def render_papers(actor: Actor, meeting: MeetingSummary, *, has_reviews: bool) -> None:
    """Send the papers for a meeting that has not started. Nothing is built until the button is pressed: then
    both packs are written and checked for personal data, and the papers are marked as circulated."""
    if not allows(actor, Permission.MANAGE_MEETINGS) or meeting.status not in SENDABLE:
        return
    st.subheader("Papers for members", anchor=False)
    sent = papers_sent(database(), actor=actor, meeting_id=meeting.id)
    st.write(sent.in_words if sent else "The papers for this meeting have not been sent from the app yet.")
    if not has_reviews:
        st.write("Add a focused review to the agenda first; then the papers can be prepared.")
        return
    key = f"meeting_papers_{meeting.id}"
    st.button("Prepare the meeting pack and the Easy Read pack", key=f"prepare_{key}", on_click=_prepare_papers,
              args=(actor, meeting.id, key), icon=":material/description:")
    st.caption("This marks the papers as circulated today, in the audit log. A planned meeting moves to "
               "'Papers circulated', and members can then comment on its reviews.")
    show_callback_error()
    if key in st.session_state:
        full, easy = st.session_state[key]
        stamp = meeting.date.isoformat()
        left, right = st.columns(2)
        left.download_button("Meeting pack (Word)", data=full, mime=DOCX, file_name=f"meeting-pack-{stamp}.docx",
                             icon=":material/download:", key=f"download_{key}")
        right.download_button("Easy Read pack (Word)", data=easy, mime=DOCX,
                              file_name=f"meeting-pack-easy-read-{stamp}.docx", icon=":material/download:",
                              key=f"download_easy_{key}")
