"""Render a focused review for the panel: facts, clock, findings by kind with themes, pauses, comments."""

from __future__ import annotations

import streamlit as st

from components.status import render_clock
from components.text import md_text
from features.reviews.comments import CommentRow, CommentSections, CommentStage
from features.reviews.reviews import FindingKind, ReviewDetail
from rules.formatting import long_date, short_date
from rules.labels import FINDING_KIND_LABELS

_KIND_HEADINGS = {
    FindingKind.LEARNING: "Areas of learning",
    FindingKind.GOOD_PRACTICE: "Good practice",
    FindingKind.CONCERN: "Areas of concern",
}


def render_review_facts(review: ReviewDetail) -> None:
    flag = "Yes: the ethnic minority lead's view is sought" if review.ethnic_minority else "No"
    st.markdown(
        f"**Age band:** {review.age_band}  \n"
        f"**Setting:** {review.setting_type or 'Not recorded'}  \n"
        f"**Person from an ethnic minority:** {flag}  \n"
        f"**Notified:** {long_date(review.notified_on)}  \n"
        f"**Reviewer:** {review.reviewer_name}; **senior reviewer:** {review.senior_reviewer_name}  \n"
        f"**Status:** {review.status_label}"
    )
    render_clock(review.clock)
    if review.pauses:
        lines = [
            f"- {p.reason_label}: {short_date(p.starts_on)} to "
            f"{short_date(p.ends_on) if p.ends_on else 'not ended yet'}"
            for p in review.pauses
        ]
        st.markdown("**Clock paused:**\n" + "\n".join(lines))


def render_findings(review: ReviewDetail) -> None:
    """Summary, then each kind of finding under its own subheading (the page supplies the header above)."""
    if review.summary:
        st.subheader("Summary", anchor=False)
        st.markdown(md_text(review.summary))
    for kind in FindingKind:
        items = review.findings_of(kind)
        st.subheader(_KIND_HEADINGS[kind], anchor=False)
        if not items:
            st.write(f"No {FINDING_KIND_LABELS[kind].lower()} recorded.")
            continue
        st.markdown("\n".join(
            f"- {md_text(f.text)}" + (f" (themes: {md_text(', '.join(f.themes))})" if f.themes else "")
            for f in items
        ))


def _comment_line(c: CommentRow) -> str:
    """One comment as the chair reads it out: who, when, how they feel (in words), what they said."""
    when = "before" if c.stage == CommentStage.BEFORE_MEETING else "during"
    parts = [f"- **{md_text(c.author)}** ({c.voice.lower()}, {when} the meeting):"]
    if c.feeling_label:
        parts.append(f"**{c.feeling_label}.**")
    if c.body:
        parts.append(md_text(c.body))
    if c.would_vote:
        parts.append(f"Would vote: {md_text(c.would_vote)}.")
    if c.supported_by:
        parts.append(f"(Written with help from {md_text(c.supported_by)}.)")
    return " ".join(parts)


def _comment_lines(comments: tuple[CommentRow, ...]) -> str:
    return "\n".join(_comment_line(c) for c in comments)


def render_comments(sections: CommentSections) -> None:
    """Lived-experience and ethnic minority lead voices first, as their own sections, as the chair reads them."""
    for title, comments, empty in (
        ("Lived-experience members", sections.lived_experience, "No comments from lived-experience members yet."),
        ("Ethnic minority lead", sections.ethnic_minority_lead, "No view from the ethnic minority lead yet."),
        ("Other panel members", sections.panel, "No other comments yet."),
    ):
        st.markdown(f"**{title}**")
        st.markdown(_comment_lines(comments) if comments else empty)
