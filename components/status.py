"""Status in words with an icon: quorum, the ethnicity checkpoint, the review clock. Never colour alone."""

from __future__ import annotations

import streamlit as st

from features.meetings.room import Checkpoint, Readiness
from rules.clock import Rating, ReviewClock
from rules.formatting import long_date
from rules.quorum import QuorumResult

_RATING_ICONS = {Rating.GREEN: ":material/check_circle:", Rating.AMBER: ":material/schedule:",
                 Rating.RED: ":material/warning:"}


def render_quorum(result: QuorumResult, *, heading: str = "Quorum") -> None:
    if result.quorate:
        made_by = f", including {result.made_by_in_words}" if result.made_by else ""
        st.success(f"**{heading}.** {result.summary}{made_by}.", icon=":material/groups:")
    else:
        st.warning(f"**{heading}.** {result.summary}.", icon=":material/group_off:")


def render_checkpoint(checkpoint: Checkpoint) -> None:
    if not checkpoint.required:
        return
    if checkpoint.met:
        st.success(f"**Ethnic minority lead checkpoint.** {checkpoint.message}", icon=":material/check_circle:")
    else:
        st.warning(f"**Ethnic minority lead checkpoint.** {checkpoint.message}", icon=":material/hourglass_top:")


def render_readiness(readiness: Readiness) -> None:
    if readiness.ready:
        st.success("**Ready for the vote.** Everything needed is in place.", icon=":material/how_to_vote:")
        return
    reasons = "\n".join(f"- {reason}" for reason in readiness.reasons)
    st.info(f"**Not ready for the vote yet:**\n\n{reasons}", icon=":material/info:")


def clock_sentence(clock: ReviewClock) -> str:
    """'On track: 120 days used, due by Monday 1 June 2026 (15 days paused).'"""
    paused = f" ({clock.paused_days} days paused)" if clock.paused_days else ""
    if clock.finished:
        return f"{clock.label}: finished after {clock.elapsed_days} days{paused}."
    return f"{clock.label}: {clock.elapsed_days} days used, due by {long_date(clock.due_on)}{paused}."


def render_clock(clock: ReviewClock) -> None:
    st.markdown(f"{_rating_icon(clock.rating)} **6-month target.** {clock_sentence(clock)}")


def _rating_icon(rating: Rating) -> str:
    return _RATING_ICONS[rating]
