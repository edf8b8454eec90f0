"""Meetings of your panel; the secretariat and chairs plan meetings and build agendas here."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.context import current_actor, database
from components.feedback import explained_errors, run_action, show_confirmation
from components.meetings import render_calendar_section, render_meeting_table, render_papers
from components.tables import page_of
from features.meetings.use_cases import (
    agenda_planning,
    count_of_meetings,
    meeting_list,
    meetings_to_plan,
    plan_meeting,
    put_on_agenda,
    take_off_agenda,
)
from rules.actors import Actor
from rules.formatting import long_date
from rules.limits import MAX_LINK_CHARS, MAX_NAME_CHARS
from rules.permissions import Permission, allows


def _plan_form(actor: Actor) -> None:
    st.header("Plan a meeting", anchor=False)
    with st.form("plan_meeting"):
        day = st.date_input("Date", value=None, format="DD/MM/YYYY")
        start = st.time_input("Start time", value=dt.time(10, 0), step=dt.timedelta(minutes=15))
        location = st.text_input("Place", max_chars=MAX_NAME_CHARS, placeholder="For example: Room 2, Riverside House")
        link = st.text_input("Online link", max_chars=MAX_LINK_CHARS, placeholder="https://")
        if st.form_submit_button("Plan the meeting"):
            if day is None:
                st.error("Choose the date of the meeting.")
                return
            run_action(lambda: plan_meeting(database(), actor=actor, meeting_date=day, start_time=start,
                                            location=location, online_link=link),
                       f"Meeting planned for {long_date(day)}.")



def _agenda_builder(actor: Actor) -> None:
    st.header("Build an agenda", anchor=False)
    upcoming = meetings_to_plan(database(), actor=actor)
    open_meetings = {m.id: m for m in upcoming}
    if not open_meetings:
        st.write("There is no meeting to add reviews to. Plan one first.")
        return
    labels = {i: f"{long_date(m.date)}: {m.status_label}" for i, m in open_meetings.items()}
    meeting_id = st.selectbox("Meeting", options=list(open_meetings), format_func=labels.__getitem__,
                              key="agenda_meeting")
    planning = agenda_planning(database(), actor=actor, meeting_id=meeting_id)
    room, ready = planning.room, planning.ready
    st.markdown("\n".join(f"{line.position}. {line.title}" for line in room.agenda))
    if ready:
        by_id = {r.id: r for r in ready}
        with st.form("add_to_agenda"):
            review_id = st.selectbox("Review ready for the panel", options=list(by_id),
                                     format_func=lambda i: f"{by_id[i].reference} ({by_id[i].clock.label})")
            if st.form_submit_button("Add to the agenda"):
                run_action(lambda: put_on_agenda(database(), actor=actor, meeting_id=meeting_id, review_id=review_id),
                           f"Added {by_id[review_id].reference}.")
    else:
        st.write("No reviews are waiting for the panel.")
    review_lines = {line.id: line for line in room.agenda if line.review_id is not None}
    if review_lines:
        with st.form("remove_from_agenda"):
            item_id = st.selectbox("Review to take off the agenda", options=list(review_lines),
                                   format_func=lambda i: review_lines[i].title)
            if st.form_submit_button("Take it off the agenda"):
                run_action(lambda: take_off_agenda(database(), actor=actor, meeting_id=meeting_id, item_id=item_id),
                           "Taken off the agenda.")
    render_papers(actor, open_meetings[meeting_id], has_reviews=bool(review_lines))




def render() -> None:
    actor = current_actor()
    st.title("Meetings")
    show_confirmation()
    with explained_errors():
        total = count_of_meetings(database(), actor=actor)
        offset, limit = page_of(total, noun="meetings", key="meeting_page")
        meetings = meeting_list(database(), actor=actor, offset=offset, limit=limit)
        render_meeting_table(meetings)
        render_calendar_section(actor)
        if allows(actor, Permission.MANAGE_MEETINGS):
            _plan_form(actor)
            _agenda_builder(actor)
        st.write("Minutes are written, circulated, approved and downloaded on the Minutes page.")


if __name__ == "__main__":
    from app import main

    main()
