"""The minutes, step by step: the secretariat's narrative per item, circulation for comment, approval
(which locks them), corrections as reasoned versions, and the Word and Easy Read downloads."""

from __future__ import annotations

import streamlit as st

from components.context import database
from components.feedback import explained_errors, run_action
from components.text import md_text
from documents.easy_read_docx import easy_read_docx
from documents.minutes_docx import minutes_docx
from features.meetings.meetings import MeetingStatus, MeetingSummary
from features.minutes.minutes import Minutes
from features.minutes.use_cases import (
    approve,
    circulate,
    comment_on_draft,
    correct,
    easy_read_minutes,
    minutes_progress,
    minutes_to_export,
    write_minute,
)
from features.minutes.workflow import ApprovalRoute, MinutesState, MinutesStatus, NarrativeRow
from rules.actors import Actor
from rules.formatting import when
from rules.limits import MAX_COMMENT_CHARS, MAX_NARRATIVE_CHARS, MAX_REASON_CHARS
from rules.permissions import Permission, allows

WITH_MINUTES = (MeetingStatus.IN_PROGRESS, MeetingStatus.HELD, MeetingStatus.MINUTES_DRAFTED,
                MeetingStatus.MINUTES_APPROVED)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STEPS = ("Draft", "Circulated to the panel for comment", "Approved and locked")
STEP_OF = {None: 0, MinutesStatus.DRAFT: 0, MinutesStatus.CIRCULATED: 1, MinutesStatus.APPROVED: 2}
ROUTES = {ApprovalRoute.AT_MEETING: "The panel approved them at a meeting",
          ApprovalRoute.BY_CHAIR: "I approve them as chair between meetings (the panel's rules allow this)"}


def meetings_with_minutes(meetings: list[MeetingSummary]) -> list[MeetingSummary]:
    """The meetings that have minutes to write or read, newest first: the list box's choices, first is chosen."""
    return [m for m in sorted(meetings, key=lambda m: m.date, reverse=True) if m.status in WITH_MINUTES]


def choose_meeting(meetings: list[MeetingSummary]) -> int | None:
    """The meetings that have minutes to write or read, newest first."""
    choices = {m.id: m for m in meetings_with_minutes(meetings)}
    if not choices:
        st.write("Minutes are written once a meeting has started.")
        return None
    return st.selectbox("Meeting", options=list(choices), index=0, key="minutes_meeting",
                        format_func=lambda i: f"{choices[i].title} ({choices[i].status_label})")


def load_state(actor: Actor, meeting_id: int) -> MinutesState:
    return minutes_progress(database(), actor=actor, meeting_id=meeting_id)


def render_progress(state: MinutesState) -> None:
    """Where the minutes are, in words: step N of 3, never colour alone."""
    step = STEP_OF[state.status]
    lines = [f"{n}. {label}" + (" (now)" if n - 1 == step else " (done)" if n - 1 < step else "")
             for n, label in enumerate(STEPS, start=1)]
    st.markdown(f"**Where these minutes are:** {state.status_label}.\n\n" + "\n".join(lines))


def narrative_forms(actor: Actor, state: MinutesState) -> None:
    st.subheader("What was discussed, item by item", anchor=False)
    st.write("The app writes who was there, declarations, quoracy, findings, votes, decisions and actions. "
               "Add what the panel discussed under each item. Leave an item empty if nothing needs saying.")
    for row in state.narratives:
        _narrative_form(actor, row)
    if state.agreed_by_circulation:
        st.markdown("**Agreed by circulation since the last meeting**")
        st.write("The app writes these into the minutes after the agenda items, as they are here.")
        st.markdown("\n".join(f"- {md_text(line)}" for line in state.agreed_by_circulation))


def _narrative_form(actor: Actor, row: NarrativeRow) -> None:
    with st.form(f"narrative_{row.item_id}"):
        text = st.text_area(f"Minute for item {row.heading}", value=row.text, max_chars=MAX_NARRATIVE_CHARS,
                            height=120, key=f"narrative_text_{row.item_id}_{row.version_id}")
        if st.form_submit_button(f"Save the minute for item {row.heading.split('.')[0]}"):
            run_action(lambda: write_minute(database(), actor=actor, row=row, text=text),
                       f"The minute for item {row.heading} is saved.")



def circulate_button(actor: Actor, state: MinutesState) -> None:
    if not state.meeting_ended:
        st.info("The draft can be circulated once the meeting has ended.", icon=":material/info:")
        return
    if st.button("Circulate the draft to the panel for comment", key=f"circulate_{state.meeting_id}"):
        run_action(lambda: circulate(database(), actor=actor, state=state),
                   "The draft minutes are circulated to the panel for comment.")



def comments_section(actor: Actor, state: MinutesState) -> None:
    st.subheader("Comments on the draft", anchor=False)
    for comment in state.comments:
        st.markdown(f"**{md_text(comment.author)}**, {when(comment.created_at)}: {md_text(comment.body)}")
    if not state.comments:
        st.write("No comments yet." if state.status == MinutesStatus.CIRCULATED else
                 "No comments were made on the draft.")
    if state.status != MinutesStatus.CIRCULATED or not allows(actor, Permission.COMMENT):
        return
    with st.form(f"minutes_comment_{state.meeting_id}", clear_on_submit=False):
        body = st.text_area("Your comment on the draft minutes", key="minutes_comment_body",
                            max_chars=MAX_COMMENT_CHARS)
        if st.form_submit_button("Send my comment"):
            run_action(lambda: comment_on_draft(database(), actor=actor, state=state, body=body),
                       "Thank you. Your comment is sent to the secretariat.")



def approval_form(actor: Actor, state: MinutesState) -> None:
    st.subheader("Approve the minutes", anchor=False)
    routes = [ApprovalRoute.AT_MEETING] + ([ApprovalRoute.BY_CHAIR] if state.chair_may_approve else [])
    meetings = {m.id: m.label for m in state.approval_meetings}
    with st.form(f"approve_{state.meeting_id}"):
        route = st.radio("How were they approved?", options=routes, format_func=ROUTES.__getitem__)
        at_meeting = st.selectbox("The meeting that approved them", options=list(meetings), index=None,
                                  format_func=meetings.__getitem__,
                                  placeholder="Choose a meeting" if meetings else "No later meeting has started yet")
        st.write("Approving locks the minutes. After that, a correction is a new version with a reason.")
        if st.form_submit_button("Approve and lock the minutes"):
            run_action(lambda: approve(database(), actor=actor, state=state, route=route, at_meeting_id=at_meeting),
                       "The minutes are approved and locked.")



def versions_section(state: MinutesState) -> None:
    st.subheader("Versions", anchor=False)
    for version in state.versions:
        what = "the minutes as approved" if version.number == 1 else f"a correction. Reason: {md_text(version.reason)}"
        st.markdown(f"- **Version {version.number}**, {what}. Recorded {when(version.created_at)} "
                    f"by {md_text(version.author)}.")


def correction_form(actor: Actor, state: MinutesState, approved: Minutes) -> None:
    sections = {s.key: s for s in approved.sections if s.key}
    with st.expander("Correct the approved minutes"):
        st.write("The approved text is never changed in place. Your correction becomes version "
                   f"{state.latest_version + 1}, with your name, the date and your reason.")
        key = st.selectbox("Item to correct", options=list(sections), format_func=lambda k: sections[k].heading,
                           key=f"correct_item_{state.meeting_id}")
        with st.form(f"correct_{state.meeting_id}_{key}"):
            text = st.text_area("Corrected minute for this item", value=sections[key].narrative,
                                max_chars=MAX_NARRATIVE_CHARS, height=120)
            reason = st.text_input("Reason for the correction", max_chars=MAX_REASON_CHARS)
            if st.form_submit_button("Save the correction as a new version"):
                run_action(lambda: correct(database(), actor=actor, state=state, section_key=key, narrative=text,
                                               reason=reason),
                           f"The correction is saved as version {state.latest_version + 1}.")



def export_minutes(actor: Actor, meeting_id: int) -> Minutes | None:
    """The minutes as they would leave the app, or None (with the reason shown) if they cannot yet."""
    with explained_errors():
        return minutes_to_export(database(), actor=actor, meeting_id=meeting_id)
    return None


def downloads(actor: Actor, state: MinutesState) -> None:
    """Both documents are built only when asked (a spinner shows while they are written)."""
    st.subheader("Download", anchor=False)
    stamp = state.meeting_date.isoformat()
    full, easy = f"minutes_docx_{state.meeting_id}", f"easy_read_docx_{state.meeting_id}"
    left, right = st.columns(2)
    with left:
        if st.button("Prepare the minutes as a Word document", key=f"prepare_{state.meeting_id}"):
            with st.spinner("Writing the minutes…"):
                minutes = export_minutes(actor, state.meeting_id)
                if minutes is not None:
                    st.session_state[full] = minutes_docx(minutes)
        if full in st.session_state:
            st.download_button("Download the minutes (Word)", data=st.session_state[full], mime=DOCX,
                               file_name=f"minutes-{stamp}.docx", icon=":material/download:")
    with right:
        if st.button("Prepare the Easy Read minutes", key=f"prepare_easy_{state.meeting_id}"):
            with st.spinner("Writing the Easy Read minutes…"), explained_errors():
                easy_read = easy_read_minutes(database(), actor=actor, meeting_id=state.meeting_id)
                st.session_state[easy] = easy_read_docx(easy_read)
        if easy in st.session_state:
            st.download_button("Download the Easy Read minutes (Word)", data=st.session_state[easy], mime=DOCX,
                               file_name=f"minutes-easy-read-{stamp}.docx", icon=":material/download:")
