"""What the panel settings page asks, one function per intent: the panel's rules, vote answers, themes,
strategic priorities and the Easy Read word list. Each opens and commits its own unit of work (rolled
back if anything raises), so no page or component holds a session."""

from __future__ import annotations

import datetime as dt

from db.session import Database
from features.actions.actions import PriorityRow, add_strategic_priority, strategic_priorities
from features.panel_settings.panels import (
    PanelRules,
    ThemeRow,
    add_theme,
    list_themes,
    panel_rules,
    set_theme_active,
    update_panel_rules,
)
from features.reviews.jargon import JargonRow, add_jargon_term, jargon_terms, remove_jargon_term
from features.voting.options import OptionChange, update_vote_options
from rules.actors import Actor
from rules.clock import ClockSettings
from rules.quorum import QuorumRule


def rules_of_panel(db: Database, *, actor: Actor) -> PanelRules:
    with db.unit_of_work(read_only=True) as session:
        return panel_rules(session=session, panel_id=actor.panel_id)


def save_panel_rules(db: Database, *, actor: Actor, quorum: QuorumRule, clock: ClockSettings,
                     require_em_lead_view: bool, count_apology_views: bool, protective_marking: str,
                     chair_may_approve_minutes: bool, expected_version: int) -> PanelRules:
    with db.unit_of_work() as session:
        return update_panel_rules(session=session, actor=actor, quorum=quorum, clock=clock,
                                  require_em_lead_view=require_em_lead_view, expected_version=expected_version,
                                  count_apology_views=count_apology_views, protective_marking=protective_marking,
                                  chair_may_approve_minutes=chair_may_approve_minutes)


def save_vote_answers(db: Database, *, actor: Actor, changes: list[OptionChange]) -> None:
    with db.unit_of_work() as session:
        update_vote_options(session=session, actor=actor, changes=changes)


def all_themes(db: Database, *, actor: Actor) -> list[ThemeRow]:
    """Every theme, those switched off included, so the secretariat can switch them back on."""
    with db.unit_of_work(read_only=True) as session:
        return list_themes(session=session, actor=actor, include_inactive=True)


def new_theme(db: Database, *, actor: Actor, name: str) -> ThemeRow:
    with db.unit_of_work() as session:
        return add_theme(session=session, actor=actor, name=name)


def switch_theme(db: Database, *, actor: Actor, theme_id: int, active: bool) -> ThemeRow:
    with db.unit_of_work() as session:
        return set_theme_active(session=session, actor=actor, theme_id=theme_id, active=active)


def priorities(db: Database, *, actor: Actor) -> list[PriorityRow]:
    with db.unit_of_work(read_only=True) as session:
        return strategic_priorities(session=session, actor=actor)


def new_priority(db: Database, *, actor: Actor, title: str, plan_start: dt.date, plan_end: dt.date) -> int:
    with db.unit_of_work() as session:
        return add_strategic_priority(session=session, actor=actor, title=title, plan_start=plan_start,
                                      plan_end=plan_end)


def words_to_avoid(db: Database, *, actor: Actor) -> list[JargonRow]:
    with db.unit_of_work(read_only=True) as session:
        return jargon_terms(session=session, panel_id=actor.panel_id)


def new_word_to_avoid(db: Database, *, actor: Actor, term: str, plain: str) -> None:
    with db.unit_of_work() as session:
        add_jargon_term(session=session, actor=actor, term=term, plain=plain)


def drop_word_to_avoid(db: Database, *, actor: Actor, term_id: int) -> None:
    with db.unit_of_work() as session:
        remove_jargon_term(session=session, actor=actor, term_id=term_id)
