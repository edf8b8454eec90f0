"""The sign-off vote in the meeting room: open and close for the chair, a plain vote form for members,
a count that never shows choices while open, and results in a real table once closed.

The count can refresh by itself, but only when someone turns that on: nothing moves unasked. The voting
form sits outside the refreshing part, so a screen reader user does not lose their place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from components.context import database
from components.feedback import run_action
from components.tables import accessible_table
from services.actors import Actor
from services.voting import OptionRow, PollStatus, PollView, cast_vote, close_poll, open_poll, poll_view


def render_vote_panel(actor: Actor, *, meeting_id: int, item_id: int, ready: bool, can_run: bool,
                      can_vote: bool, options: list[OptionRow]) -> None:
    st.subheader("The vote", anchor=False)
    with database().unit_of_work(read_only=True) as session:
        poll = poll_view(session=session, actor=actor, item_id=item_id)
    if poll is None:
        st.write("The vote has not been opened yet.")
        if ready and can_run and st.button("Open the vote", type="primary", key=f"open_{item_id}"):
            run_action(lambda: _open(actor, meeting_id, item_id), "The vote is open.")
        return
    if poll.status == PollStatus.OPEN:
        _live_count(actor, item_id)
        if can_vote:
            _vote_form(actor, poll, options)
        if can_run and st.button("Close the vote", key=f"close_{poll.id}"):
            run_action(lambda: _close(actor, poll.id), "The vote is closed. The results are shown below.")
        return
    _results(poll)


def _live_count(actor: Actor, item_id: int) -> None:
    live = st.toggle("Update the count by itself every 5 seconds", value=False, key=f"live_{item_id}",
                     help="Off by default, so nothing on the page changes unless you ask for it.")

    @st.fragment(run_every="5s" if live else None)
    def count() -> None:
        with database().unit_of_work(read_only=True) as session:
            current = poll_view(session=session, actor=actor, item_id=item_id)
        if current is not None:
            st.markdown(f"**{current.progress}.** Choices stay hidden until the chair closes the vote.")
            if current.my_choice:
                st.write(f"Your vote: {current.my_choice}. You can change it until the vote closes.")

    count()


def _vote_form(actor: Actor, poll: PollView, options: list[OptionRow]) -> None:
    by_id = {o.id: o for o in options}
    with st.form(f"vote_{poll.id}", enter_to_submit=False):
        choice = st.radio("Your vote on signing off this review", options=list(by_id), index=None,
                          format_func=lambda i: by_id[i].label, captions=[o.meaning for o in options])
        reason = st.text_area("Why (needed for 'Not yet')", max_chars=2000)
        if st.form_submit_button("Send my vote"):
            if choice is None:
                st.error("Choose one answer: " + ", ".join(o.label for o in options) + ".")
                return
            run_action(lambda: _vote(actor, poll.id, choice, reason), f"Your vote is saved: {by_id[choice].label}.")


def _results(poll: PollView) -> None:
    st.markdown(f"**The vote is closed.** {poll.voted} of {poll.eligible} eligible members voted.")
    accessible_table(
        [{"Answer": r.option, "Votes": r.count, "Who": ", ".join(r.names) or "No one"} for r in poll.results or ()],
        empty_message="No results.",
    )


def _in_unit_of_work(action: Callable[..., object], **kwargs: object) -> None:
    with database().unit_of_work() as session:
        action(session=session, **kwargs)


def _open(actor: Actor, meeting_id: int, item_id: int) -> None:
    _in_unit_of_work(open_poll, actor=actor, meeting_id=meeting_id, item_id=item_id,
                     now=dt.datetime.now(dt.UTC), today=dt.date.today())


def _close(actor: Actor, poll_id: int) -> None:
    _in_unit_of_work(close_poll, actor=actor, poll_id=poll_id, now=dt.datetime.now(dt.UTC))


def _vote(actor: Actor, poll_id: int, option_id: int, reason: str) -> None:
    _in_unit_of_work(cast_vote, actor=actor, poll_id=poll_id, option_id=option_id, reason=reason,
                     now=dt.datetime.now(dt.UTC))
