"""Home: who you are, your panel, the next meeting and where to go next."""

from __future__ import annotations

import streamlit as st

from components.context import current_actor, database
from components.feedback import explained_errors, show_confirmation
from components.meetings import invite_download, render_meeting_card
from components.notices import render_notices
from features.meetings.use_cases import coming_up
from rules.permissions import Permission, allows
from rules.roles import describe_roles


def render() -> None:
    actor = current_actor()
    st.title(f"Welcome, {actor.name}")
    st.write(f"You are on the {actor.panel_name} of {actor.icb_name}.")
    st.write(f"Your role: {describe_roles(actor.roles)}.")
    show_confirmation()
    with explained_errors():
        render_notices(actor)
    upcoming = coming_up(database(), actor=actor)
    st.header("Next meeting", anchor=False)
    if upcoming is None:
        st.write("No meeting is planned yet. The secretariat will add the next one.")
    else:
        render_meeting_card(upcoming)
        with explained_errors():
            invite_download(actor, upcoming, key="home_ics")
    if allows(actor, Permission.COMMENT):
        st.info("To read about the reviews in Easy Read, say what you think and vote, open **My meeting** in "
                "the menu.", icon=":material/record_voice_over:")
    st.write("To make text larger, use high contrast or keep pages still, open **My reading settings**.")


if __name__ == "__main__":
    from app import main

    main()
