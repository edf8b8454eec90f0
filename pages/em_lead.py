"""Ethnic minority lead: the reviews flagged for the lead, the checkpoint on each, a place to record the
lead's view before sign-off, and the panel's learning on ethnicity and inequalities across reviews."""

from __future__ import annotations

import streamlit as st

from components.context import current_actor, database
from components.feedback import explained_errors, run_action, show_confirmation
from components.tables import accessible_table
from features.reviews.em_lead import ETHNICITY_THEME, EmLeadOverview, records_lead_views
from features.reviews.use_cases import comment_on_review, em_lead_page
from rules.actors import Actor
from rules.limits import MAX_REASON_CHARS


def _flagged(overview: EmLeadOverview) -> None:
    st.header("Reviews flagged for the lead", anchor=False)
    st.write(f"{len(overview.flagged)} of {overview.total_reviews} reviews are about a person from an ethnic "
             f"minority. {overview.waiting} need the lead's view before the vote.")
    accessible_table([{"Review": r.reference, "Status": r.status_label, "The lead's view": r.checkpoint}
                      for r in overview.flagged], empty_message="No reviews are flagged for the lead.")


def _record_view(actor: Actor, overview: EmLeadOverview) -> None:
    waiting = {r.review_id: r.reference for r in overview.flagged if r.checkpoint.startswith("Needed")}
    st.header("Record your view", anchor=False)
    if not waiting:
        st.write("No review is waiting for your view.")
        return
    with st.form("em_view", enter_to_submit=False):
        review_id = st.selectbox("Review", options=list(waiting), format_func=waiting.__getitem__, index=None,
                                 placeholder="Choose a review")
        view = st.text_area("Your view on this review", max_chars=MAX_REASON_CHARS)
        if st.form_submit_button("Record my view", type="primary"):
            if review_id is None:
                st.error("Choose the review your view is about.")
                return
            run_action(lambda: comment_on_review(database(), actor=actor, review_id=review_id, body=view),
                       f"Your view on {waiting[review_id]} is recorded.", check={"Your view": view})



def _themes(overview: EmLeadOverview) -> None:
    st.header(f"Learning on {ETHNICITY_THEME.lower()}", anchor=False)
    st.write(f"Findings from any review that the reviewer tagged with the theme '{ETHNICITY_THEME}'.")
    accessible_table([{"Review": f.reference, "Kind": f.kind_label, "Finding": f.text} for f in overview.themed],
                     empty_message="No findings are tagged with this theme yet.")


def render() -> None:
    actor = current_actor()
    st.title("Ethnic minority lead")
    show_confirmation()
    with explained_errors():
        overview = em_lead_page(database(), actor=actor)
        _flagged(overview)
        if records_lead_views(actor):
            _record_view(actor, overview)
        _themes(overview)


if __name__ == "__main__":
    from app import main

    main()
