"""Insight: the panel's figures for a year (or dates chosen) at a glance, for the annual report and the 3-year
action plan. Every chart has its table beside it; lived-experience members get the headline in Easy Read first."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.context import current_actor, current_preferences, database
from components.feedback import explained_errors
from components.insight import (
    choose_scope,
    render_action_plan,
    render_counts,
    render_easy_read_headline,
    render_headline,
    render_quarters,
    render_report_pack,
    render_themes,
)
from features.insight.use_cases import insight, insight_choices, local_action_plan
from rules.vocabulary import Role


def render() -> None:
    actor = current_actor()
    st.title("Insight")
    st.write(f"The figures of {actor.icb_name}'s panel for a year or for dates you choose, with the annual "
             "report pack to download at the foot of the page. Reviews are counted by pseudonymised reference only.")
    with explained_errors():
        today = dt.date.today()
        choices = insight_choices(database(), actor=actor, today=today)
        if not choices.financial_years:
            st.info("There is nothing to show yet: the panel has no reviews.", icon=":material/info:")
            return
        scope = choose_scope(choices, today=today)
        view = insight(database(), actor=actor, year=scope.year, calendar=scope.calendar, between=scope.between,
                       filters=scope.filters, today=today)
        if view.figures is None:
            st.info(view.nothing_to_show or "There is nothing to show for this period.", icon=":material/info:")
            return
        found = view.figures
        st.header(f"The year {found.period.label} in brief" if found.period.whole_year
                  else f"{found.period.label} in brief", anchor=False)
        if view.narrowed_to:
            st.write(view.narrowed_to)
        if actor.has_role(Role.LIVED_EXPERIENCE_MEMBER):
            render_easy_read_headline(found, pictures=not current_preferences().fewer_things)
        render_headline(found)
        render_quarters(found)
        render_themes(found)
        none = "No actions were agreed in this period" + (" among those shown." if view.narrowed_to else ".")
        render_counts("Actions by status", found.actions_by_status, noun="Actions", empty=none,
                      caption="actions agreed in the period, by status now")
        render_counts("Actions by ICB strategic priority", found.actions_by_priority, noun="Actions", empty=none,
                      caption="actions agreed in the period, by the ICB strategic priority they serve")
        render_counts("Actions by organisation", found.actions_by_organisation, noun="Actions", empty=none,
                      caption="actions agreed in the period, by the owner's organisation (the ten with most)")
        render_action_plan(local_action_plan(database(), actor=actor, priority_id=scope.filters.priority_id))
        render_report_pack(actor, found.period, scope)


if __name__ == "__main__":
    from app import main

    main()
