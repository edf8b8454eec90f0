"""Decisions by circulation: between meetings the chair sends reviews to the panel, members answer by a
deadline, and the chair records the decision, which the next meeting's minutes list."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.circulation import render_circulation, render_send_form
from components.context import current_actor, database
from components.feedback import explained_errors, show_confirmation
from features.circulation.use_cases import circulation_choices, circulations_now
from features.voting.use_cases import vote_choices
from rules.formatting import uk_time


def render() -> None:
    actor = current_actor()
    st.title("Decisions by circulation", anchor=False)
    st.write("When a review cannot wait for the next meeting, the chair sends it to the panel. Each voting member "
             "answers by the deadline, with the same choices as in a meeting. The answers must include a "
             "lived-experience member and the ethnic minority lead. The next meeting's minutes list what was agreed.")
    show_confirmation()
    with explained_errors():
        page = circulations_now(database(), actor=actor)
        options = vote_choices(database(), actor=actor)
        st.header("Open now", anchor=False)
        if not page.open:
            st.write("Nothing is waiting for answers.")
        for circulation in page.open:
            render_circulation(actor, circulation, options)
        if page.can_circulate:
            render_send_form(actor, circulation_choices(database(), actor=actor),
                             today=uk_time(dt.datetime.now(dt.UTC)).date())
        st.header("Closed", anchor=False)
        if not page.closed:
            st.write("No decision by circulation has closed yet.")
        for circulation in page.closed:
            render_circulation(actor, circulation, options)


if __name__ == "__main__":
    from app import main

    main()
