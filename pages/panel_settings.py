"""Panel settings: the local rules (quorum, the ethnic minority lead checkpoint, the review clock) and the
list of learning themes. These differ between ICBs, so the secretariat keeps them here."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components.context import current_actor, database
from components.feedback import explained_errors, run_action, show_confirmation
from components.tables import accessible_table
from features.actions.actions import add_strategic_priority, strategic_priorities
from features.panel_settings.panels import (
    PanelRules,
    add_theme,
    list_themes,
    panel_rules,
    set_theme_active,
    update_panel_rules,
)
from features.reviews.jargon import add_jargon_term, jargon_terms, remove_jargon_term
from features.voting.options import OptionChange, update_vote_options, vote_options
from rules.actors import Actor
from rules.clock import ClockSettings
from rules.formatting import short_date
from rules.limits import MAX_LABEL_CHARS, MAX_MEANING_CHARS, MAX_NAME_CHARS, MAX_WORD_CHARS
from rules.quorum import QuorumRule


def _rules_form(actor: Actor, rules: PanelRules) -> None:
    st.header("Quorum and checkpoints", anchor=False)
    with st.form("panel_rules"):
        members = st.number_input("Voting members needed", min_value=1, max_value=50,
                                  value=rules.quorum.min_voting_members, step=1)
        lived = st.number_input("Lived-experience members needed", min_value=0, max_value=50,
                                value=rules.quorum.min_lived_experience, step=1)
        chair = st.checkbox("The chair or vice chair must be present", value=rules.quorum.require_chair_or_vice)
        em_lead = st.checkbox("The ethnic minority lead or their deputy must be present",
                              value=rules.quorum.require_ethnic_minority_lead)
        em_view = st.checkbox("For a person from an ethnic minority, the lead's view is needed before the vote",
                              value=rules.require_em_lead_view)
        apology_votes = st.checkbox(
            "Count the pre-meeting views of members who sent apologies as votes",
            value=rules.count_apology_views,
            help="Their views are always shown to the panel when a vote opens. Off: shown, not counted.")
        marking = st.text_input("Protective marking at the top of exported minutes", value=rules.protective_marking,
                                max_chars=MAX_WORD_CHARS)
        chair_approves = st.checkbox(
            "The chair may approve minutes between meetings", value=rules.chair_may_approve_minutes,
            help="Off: minutes are approved at the next meeting. Turn on only if the panel's terms of reference "
                 "allow the chair to approve them.")
        months = st.number_input("Target for finishing a review, in months", min_value=1, max_value=24,
                                 value=rules.clock.target_months, step=1)
        amber = st.number_input("Warn when a review is due within this many days", min_value=0, max_value=180,
                                value=rules.clock.amber_within_days, step=1)
        if st.form_submit_button("Save the panel's rules"):
            quorum = QuorumRule(min_voting_members=int(members), require_chair_or_vice=chair,
                                min_lived_experience=int(lived), require_ethnic_minority_lead=em_lead)
            clock = ClockSettings(target_months=int(months), amber_within_days=int(amber))
            choices = {"count_apology_views": apology_votes, "protective_marking": marking,
                       "chair_may_approve_minutes": chair_approves}
            run_action(lambda: _save(actor, quorum, clock, em_view, choices, rules.version_id),
                       "The panel's rules are saved.")


def _save(actor: Actor, quorum: QuorumRule, clock: ClockSettings, em_view: bool, choices: dict[str, object],
          version: int) -> None:
    with database().unit_of_work() as session:
        update_panel_rules(session=session, actor=actor, quorum=quorum, clock=clock, require_em_lead_view=em_view,
                           expected_version=version, **choices)  # type: ignore[arg-type]


def _themes(actor: Actor) -> None:
    st.header("Learning themes", anchor=False)
    with database().unit_of_work(read_only=True) as session:
        themes = list_themes(session=session, actor=actor, include_inactive=True)
    st.table([{"Theme": t.name, "In use": "Yes" if t.is_active else "No (switched off)"} for t in themes])
    with st.form("add_theme", clear_on_submit=True):
        name = st.text_input("New theme", max_chars=MAX_WORD_CHARS)
        if st.form_submit_button("Add the theme"):
            run_action(lambda: _add_theme(actor, name), f"Added the theme {name.strip()}.")
    by_id = {t.id: t for t in themes}
    with st.form("toggle_theme"):
        theme_id = st.selectbox("Theme", options=list(by_id), format_func=lambda i: by_id[i].name)
        if st.form_submit_button("Switch this theme on or off"):
            theme = by_id[theme_id]
            state = "off" if theme.is_active else "on"
            run_action(lambda: _toggle(actor, theme_id, not theme.is_active), f"Switched {theme.name} {state}.")


def _vote_answers(actor: Actor) -> None:
    st.header("Answers in the sign-off vote", anchor=False)
    st.write("Members see each answer with its meaning. Tick the answers that need a reason.")
    with database().unit_of_work(read_only=True) as session:
        options = vote_options(session=session, panel_id=actor.panel_id)
    with st.form("vote_answers"):
        changes = []
        for n, option in enumerate(options, start=1):
            st.markdown(f"**Answer {n}**")
            label = st.text_input(f"Answer {n}: words", value=option.label, max_chars=MAX_LABEL_CHARS)
            meaning = st.text_input(f"Answer {n}: what it means", value=option.meaning, max_chars=MAX_MEANING_CHARS)
            needs = st.checkbox(f"Answer {n}: a reason is needed", value=option.requires_reason)
            changes.append(OptionChange(option.id, label, meaning, needs))
        if st.form_submit_button("Save the answers"):
            run_action(lambda: _save_answers(actor, changes), "The answers are saved.")


def _save_answers(actor: Actor, changes: list[OptionChange]) -> None:
    with database().unit_of_work() as session:
        update_vote_options(session=session, actor=actor, changes=changes)


def _priorities(actor: Actor) -> None:
    st.header("ICB strategic priorities", anchor=False)
    st.write("Actions can be linked to one of these. An action's due date must fall within its plan period.")
    with database().unit_of_work(read_only=True) as session:
        priorities = strategic_priorities(session=session, actor=actor)
    accessible_table([{"Priority": p.title, "Plan period": f"{short_date(p.plan_start)} to {short_date(p.plan_end)}"}
                      for p in priorities], empty_message="No priorities yet.")
    with st.form("add_priority", clear_on_submit=True):
        title = st.text_input("Priority", max_chars=MAX_NAME_CHARS)
        start = st.date_input("Plan starts on", value=None, format="DD/MM/YYYY")
        end = st.date_input("Plan ends on", value=None, format="DD/MM/YYYY")
        if st.form_submit_button("Add the priority"):
            if start is None or end is None:
                st.error("Give the dates the plan starts and ends.")
            else:
                run_action(lambda: _add_priority(actor, title, start, end), f"Added the priority {title.strip()}.")


def _add_priority(actor: Actor, title: str, start: dt.date, end: dt.date) -> None:
    with database().unit_of_work() as session:
        add_strategic_priority(session=session, actor=actor, title=title, plan_start=start, plan_end=end)


def _jargon(actor: Actor) -> None:
    st.header("Words to avoid in Easy Read", anchor=False)
    st.write("The Easy Read checker flags these words unless the writer explains them, and suggests the plain words.")
    with database().unit_of_work(read_only=True) as session:
        terms = jargon_terms(session=session, panel_id=actor.panel_id)
    accessible_table([{"Word": t.term, "Say instead": t.plain} for t in terms], empty_message="No words yet.")
    with st.form("add_jargon", clear_on_submit=True):
        term = st.text_input("Word or phrase to avoid", max_chars=MAX_WORD_CHARS)
        plain = st.text_input("Plain words to use instead", max_chars=MAX_MEANING_CHARS)
        if st.form_submit_button("Add the word"):
            run_action(lambda: _add_jargon(actor, term, plain), f"Added '{term.strip()}' to the list.")
    by_id = {t.id: t.term for t in terms}
    if by_id:
        with st.form("remove_jargon"):
            term_id = st.selectbox("Word to take off the list", options=list(by_id), format_func=by_id.__getitem__,
                                   index=None, placeholder="Choose a word")
            if st.form_submit_button("Take it off the list"):
                if term_id is None:
                    st.error("Choose the word to take off the list.")
                else:
                    run_action(lambda: _remove_jargon(actor, term_id), f"Took '{by_id[term_id]}' off the list.")


def _add_jargon(actor: Actor, term: str, plain: str) -> None:
    with database().unit_of_work() as session:
        add_jargon_term(session=session, actor=actor, term=term, plain=plain)


def _remove_jargon(actor: Actor, term_id: int) -> None:
    with database().unit_of_work() as session:
        remove_jargon_term(session=session, actor=actor, term_id=term_id)


def _add_theme(actor: Actor, name: str) -> None:
    with database().unit_of_work() as session:
        add_theme(session=session, actor=actor, name=name)


def _toggle(actor: Actor, theme_id: int, active: bool) -> None:
    with database().unit_of_work() as session:
        set_theme_active(session=session, actor=actor, theme_id=theme_id, active=active)


def render() -> None:
    actor = current_actor()
    st.title("Panel settings")
    show_confirmation()
    with explained_errors():
        with database().unit_of_work(read_only=True) as session:
            rules = panel_rules(session=session, panel_id=actor.panel_id)
        _rules_form(actor, rules)
        _vote_answers(actor)
        _themes(actor)
        _priorities(actor)
        _jargon(actor)


if __name__ == "__main__":
    from app import main

    main()
