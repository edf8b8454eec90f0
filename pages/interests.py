"""Register of interests: each member keeps their own standing entries; chairs and the secretariat see all."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.context import current_actor, database
from components.feedback import explained_errors, run_action, show_confirmation
from components.tables import accessible_table
from features.meetings.use_cases import add_interest, end_interest_today, interests_register
from rules.actors import Actor
from rules.formatting import short_date
from rules.limits import MAX_INTEREST_CHARS
from rules.permissions import Permission, allows


def _add_form(actor: Actor) -> None:
    st.header("Add an interest", anchor=False)
    with st.form("add_interest"):
        description = st.text_input("What is the interest?", placeholder="For example: I work for Provider X",
                                    max_chars=MAX_INTEREST_CHARS)
        declared_on = st.date_input("Since", value=dt.date.today(), format="DD/MM/YYYY")
        if st.form_submit_button("Add to my register"):
            run_action(lambda: add_interest(database(), actor=actor, description=description, declared_on=declared_on),
                       "Added to your register.",
                       check={"The interest": description})




def render() -> None:
    actor = current_actor()
    st.title("Register of interests")
    show_confirmation()
    st.write("Declare anything that could look like a conflict, such as working for a care provider. "
             "On the day, the chair asks about each review.")
    with explained_errors():
        entries = interests_register(database(), actor=actor)
        st.header("Whole panel" if allows(actor, Permission.RUN_MEETING) else "Your register", anchor=False)
        accessible_table(
            [{"Member": e.name, "Interest": e.description, "Since": short_date(e.declared_on),
              "Ended": short_date(e.ended_on) if e.ended_on else "Still current"} for e in entries],
            empty_message="No interests registered.",
        )
        if allows(actor, Permission.DECLARE_INTEREST):
            _add_form(actor)
            mine = {e.id: e for e in entries if e.user_id == actor.user_id and e.ended_on is None}
            if mine:
                with st.form("end_interest"):
                    chosen = st.selectbox("Interest that has ended", options=list(mine),
                                          format_func=lambda i: mine[i].description)
                    if st.form_submit_button("Mark as ended today"):
                        run_action(lambda: end_interest_today(database(), actor=actor, interest_id=chosen),
                                   "Marked as ended.")


if __name__ == "__main__":
    from app import main

    main()
