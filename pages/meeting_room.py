"""Meeting room: the agenda, who is here, the quorum for the current item, the review and what members said.

The chair and secretariat see the controls; everyone else sees the same item read-only.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.actions import action_builder, action_update_forms, render_action_table
from components.attendance import attendance_form, render_attendance_lists
from components.context import current_actor, database
from components.feedback import explained_errors, run_action, show_confirmation
from components.review_view import render_comments, render_findings, render_review_facts
from components.status import render_checkpoint, render_quorum, render_readiness
from components.text import md_text
from components.vote_panel import render_vote_panel
from features.meetings.meetings import (
    ItemStatus,
    MeetingStatus,
    next_status_label,
    pick_default_meeting,
)
from features.meetings.room import (
    OPEN_ITEM_STATUSES,
    AgendaItemKind,
    ItemView,
    MeetingRoom,
)
from features.meetings.use_cases import (
    actions_back_to_panel,
    declare_interest,
    go_to_item,
    make_ready_for_vote,
    meeting_list,
    move_meeting_on,
    room_view,
    save_attendance,
)
from features.reviews.use_cases import comment_on_review
from features.voting.use_cases import vote_choices
from rules.actors import Actor
from rules.formatting import clock_time, long_date
from rules.labels import DECLARATION_OUTCOME_LABELS, DeclarationOutcome
from rules.limits import MAX_COMMENT_CHARS, MAX_INTEREST_CHARS
from rules.permissions import Permission, allows


def _choose_meeting(actor: Actor) -> int | None:
    meetings = meeting_list(database(), actor=actor)
    if not meetings:
        st.write("There are no meetings yet.")
        return None
    default = pick_default_meeting(meetings, today=dt.date.today())
    by_id = {m.id: m for m in meetings}
    return st.selectbox("Meeting", options=list(by_id), index=list(by_id).index(default),
                        format_func=lambda i: f"{long_date(by_id[i].date)}: {by_id[i].status_label}")


def _header(actor: Actor, room: MeetingRoom) -> None:
    meeting = room.meeting
    when = long_date(meeting.date) + (f" at {clock_time(meeting.start_time)}" if meeting.start_time else "")
    st.markdown(f"**{meeting.title}.** {when}. {meeting.where}. **Status:** {meeting.status_label}.")
    following = next_status_label(meeting.status)
    if following and allows(actor, Permission.MANAGE_MEETINGS) and st.button(f"Move the meeting on to: {following}"):
        run_action(lambda: move_meeting_on(database(), actor=actor, meeting_id=meeting.id,
                                           expected_version=meeting.version_id),
                   f"The meeting is now: {following}.")



def _attendance(actor: Actor, room: MeetingRoom) -> None:
    st.header("Attendance", anchor=False)
    render_quorum(room.quorum, heading="Quorum for the meeting")
    render_attendance_lists(room.attendance)
    if room.can_run:
        with st.expander("Record attendance"):
            changes = attendance_form(room.attendance, key=f"attendance_{room.meeting.id}")
            if changes == {}:
                st.info("Nothing to save: no one's attendance was changed.")
            elif changes is not None:
                run_action(lambda: save_attendance(database(), actor=actor, meeting_id=room.meeting.id,
                                                   changes=changes),
                           f"Attendance saved ({len(changes)} change{'s' if len(changes) != 1 else ''}).")



def _agenda_choice(room: MeetingRoom) -> int | None:
    st.header("Agenda", anchor=False)
    lines = {line.id: line for line in room.agenda}
    labels = {i: f"{line.position}. {line.title}: {line.status_label}{' (current item)' if line.is_current else ''}"
              for i, line in lines.items()}
    st.markdown("\n".join(labels[i] for i in lines))  # "1. …" lines: a numbered list
    current = next((line.id for line in room.agenda if line.is_current), room.agenda[0].id if room.agenda else None)
    if current is None:
        return None
    return st.selectbox("Agenda item to look at", options=list(lines), index=list(lines).index(current),
                        format_func=labels.__getitem__, key=f"item_{room.meeting.id}")


def _item(actor: Actor, room: MeetingRoom, item: ItemView) -> None:
    st.header(f"Item {item.line.position}: {item.line.title}", anchor=False)
    st.write(f"Status: {item.line.status_label}.")
    in_progress = room.meeting.status == MeetingStatus.IN_PROGRESS
    if room.can_run and in_progress and not item.line.is_current and st.button("Make this the current item"):
        run_action(lambda: go_to_item(database(), actor=actor, meeting_id=room.meeting.id, item_id=item.line.id),
                   f"Now on item {item.line.position}.")
    if item.line.kind == AgendaItemKind.PREVIOUS_MINUTES:
        _action_log(actor, room)
    if item.line.review_id is None:
        return
    render_quorum(item.quorum, heading="Quorum for this item")
    if item.checkpoint:
        render_checkpoint(item.checkpoint)
    _declarations(actor, room, item)
    if item.review is not None:
        render_review_facts(item.review)
        render_findings(item.review)
    if item.comments is not None:
        st.subheader("What members said", anchor=False)
        render_comments(item.comments)
        if allows(actor, Permission.COMMENT):
            _comment_form(actor, item, before_meeting=room.meeting.status == MeetingStatus.PAPERS_CIRCULATED)
    st.subheader("Before the vote", anchor=False)
    if item.line.status in OPEN_ITEM_STATUSES:
        render_readiness(item.readiness)
    if item.stored_quorum_summary:
        st.write(f"Quorum recorded when the item was made ready: {item.stored_quorum_summary}.")
    if room.can_run and item.line.status in OPEN_ITEM_STATUSES and st.button(
        "Ready for the vote", type="primary", key=f"ready_{item.line.id}"
    ):
        run_action(lambda: make_ready_for_vote(database(), actor=actor, meeting_id=room.meeting.id,
                                               item_id=item.line.id, expected_version=item.line.version_id),
                   "The item is ready for the vote.")
    if item.line.status not in OPEN_ITEM_STATUSES:
        render_vote_panel(actor, meeting_id=room.meeting.id, item_id=item.line.id,
                          ready=item.line.status == ItemStatus.READY_FOR_VOTE, can_run=room.can_run,
                          can_vote=allows(actor, Permission.VOTE),
                          options=vote_choices(database(), actor=actor))
    if allows(actor, Permission.MANAGE_ACTIONS) and item.review is not None:
        st.subheader("Actions", anchor=False)
        with st.expander("Agree a SMART action with the reviewer"):
            action_builder(actor, item.review.id, item.review.reference, key=f"room_build_{item.line.id}")


def _action_log(actor: Actor, room: MeetingRoom) -> None:
    """Overdue actions come back to the panel here by themselves: close them or agree a new date."""
    st.subheader("Overdue actions brought back to the panel", anchor=False)
    overdue = actions_back_to_panel(database(), actor=actor)
    render_action_table(overdue)
    if room.can_run and overdue:
        action_update_forms(actor, overdue, key=f"log_{room.meeting.id}")




def _declarations(actor: Actor, room: MeetingRoom, item: ItemView) -> None:
    st.subheader("Declarations of interest", anchor=False)
    if item.declarations:
        st.markdown("\n".join(f"- {md_text(d.name)}: {md_text(d.interest)}. {d.outcome_label}."
                               for d in item.declarations))
    else:
        st.write("No declarations on this item.")
    if not room.can_run:
        return
    people = {r.user_id: r.name for r in room.attendance}
    with st.expander("Record a declaration"), st.form(f"declare_{item.line.id}", clear_on_submit=False):
        user_id = st.selectbox("Who is declaring", options=list(people), format_func=people.__getitem__, index=None,
                               placeholder="Choose a person")
        interest = st.text_input("Their interest, in a few words", max_chars=MAX_INTEREST_CHARS)
        outcome = st.radio("The chair's ruling", options=list(DeclarationOutcome),
                           format_func=DECLARATION_OUTCOME_LABELS.__getitem__, index=None)
        if st.form_submit_button("Record the declaration"):
            if user_id is None or outcome is None:
                st.error("Choose who is declaring and the chair's ruling.")
            else:
                run_action(lambda: declare_interest(database(), actor=actor, item_id=item.line.id, user_id=user_id,
                                                    interest=interest, outcome=outcome),
                           f"Declaration by {people[user_id]} recorded.",
                           check={"The interest": interest})



def _comment_form(actor: Actor, item: ItemView, *, before_meeting: bool) -> None:
    review_id = item.line.review_id
    if review_id is None:
        return
    options = {o.id: o.label for o in vote_choices(database(), actor=actor)}
    with st.form(f"comment_{item.line.id}", enter_to_submit=False):
        body = st.text_area("Your comment on this review", max_chars=MAX_COMMENT_CHARS)
        would_vote = None
        if before_meeting:
            would_vote = st.selectbox(
                "If you cannot come to the meeting: how would you vote?", options=list(options), index=None,
                format_func=options.__getitem__, placeholder="I will vote at the meeting",
                help="If you send apologies, the panel sees this when the vote opens.")
        if st.form_submit_button("Send my comment"):
            run_action(lambda: comment_on_review(database(), actor=actor, review_id=review_id, body=body,
                                                 would_vote_option_id=would_vote),
                       "Your comment has been added.",
                       check={"Your comment": body})



def render() -> None:
    actor = current_actor()
    st.title("Meeting room")
    show_confirmation()
    with explained_errors():
        meeting_id = _choose_meeting(actor)
        if meeting_id is None:
            return
        item_id = st.session_state.get(f"item_{meeting_id}")
        room = room_view(database(), actor=actor, meeting_id=meeting_id, item_id=item_id)
        _header(actor, room)
        _attendance(actor, room)
        chosen = _agenda_choice(room)
        if chosen is not None and (room.item is None or room.item.line.id != chosen):
            room = room_view(database(), actor=actor, meeting_id=meeting_id, item_id=chosen)
        if room.item is not None:
            _item(actor, room, room.item)


if __name__ == "__main__":
    from app import main

    main()
