"""The sign-off vote in the meeting room: open (named or anonymous) and close for the chair, a plain vote
form for members (with a supporter if they have one), a count that never shows choices while open, results
in a real table once closed, and the chair's decision, stored with the tally and the quorum.

The count can refresh by itself, but only when someone turns that on: nothing moves unasked. The voting
form sits outside the refreshing part, so a screen reader user does not lose their place.
"""

from __future__ import annotations

import streamlit as st

from components.context import current_preferences, database
from components.feedback import (
    refuse_in_callback,
    run_action,
    run_in_callback,
    show_callback_error,
    show_confirmation,
)
from components.tables import accessible_table
from components.text import md_text
from features.voting.decisions import DecisionOutcome, DecisionView, reasons_needed
from features.voting.use_cases import (
    close_vote,
    current_poll,
    decide,
    open_vote,
    send_vote,
    vote_on_item,
    voters_for_item,
)
from features.voting.voting import OptionRow, PollStatus, PollView, VoteMode
from rules.actors import Actor
from rules.formatting import when
from rules.labels import DECISION_OUTCOME_LABELS
from rules.limits import MAX_NAME_CHARS, MAX_REASON_CHARS
from rules.permissions import Permission, allows

_JUST_READ = "_leder_poll_just_read"
_JUST_READ_POLL = "_leder_poll_read_by_panel"
# Often enough that a vote given on another server shows within 3 s; each refresh is one small query.
LIVE_COUNT_SECONDS = 2
_POLL_KINDS = {False: "Named vote", True: "Anonymous vote"}
_POLL_KIND_MEANINGS = [
    "Everyone sees who chose what once the vote closes. Members can change their vote until then.",
    "Only the numbers are shown. Nobody, the system included, can see who chose what. A vote cannot be changed.",
]


def render_vote_panel(actor: Actor, *, meeting_id: int, item_id: int, ready: bool, can_run: bool,
                      can_vote: bool, options: list[OptionRow], closes_here: bool = True,
                      heading: str = "The vote", heading_level: int = 3) -> None:
    """`closes_here`: False in a circulation, whose votes close together (by the chair or at the deadline);
    there a vote also redraws the whole page, whose "answers so far" depend on it. `heading_level` keeps the
    page's outline in order: in a circulation the vote sits under its review's level-4 heading."""
    if heading_level == 3:
        st.subheader(heading, anchor=False)
    else:
        st.markdown(f"{'#' * heading_level} {md_text(heading)}")
    read = vote_on_item(database(), actor=actor, item_id=item_id)
    poll, decision = read.poll, read.decision
    if decision is not None:
        _decision(decision)
    if poll is None:
        st.write("The vote has not been opened yet.")
        if ready and can_run:
            _open_form(actor, meeting_id, item_id)
        return
    if poll.status == PollStatus.OPEN:
        st.session_state[_JUST_READ_POLL] = poll  # the fragment's first run draws it without reading it again
        _open_poll(actor, meeting_id, item_id, can_run=can_run, can_vote=can_vote, options=options,
                   closes_here=closes_here, redraw_page=not closes_here)
        return
    _results(poll)
    if decision is not None:
        return
    if poll.quorum_met is False:
        st.write("The panel was not quorate when this vote closed, so no decision can be recorded on it. "
                 "The chair can open the vote again once the panel is quorate.")
        if ready and can_run:
            _open_form(actor, meeting_id, item_id, again=True)
    elif allows(actor, Permission.RECORD_DECISION):
        _decision_form(actor, poll)
    else:
        st.write("Waiting for the chair to record the panel's decision.")


def _open_form(actor: Actor, meeting_id: int, item_id: int, *, again: bool = False) -> None:
    with st.form(f"open_{item_id}", enter_to_submit=False):
        anonymous = st.radio("How will people vote?", options=[False, True], index=0,
                             format_func=_POLL_KINDS.__getitem__, captions=_POLL_KIND_MEANINGS)
        label = "Open the vote again" if again else "Open the vote"
        if st.form_submit_button(label, type="primary"):
            run_action(lambda: open_vote(database(), actor=actor, meeting_id=meeting_id, item_id=item_id,
                                         anonymous=bool(anonymous)),
                       f"The {_POLL_KINDS[bool(anonymous)].lower()} is open.")


def _open_poll(actor: Actor, meeting_id: int, item_id: int, *, can_run: bool, can_vote: bool,
               options: list[OptionRow], closes_here: bool = True, redraw_page: bool = False) -> None:
    """The open vote as one fragment: sending a vote reruns only this part of the page (the count, the
    views and the form), not the whole meeting room, so a panel voting at once costs the server a small
    run each (docs/performance.md). It reads the poll afresh; if the poll has closed meanwhile, the page
    reruns to show the results. With `redraw_page` (a circulation) it is part of the page instead."""

    def open_vote() -> None:
        current = st.session_state.pop(_JUST_READ_POLL, None) or _fresh_poll(actor, item_id)
        if current is None or current.status != PollStatus.OPEN:
            st.rerun()
        show_confirmation()
        st.write(f"This is {'an anonymous' if current.anonymous else 'a named'} vote. "
                 + _POLL_KIND_MEANINGS[int(current.anonymous)])
        st.session_state[_JUST_READ] = current  # the count below uses it instead of reading it again
        _live_count(actor, item_id)
        _apology_views(current)
        if can_vote:
            if current.anonymous and current.i_have_voted:
                st.write("You have voted. In an anonymous vote nobody can see your answer, so it cannot be changed.")
            else:
                _vote_form(actor, current, options)
        if can_run:
            _record_for_member(actor, current, meeting_id, item_id, options)
            if closes_here and st.button("Close the vote", key=f"close_{current.id}"):
                run_action(lambda: close_vote(database(), actor=actor, poll_id=current.id),
                           "The vote is closed. The results are shown below.")

    (open_vote if redraw_page else st.fragment(open_vote))()


def _fresh_poll(actor: Actor, item_id: int) -> PollView | None:
    return current_poll(database(), actor=actor, item_id=item_id)


def _live_count(actor: Actor, item_id: int) -> None:
    live = st.toggle(f"Update the count by itself every {LIVE_COUNT_SECONDS} seconds",
                     value=current_preferences().live_updates, key=f"live_{item_id}",
                     help="Off unless you turn it on (or choose it in My reading settings): nothing on the page "
                          "changes unless you ask for it.")

    @st.fragment(run_every=f"{LIVE_COUNT_SECONDS}s" if live else None)
    def count() -> None:
        # Drawn with the vote, it takes the poll just read there; on its own timer it reads it afresh.
        current = st.session_state.pop(_JUST_READ, None) or _fresh_poll(actor, item_id)
        if current is not None and current.status == PollStatus.OPEN:
            # An info box is a polite live region (role="status"): a screen reader hears the count change.
            st.info(f"**{current.progress}.** Choices stay hidden until the chair closes the vote.",
                    icon=":material/how_to_vote:")
            if current.my_choice:
                st.write(f"Your vote: {current.my_choice}. You can change it until the vote closes.")
        elif current is not None:
            st.markdown("**The vote has closed.** Reload the page to see the results.")

    count()


def _apology_views(poll: PollView) -> None:
    if not poll.apology_views:
        return
    st.markdown("**Views sent before the meeting by members who sent apologies**")
    st.markdown("\n".join(
        f"- **{md_text(v.name)}**: {md_text(v.body)} "
        + (f"Would vote: {md_text(v.would_vote)}. " if v.would_vote else "")
        + ("Counted as a vote (panel setting)." if v.counted else "Shown to the panel, not counted as a vote.")
        for v in poll.apology_views
    ))


def render_member_vote(actor: Actor, item_id: int, options: list[OptionRow]) -> None:
    """The vote on My meeting, as a fragment (see _open_poll): what the member chose so far, then the form."""

    @st.fragment
    def member_vote() -> None:
        poll = _fresh_poll(actor, item_id)
        if poll is None or poll.status != PollStatus.OPEN:
            st.rerun()
        show_confirmation()
        if poll.my_choice:
            st.write(f"Your vote: {poll.my_choice}. You can change it until the chair closes the vote.")
        if poll.anonymous and poll.i_have_voted:
            st.write("You have voted. Thank you. In an anonymous vote nobody can see your answer.")
        elif allows(actor, Permission.VOTE):
            _vote_form(actor, poll, options)

    member_vote()


def _vote_form(actor: Actor, poll: PollView, options: list[OptionRow]) -> None:
    """Sending the form saves the vote in its callback, before the fragment runs: one run draws the saved
    vote, the new count and the confirmation (a save-then-rerun would run the fragment twice per vote)."""
    by_id = {o.id: o for o in options}
    key = f"vote_{poll.id}"
    with st.form(key, enter_to_submit=False):
        st.radio("Your vote on signing off this review", options=list(by_id), index=None, key=f"{key}_choice",
                 format_func=lambda i: by_id[i].label, captions=[o.meaning for o in options])
        needing = [o.label for o in options if o.requires_reason]
        hint = f" (needed for {', '.join(repr(n) for n in needing)})" if needing else ""
        st.text_area(f"Why{hint}", max_chars=MAX_REASON_CHARS, key=f"{key}_reason")
        st.checkbox("Someone is helping me to vote", key=f"{key}_helped")
        st.text_input("Their name (if someone is helping you)", max_chars=MAX_NAME_CHARS, key=f"{key}_helper")
        st.form_submit_button("Send my vote", on_click=_send_vote, args=(actor, poll.id, by_id, key))
    show_callback_error()


def _send_vote(actor: Actor, poll_id: int, by_id: dict[int, OptionRow], key: str) -> None:
    choice = st.session_state.get(f"{key}_choice")
    if choice is None:
        refuse_in_callback("Choose one answer: " + ", ".join(o.label for o in by_id.values()) + ".")
        return
    reason = st.session_state.get(f"{key}_reason") or ""
    helper = st.session_state.get(f"{key}_helper") or ""
    mode = VoteMode.SUPPORTER if st.session_state.get(f"{key}_helped") or helper.strip() else VoteMode.OWN_DEVICE
    run_in_callback(lambda: send_vote(database(), actor=actor, poll_id=poll_id, option_id=choice, reason=reason,
                                      mode=mode, supported_by=helper),
                    f"Your vote is saved: {by_id[choice].label}.", check={"Your reason": reason})


def _record_for_member(actor: Actor, poll: PollView, meeting_id: int, item_id: int,
                       options: list[OptionRow]) -> None:
    """For a member who tells the chair or secretariat their vote, in the room or by phone."""
    members = voters_for_item(database(), actor=actor, meeting_id=meeting_id, item_id=item_id)
    by_id = {o.id: o for o in options}
    with st.expander("Record a vote a member gave you"), st.form(f"record_{poll.id}", enter_to_submit=False):
        member = st.selectbox("Member", options=list(members), index=None, format_func=members.__getitem__,
                              placeholder="Choose a member")
        choice = st.selectbox("Their answer", options=list(by_id), index=None, format_func=lambda i: by_id[i].label,
                              placeholder="Choose their answer")
        reason = st.text_area("Their reason, in their words", max_chars=MAX_REASON_CHARS)
        how = st.text_input("How they gave it", max_chars=MAX_NAME_CHARS, placeholder="For example: by phone")
        if st.form_submit_button("Record their vote"):
            if member is None or choice is None:
                st.error("Choose the member and their answer.")
                return
            supported_by = f"{actor.name}, {how.strip()}" if how.strip() else actor.name
            run_action(lambda: send_vote(database(), actor=actor, poll_id=poll.id, option_id=choice, reason=reason,
                                         member_id=member, mode=VoteMode.RECORDED_BY_SECRETARIAT,
                                         supported_by=supported_by),
                       f"The vote of {members[member]} is recorded.", check={"Their reason": reason})


def render_results(poll: PollView) -> None:
    """A closed vote's results, on their own: for a circulated review that was not decided."""
    _results(poll)


def _results(poll: PollView) -> None:
    kind = "anonymous" if poll.anonymous else "named"
    st.markdown(f"**The {kind} vote is closed.** {poll.voted} of {poll.eligible} eligible members voted.")
    if poll.quorum_summary:
        st.write(f"Quorum when the vote closed: {poll.quorum_summary}.")
    rows = [{"Answer": r.option, "Votes": r.count} for r in poll.results or ()]
    if not poll.anonymous:
        rows = [{**row, "Who": ", ".join(r.names) or "No one"} for row, r in zip(rows, poll.results or (), strict=True)]
    accessible_table(rows, empty_message="No results.")
    if poll.leading:
        st.write(poll.leading + ".")
    if poll.voters:
        st.markdown("**Who voted:** " + "; ".join(md_text(v.shown_as) for v in poll.voters) + ".")
    _apology_views(poll)


def _decision_form(actor: Actor, poll: PollView) -> None:
    st.markdown("**Record the panel's decision**")
    outcomes = list(DecisionOutcome)
    with st.form(f"decide_{poll.id}", enter_to_submit=False):
        outcome = st.radio("The panel's decision", options=outcomes, index=None,
                           format_func=DECISION_OUTCOME_LABELS.__getitem__)
        reasons = st.text_area("The panel's reasons (needed unless it is a plain sign-off)",
                               max_chars=MAX_REASON_CHARS)
        st.caption("Once recorded, the decision cannot be changed. A signed-off review is locked: later "
                   "changes become new versions with a reason.")
        if st.form_submit_button("Record the decision", type="primary"):
            if outcome is None:
                st.error("Choose the panel's decision.")
                return
            if reasons_needed(outcome) and not reasons.strip():
                st.error(f"Give the panel's reasons for '{DECISION_OUTCOME_LABELS[outcome]}'.")
                return
            run_action(lambda: decide(database(), actor=actor, poll_id=poll.id, outcome=outcome, reasons=reasons),
                       f"Decision recorded: {DECISION_OUTCOME_LABELS[outcome]}.", check={"The reasons": reasons})


def _decision(decision: DecisionView) -> None:
    locked = " The review's findings are locked." if decision.outcome_label.startswith("Signed off") else ""
    st.success(f"Decision: {decision.outcome_label}.{locked}", icon=":material/gavel:")
    st.markdown(
        f"**Reasons:** {md_text(decision.reasons) or 'None given'}  \n"
        f"**Votes:** {decision.tally_in_words} ({decision.voted} of {decision.eligible} eligible voted)  \n"
        f"**Quorum when the vote closed:** {decision.quorum_summary}  \n"
        f"**Recorded by:** {decision.decided_by}, {when(decision.decided_at)}"
    )
