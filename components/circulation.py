"""Decisions by circulation: the chair's form to send reviews, and each circulated review with what the
reader may do with it (read it, answer, step out for an interest), its answers so far and its outcome.
Answering uses the meeting's own vote form (components/vote_panel.py)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.context import app_settings, database
from components.feedback import run_action
from components.status import render_checkpoint, render_quorum
from components.text import md_text
from components.vote_panel import render_results, render_vote_panel
from features.circulation.circulation import MAX_DAYS, MAX_REVIEWS, CirculatedReview, CirculationView
from features.circulation.use_cases import CirculationChoices, circulate, close_now, step_out
from features.mail.use_cases import send_soon
from features.voting.voting import OptionRow
from rules.actors import Actor
from rules.formatting import long_date
from rules.limits import MAX_INTEREST_CHARS
from rules.permissions import Permission, allows
from rules.vocabulary import ItemStatus, PollStatus, Role

_KINDS = {False: "Named vote", True: "Anonymous vote"}


def render_send_form(actor: Actor, choices: CirculationChoices, today: dt.date) -> None:
    st.header("Send reviews for a decision", anchor=False)
    if not choices.reviews:
        st.write("No review is ready for the panel and free to send. A review on a meeting's agenda is decided "
                 "there.")
        return
    by_id = {r.id: r for r in choices.reviews}
    with st.form("circulate", enter_to_submit=False):
        chosen = st.multiselect(f"Reviews to send (at most {MAX_REVIEWS})", options=list(by_id),
                                format_func=lambda i: by_id[i].label, placeholder="Choose reviews")
        day = st.date_input("Answers by (day)", value=today + dt.timedelta(days=7), min_value=today,
                            max_value=today + dt.timedelta(days=MAX_DAYS), format="DD/MM/YYYY")
        time = st.time_input("Answers by (time)", value=dt.time(17, 0), step=dt.timedelta(minutes=15))
        needed = st.number_input("Answers needed for a decision", min_value=1, max_value=50,
                                 value=choices.suggested_min, step=1,
                                 help="The answers must include a lived-experience member and the ethnic minority "
                                      "lead, as the panel's quorum does.")
        anonymous = st.radio("How will people vote?", options=[False, True], index=0,
                             format_func=_KINDS.__getitem__, horizontal=True)
        if st.form_submit_button("Send for a decision", type="primary"):
            if not chosen:
                st.error("Choose at least one review to send.")
                return
            if not isinstance(day, dt.date):
                st.error("Choose the day answers are due by.")
                return
            settings = app_settings()
            email_to = settings.app_address if settings.mail is not None else None

            def send() -> None:
                circulate(database(), actor=actor, review_ids=list(chosen), deadline_day=day, deadline_time=time,
                          min_responses=int(needed), anonymous=bool(anonymous), email_to=email_to)
                send_soon(database(), mail=settings.mail)

            emailed = " Members are told by email." if email_to else ""
            run_action(send, f"Sent to the panel for a decision. Answers are due by {long_date(day)}.{emailed}")


def render_circulation(actor: Actor, circulation: CirculationView, options: list[OptionRow]) -> None:
    state = f"Answers by {circulation.deadline_in_words}" if circulation.open \
        else f"Answers were due by {circulation.deadline_in_words}"
    st.subheader(f"{state}", anchor=False)
    st.write(f"{circulation.title}. {circulation.min_responses} answers needed for each review, including the "
               "panel's quorum roles.")
    for review in circulation.reviews:
        with st.container(border=True):
            _review(actor, circulation, review, options)
    if circulation.open and allows(actor, Permission.CIRCULATE):
        st.write("Close it now if everyone has answered. A review without enough answers goes back to the panel, "
                 "for a meeting.")
        if st.button("Close this circulation now", key=f"close_circulation_{circulation.id}"):
            run_action(lambda: close_now(database(), actor=actor, circulation_id=circulation.id),
                       "The circulation is closed. The results are shown below.")


def _review(actor: Actor, circulation: CirculationView, review: CirculatedReview, options: list[OptionRow]) -> None:
    st.markdown(f"#### Focused review {review.reference}")
    st.write(review.outcome)
    _summary(actor, review)
    if review.stepped_out:
        st.info("You stepped out of this review because of an interest, so you do not answer on it.",
                icon=":material/front_hand:")
    if circulation.open:
        render_quorum(review.quorum, heading="Answers so far")
    render_checkpoint(review.checkpoint)
    if review.poll is None:
        return
    if review.item_status == ItemStatus.DEFERRED:
        render_results(review.poll)
        return
    render_vote_panel(actor, meeting_id=circulation.id, item_id=review.item_id, ready=False,
                      can_run=allows(actor, Permission.RUN_MEETING) and circulation.open,
                      can_vote=review.may_answer, options=options, closes_here=False,
                      heading=f"Answers on {review.reference}", heading_level=5)
    if review.may_answer and not review.answered and review.poll.status == PollStatus.OPEN:
        _step_out_form(actor, review)


def _summary(actor: Actor, review: CirculatedReview) -> None:
    easy = Role.LIVED_EXPERIENCE_MEMBER in actor.roles and review.easy_read_summary
    text = review.easy_read_summary if easy else review.summary
    if not text:
        return
    with st.expander(f"Read the {'Easy Read ' if easy else ''}summary of {review.reference}"):
        st.markdown(md_text(text))


def _step_out_form(actor: Actor, review: CirculatedReview) -> None:
    with st.expander(f"I have an interest in {review.reference}"), \
            st.form(f"step_out_{review.item_id}", enter_to_submit=False):
        st.write("If you have an interest, for example you know the person or work for their care provider, "
                 "step out of this review. You will not answer on it.")
        interest = st.text_input("What is the interest?", max_chars=MAX_INTEREST_CHARS)
        if st.form_submit_button("Step out of this review"):
            run_action(lambda: step_out(database(), actor=actor, item_id=review.item_id, interest=interest),
                       f"You have stepped out of {review.reference}.", check={"The interest": interest})
