"""Insight: the panel's figures for a year at a glance, for the annual report and the 3-year action plan.
Every chart has its table beside it; lived-experience members get the headline in Easy Read first."""

from __future__ import annotations

import streamlit as st

from components.context import current_actor, current_preferences, database
from components.feedback import explained_errors
from components.insight import (
    render_action_plan,
    render_counts,
    render_easy_read_headline,
    render_headline,
    render_quarters,
    render_report_pack,
    render_themes,
)
from features.insight.use_cases import insight, local_action_plan, report_years
from rules.periods import financial_year_label
from rules.vocabulary import Role


def render() -> None:
    actor = current_actor()
    st.title("Insight")
    st.write(f"The figures of {actor.icb_name}'s panel for one year. Reviews are counted by pseudonymised "
             "reference only.")
    with explained_errors():
        calendar = st.toggle("Calendar year (January to December) instead of the financial year (April to March)")
        years = report_years(database(), actor=actor, calendar=calendar)
        if not years:
            st.info("There is nothing to show yet: the panel has no reviews.", icon=":material/info:")
            return
        year = st.selectbox("Year", options=years, index=0,
                            format_func=lambda y: str(y) if calendar else financial_year_label(y))
        view = insight(database(), actor=actor, year=int(year), calendar=calendar)
        if view.figures is None:
            st.info(view.nothing_to_show or "There is nothing to show for this year.", icon=":material/info:")
            return
        found = view.figures
        st.header(f"The year {found.period.label} in brief", anchor=False)
        if actor.has_role(Role.LIVED_EXPERIENCE_MEMBER):
            render_easy_read_headline(found, pictures=not current_preferences().fewer_things)
        render_headline(found)
        render_quarters(found)
        render_themes(found)
        none = "No actions were agreed in this period."
        render_counts("Actions by status", found.actions_by_status, noun="Actions", empty=none,
                      caption="actions agreed in the period, by status now")
        render_counts("Actions by ICB strategic priority", found.actions_by_priority, noun="Actions", empty=none,
                      caption="actions agreed in the period, by the ICB strategic priority they serve")
        render_counts("Actions by organisation", found.actions_by_organisation, noun="Actions", empty=none,
                      caption="actions agreed in the period, by the owner's organisation (the ten with most)")
        render_action_plan(local_action_plan(database(), actor=actor))
        render_report_pack(actor, found.period, year=int(year), calendar=calendar)


if __name__ == "__main__":
    from app import main

    main()
