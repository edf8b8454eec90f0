"""A review's decisions and versions: the signed-off text, each later amendment with who, when and why, and
the differences said in words (not colour). Reviewers and the secretariat amend a signed-off review here."""

from __future__ import annotations

import streamlit as st

from components.context import database
from components.feedback import run_action
from components.text import md_text
from features.reviews.reviews import ReviewDetail, ReviewStatus
from features.reviews.use_cases import amend_review, review_record
from features.reviews.versions import VersionRow
from rules.actors import Actor
from rules.formatting import when
from rules.limits import MAX_FINDING_CHARS, MAX_REASON_CHARS
from rules.permissions import Permission, allows


def render_review_history(actor: Actor, review: ReviewDetail) -> None:
    record = review_record(database(), actor=actor, review_id=review.id)
    decisions, versions = record.decisions, record.versions
    if not decisions and not versions:
        return
    st.subheader("Decision and versions", anchor=False)
    for decision in decisions:
        st.markdown(f"- **{decision.outcome_label}** on {when(decision.decided_at)}, recorded by "
                    f"{md_text(decision.decided_by)}. Votes: {md_text(decision.tally_in_words)}. "
                    f"{decision.quorum_summary}."
                    + (f" Reasons: {md_text(decision.reasons)}" if decision.reasons else ""))
    if review.status == ReviewStatus.SIGNED_OFF:
        st.info("This review is signed off and locked. Nobody can change the signed-off text; a change is "
                "saved as a new version with its reason.", icon=":material/lock:")
    for version in versions:
        _version(version)
    if review.status == ReviewStatus.SIGNED_OFF and versions and allows(actor, Permission.AMEND_SIGNED_OFF):
        _amend_form(actor, review, versions[-1].number)


def _version(version: VersionRow) -> None:
    title = f"Version {version.number}: {version.kind_label}, {when(version.created_at)}"
    with st.expander(title):
        st.markdown(f"**By:** {md_text(version.author)}  \n**Reason:** {md_text(version.reason) or 'None given'}")
        if version.changes:
            st.markdown("**Changes from the signed-off text**")
            st.markdown("\n".join(f"- {md_text(line)}" for line in version.changes))
        st.markdown("**Text of this version**")
        st.markdown("\n".join(f"- {md_text(f.line)}" for f in version.findings) or "No findings.")


def _amend_form(actor: Actor, review: ReviewDetail, latest: int) -> None:
    with st.expander("Amend the signed-off review"), st.form(f"amend_{review.id}_{latest}", enter_to_submit=False):
        st.write("Change the wording of a finding, or empty its box to remove it. The signed-off version is kept.")
        texts = {f.id: st.text_area(f"{f.kind_label} {n}", value=f.text, max_chars=MAX_FINDING_CHARS)
                 for n, f in enumerate(review.findings, start=1)}
        reason = st.text_area("Why is it being changed? (needed)", max_chars=MAX_REASON_CHARS)
        if st.form_submit_button("Save as a new version"):
            run_action(lambda: amend_review(database(), actor=actor, review_id=review.id, texts=texts, reason=reason,
                                            latest=latest),
                       "Saved as a new version. The signed-off version is unchanged.",
                       check={"The reason": reason, **{f"Finding {n}": t for n, t in enumerate(texts.values(), 1)}})
