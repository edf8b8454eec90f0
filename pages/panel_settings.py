"""Panel settings: the local rules (quorum, the ethnic minority lead checkpoint, the review clock) and the
list of learning themes. These differ between ICBs, so the secretariat keeps them here."""

from __future__ import annotations

import streamlit as st

from components.context import current_actor, database
from components.feedback import explained_errors, run_action, show_confirmation
from components.tables import accessible_table
from features.panel_settings.panels import PanelRules
from features.panel_settings.use_cases import (
    all_themes,
    drop_word_to_avoid,
    new_priority,
    new_theme,
    new_word_to_avoid,
    priorities,
    rules_of_panel,
    save_panel_rules,
    save_vote_answers,
    switch_theme,
    words_to_avoid,
)
from features.voting.options import OptionChange
from features.voting.use_cases import vote_choices
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
            run_action(lambda: save_panel_rules(database(), actor=actor, quorum=quorum, clock=clock,
                                                require_em_lead_view=em_view, count_apology_views=apology_votes,
                                                protective_marking=marking, chair_may_approve_minutes=chair_approves,
                                                expected_version=rules.version_id),
                       "The panel's rules are saved.")



def _themes(actor: Actor) -> None:
    st.header("Learning themes", anchor=False)
    themes = all_themes(database(), actor=actor)
    st.table([{"Theme": t.name, "In use": "Yes" if t.is_active else "No (switched off)"} for t in themes])
    with st.form("add_theme", clear_on_submit=True):
        name = st.text_input("New theme", max_chars=MAX_WORD_CHARS)
        if st.form_submit_button("Add the theme"):
            run_action(lambda: new_theme(database(), actor=actor, name=name), f"Added the theme {name.strip()}.")
    by_id = {t.id: t for t in themes}
    with st.form("toggle_theme"):
        theme_id = st.selectbox("Theme", options=list(by_id), format_func=lambda i: by_id[i].name)
        if st.form_submit_button("Switch this theme on or off"):
            theme = by_id[theme_id]
            state = "off" if theme.is_active else "on"
            run_action(lambda: switch_theme(database(), actor=actor, theme_id=theme_id, active=not theme.is_active),
                       f"Switched {theme.name} {state}.")


def _vote_answers(actor: Actor) -> None:
    st.header("Answers in the sign-off vote", anchor=False)
    st.write("Members see each answer with its meaning. Tick the answers that need a reason.")
    options = vote_choices(database(), actor=actor)
    with st.form("vote_answers"):
        changes = []
        for n, option in enumerate(options, start=1):
            st.markdown(f"**Answer {n}**")
            label = st.text_input(f"Answer {n}: words", value=option.label, max_chars=MAX_LABEL_CHARS)
            meaning = st.text_input(f"Answer {n}: what it means", value=option.meaning, max_chars=MAX_MEANING_CHARS)
            needs = st.checkbox(f"Answer {n}: a reason is needed", value=option.requires_reason)
            changes.append(OptionChange(option.id, label, meaning, needs))
        if st.form_submit_button("Save the answers"):
            run_action(lambda: save_vote_answers(database(), actor=actor, changes=changes), "The answers are saved.")



def _priorities(actor: Actor) -> None:
    st.header("ICB strategic priorities", anchor=False)
    st.write("Actions can be linked to one of these. An action's due date must fall within its plan period.")
    accessible_table([{"Priority": p.title, "Plan period": f"{short_date(p.plan_start)} to {short_date(p.plan_end)}"}
                      for p in priorities(database(), actor=actor)], empty_message="No priorities yet.")
    with st.form("add_priority", clear_on_submit=True):
        title = st.text_input("Priority", max_chars=MAX_NAME_CHARS)
        start = st.date_input("Plan starts on", value=None, format="DD/MM/YYYY")
        end = st.date_input("Plan ends on", value=None, format="DD/MM/YYYY")
        if st.form_submit_button("Add the priority"):
            if start is None or end is None:
                st.error("Give the dates the plan starts and ends.")
            else:
                run_action(lambda: new_priority(database(), actor=actor, title=title, plan_start=start, plan_end=end),
                           f"Added the priority {title.strip()}.")



def _jargon(actor: Actor) -> None:
    st.header("Words to avoid in Easy Read", anchor=False)
    st.write("The Easy Read checker flags these words unless the writer explains them, and suggests the plain words.")
    terms = words_to_avoid(database(), actor=actor)
    accessible_table([{"Word": t.term, "Say instead": t.plain} for t in terms], empty_message="No words yet.")
    with st.form("add_jargon", clear_on_submit=True):
        term = st.text_input("Word or phrase to avoid", max_chars=MAX_WORD_CHARS)
        plain = st.text_input("Plain words to use instead", max_chars=MAX_MEANING_CHARS)
        if st.form_submit_button("Add the word"):
            run_action(lambda: new_word_to_avoid(database(), actor=actor, term=term, plain=plain),
                       f"Added '{term.strip()}' to the list.")
    by_id = {t.id: t.term for t in terms}
    if by_id:
        with st.form("remove_jargon"):
            term_id = st.selectbox("Word to take off the list", options=list(by_id), format_func=by_id.__getitem__,
                                   index=None, placeholder="Choose a word")
            if st.form_submit_button("Take it off the list"):
                if term_id is None:
                    st.error("Choose the word to take off the list.")
                else:
                    run_action(lambda: drop_word_to_avoid(database(), actor=actor, term_id=term_id),
                               f"Took '{by_id[term_id]}' off the list.")






def render() -> None:
    actor = current_actor()
    st.title("Panel settings")
    show_confirmation()
    with explained_errors():
        rules = rules_of_panel(database(), actor=actor)
        _rules_form(actor, rules)
        _vote_answers(actor)
        _themes(actor)
        _priorities(actor)
        _jargon(actor)


if __name__ == "__main__":
    from app import main

    main()
