"""Forms reviewers and the secretariat use to write up a focused review. Each save is one use case
(features/reviews/use_cases.py); errors are shown in words next to the form and what was typed stays in place."""

from __future__ import annotations

import streamlit as st

from components.context import database
from components.feedback import run_action
from components.text import md_text
from features.reviews.reviews import FindingKind, ReviewDetail, ReviewStatus
from features.reviews.use_cases import (
    add_review,
    check_easy_read_text,
    pause_clock,
    restart_clock,
    reviewers_to_choose,
    save_easy_read,
    save_finding,
    save_summary,
    send_to_panel,
    theme_choices,
)
from rules.actors import Actor
from rules.easy_read import MAX_WORDS_PER_SENTENCE
from rules.labels import FINDING_KIND_LABELS, PAUSE_REASON_LABELS, PauseReason
from rules.limits import MAX_FINDING_CHARS, MAX_REFERENCE_CHARS, MAX_SUMMARY_CHARS, MAX_WORD_CHARS
from rules.vocabulary import AGE_BANDS


def new_review_form(actor: Actor) -> None:
    reviewers = reviewers_to_choose(database(), actor=actor)
    with st.expander("Add a focused review"), st.form("new_review"):
        reference = st.text_input("Reference", placeholder="LDR-2026-0147", max_chars=MAX_REFERENCE_CHARS,
                                  help="The pseudonymised reference. Never the person's name.")
        notified_on = st.date_input("Date the death was notified", value=None, format="DD/MM/YYYY")
        age_band = st.selectbox("Age band", options=AGE_BANDS, index=None, placeholder="Choose an age band")
        setting = st.text_input("Type of setting", placeholder="For example: supported living",
                                max_chars=MAX_WORD_CHARS)
        minority = st.checkbox("The person was from an ethnic minority (the ethnic minority lead's view is sought)")
        options: list[int | None] = [None, *reviewers]
        reviewer = st.selectbox("Reviewer", options=options, format_func=lambda i: reviewers.get(i, "Not yet"))
        senior = st.selectbox("Senior reviewer", options=options, format_func=lambda i: reviewers.get(i, "Not yet"))
        if st.form_submit_button("Add the review"):
            if notified_on is None or age_band is None:
                st.error("Give the date the death was notified and the age band.")
                return
            run_action(lambda: add_review(database(), actor=actor, reference=reference, notified_on=notified_on,
                                          age_band=age_band, setting_type=setting, ethnic_minority=minority,
                                          reviewer_id=reviewer, senior_reviewer_id=senior),
                       f"Added review {reference.strip().upper()}.")



def summary_form(actor: Actor, review: ReviewDetail) -> None:
    with st.form(f"summary_{review.id}"):
        summary = st.text_area("Plain summary for the panel", value=review.summary, height=150,
                               max_chars=MAX_SUMMARY_CHARS)
        minority = st.checkbox("The person was from an ethnic minority (the ethnic minority lead's view is sought)",
                               value=review.ethnic_minority)
        if st.form_submit_button("Save the summary"):
            run_action(lambda: save_summary(database(), actor=actor, review=review, summary=summary,
                                            ethnic_minority=minority), "Summary saved.",
                       check={"The summary": summary})



def finding_form(actor: Actor, review: ReviewDetail) -> None:
    themes = theme_choices(database(), actor=actor)
    with st.form(f"finding_{review.id}", clear_on_submit=False):
        kind = st.radio("Kind of finding", options=list(FindingKind), format_func=FINDING_KIND_LABELS.__getitem__,
                        horizontal=True)
        text = st.text_area("The finding, in a sentence or two", max_chars=MAX_FINDING_CHARS)
        chosen = st.multiselect("Themes", options=list(themes), format_func=themes.__getitem__)
        if st.form_submit_button("Add the finding"):
            run_action(lambda: save_finding(database(), actor=actor, review=review, kind=kind, text=text,
                                            theme_ids=chosen),
                       f"{FINDING_KIND_LABELS[kind]} added.", check={"The finding": text})



def pause_forms(actor: Actor, review: ReviewDetail) -> None:
    open_pause = next((p for p in review.pauses if p.ends_on is None), None)
    if open_pause is not None:
        with st.form(f"end_pause_{review.id}"):
            ends_on = st.date_input(f"Date the {open_pause.reason_label.lower()} finished", value=None,
                                    format="DD/MM/YYYY")
            if st.form_submit_button("Restart the clock"):
                if ends_on is None:
                    st.error("Give the date it finished.")
                    return
                run_action(lambda: restart_clock(database(), actor=actor, review=review, pause_id=open_pause.id,
                                                 ends_on=ends_on), "The clock has restarted.")
        return
    with st.form(f"pause_{review.id}"):
        reason = st.selectbox("Pause the clock because of", options=list(PauseReason),
                              format_func=PAUSE_REASON_LABELS.__getitem__)
        starts_on = st.date_input("Pause starts on", value=None, format="DD/MM/YYYY")
        ends_on = st.date_input("Pause ends on (leave empty if it is still going on)", value=None, format="DD/MM/YYYY")
        if st.form_submit_button("Pause the clock"):
            if starts_on is None:
                st.error("Give the date the pause starts.")
                return
            run_action(lambda: pause_clock(database(), actor=actor, review=review, starts_on=starts_on,
                                           ends_on=ends_on, reason=reason), "The clock is paused.")




def send_to_panel_button(actor: Actor, review: ReviewDetail) -> None:
    if review.status not in (ReviewStatus.IN_PROGRESS, ReviewStatus.RETURNED):
        return
    if st.button("Send to the panel", key=f"send_{review.id}"):
        run_action(lambda: send_to_panel(database(), actor=actor, review=review),
                   f"{review.reference} is ready for the panel.")



def easy_read_form(actor: Actor, review: ReviewDetail) -> None:
    """The Easy Read summary with its checker. The box is not in a form, so the check runs after each edit
    (when the writer leaves the box or presses Ctrl+Enter), not on a timer; saving re-checks in services."""
    st.subheader("Easy Read summary", anchor=False)
    st.write(f"Short sentences of {MAX_WORDS_PER_SENTENCE} words or fewer, plain words, and no names, dates or "
             "places that could identify anyone.")
    key = f"easy_read_{review.id}_{review.version_id}"
    text = st.text_area("Easy Read summary", value=review.easy_read_summary, key=key, max_chars=MAX_SUMMARY_CHARS,
                        height=200)
    check = check_easy_read_text(database(), actor=actor, text=text)
    if not text.strip():
        st.write("Nothing written yet.")
    elif check.ok:
        st.success(f"Easy Read check passed: {check.sentences} short sentences, no jargon, no identifiers.",
                   icon=":material/check_circle:")
    else:
        st.warning(f"**{len(check.issues)} thing{'s' if len(check.issues) != 1 else ''} to change before "
                   "saving:**\n\n" + "\n".join(f"- {md_text(issue.message)}" for issue in check.issues),
                   icon=":material/edit_note:")
    if st.button("Save the Easy Read summary", key=f"save_{key}"):
        run_action(lambda: save_easy_read(database(), actor=actor, review=review, text=text),
                   "The Easy Read summary is saved.")
