"""Focused reviews of your panel, by pseudonymised reference: the list, one review in full, and for
reviewers and the secretariat the forms to write it up."""

from __future__ import annotations

import streamlit as st

from components.context import current_actor, database
from components.feedback import explained_errors, show_confirmation
from components.review_edit import (
    easy_read_form,
    finding_form,
    new_review_form,
    pause_forms,
    send_to_panel_button,
    summary_form,
)
from components.review_history import render_review_history
from components.review_view import render_comments, render_findings, render_review_facts
from components.reviews import render_review_table
from components.tables import page_of
from features.reviews.reviews import ReviewStatus
from features.reviews.use_cases import count_of_reviews, review_list, review_page
from rules.actors import Actor
from rules.permissions import Permission, allows


def _detail(actor: Actor, choices: dict[int, str]) -> None:
    st.header("Read a review", anchor=False)
    review_id = st.selectbox("Review", options=list(choices), index=None, placeholder="Choose a reference",
                             format_func=choices.__getitem__, key="review_choice")
    if review_id is None:
        return
    page = review_page(database(), actor=actor, review_id=review_id)
    review, comments = page.review, page.comments
    st.subheader(review.reference, anchor=False)
    render_review_facts(review)
    render_findings(review)
    st.subheader("What members said", anchor=False)
    render_comments(comments)
    render_review_history(actor, review)
    if allows(actor, Permission.EDIT_REVIEW) and review.status != ReviewStatus.SIGNED_OFF:
        st.header(f"Write up {review.reference}", anchor=False)
        summary_form(actor, review)
        easy_read_form(actor, review)
        finding_form(actor, review)
        pause_forms(actor, review)
        send_to_panel_button(actor, review)


def render() -> None:
    actor = current_actor()
    st.title("Focused reviews")
    show_confirmation()
    st.write("Reviews are shown by reference number only. No one who died is named here.")
    with explained_errors():
        total = count_of_reviews(database(), actor=actor)
        offset, limit = page_of(total, noun="reviews", key="review_page")
        listed = review_list(database(), actor=actor, total=total, offset=offset, limit=limit)
        choices = listed.choices
        render_review_table(listed.rows)
        if allows(actor, Permission.EDIT_REVIEW):
            new_review_form(actor)
        if choices:
            _detail(actor, choices)


if __name__ == "__main__":
    from app import main

    main()
