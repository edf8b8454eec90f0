"""Panels and their local rules: quorum, the ethnic minority lead checkpoint, the review clock, themes.

These are per-ICB decisions (domain pack, section 9), so they are data the secretariat edits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.conflicts import flush_or_conflict
from db.models import Icb, JargonTerm, Panel, PanelSettings, Theme, VoteOption
from features.audit.audit import record_event
from rules.actors import Actor
from rules.clock import ClockSettings
from rules.easy_read import DEFAULT_JARGON
from rules.errors import Conflict, Invalid, NotFound, changed_by_someone_else
from rules.limits import MAX_WORD_CHARS
from rules.permissions import Permission, require
from rules.plain_text import clean_text
from rules.quorum import QuorumRule

NATIONAL_THEMES: tuple[str, ...] = (
    "Respiratory and aspiration pneumonia", "Epilepsy", "Sepsis", "Constipation", "Cancer screening",
    "DNACPR", "Annual health checks", "STOMP", "Reasonable adjustments", "Ethnicity and inequalities",
)

# Sign-off answers a new panel starts with: (code, label, plain meaning, reason required).
DEFAULT_VOTE_OPTIONS: tuple[tuple[str, str, str, bool], ...] = (
    ("sign_off", "Sign off", "The review is good enough to sign off as it is.", False),
    ("sign_off_with_changes", "Sign off with changes", "Sign off once the listed changes are made.", False),
    ("not_yet", "Not yet: return to reviewer", "The review needs more work before it can be signed off.", True),
    ("abstain", "Abstain", "I do not take part in this decision.", False),
)


# How the audit log names each setting when it changes.
SETTING_WORDS: dict[str, str] = {
    "quorum": "the quorum", "clock": "the review clock",
    "require_em_lead_view": "whether the ethnic minority lead's view is needed before the vote",
    "count_apology_views": "whether views from members who sent apologies count as votes",
    "protective_marking": "the protective marking",
    "chair_may_approve_minutes": "whether the chair may approve minutes between meetings",
}


@dataclass(frozen=True)
class PanelRules:
    quorum: QuorumRule
    clock: ClockSettings
    require_em_lead_view: bool
    version_id: int
    count_apology_views: bool = False
    protective_marking: str = "OFFICIAL-SENSITIVE"
    chair_may_approve_minutes: bool = False


@dataclass(frozen=True)
class ThemeRow:
    id: int
    name: str
    is_active: bool


def create_panel(*, session: Session, icb_code: str, icb_name: str, panel_name: str) -> Panel:
    """A new ICB with its panel, default rules and the national themes."""
    icb = Icb(code=icb_code, name=icb_name)
    panel = Panel(icb=icb, name=panel_name)
    session.add_all([icb, panel])
    session.flush()
    session.add(PanelSettings(panel_id=panel.id))
    session.add_all(Theme(panel_id=panel.id, name=name, position=n) for n, name in enumerate(NATIONAL_THEMES, 1))
    session.add_all(
        VoteOption(panel_id=panel.id, code=code, label=label, meaning=meaning, requires_reason=needs, position=n)
        for n, (code, label, meaning, needs) in enumerate(DEFAULT_VOTE_OPTIONS, start=1)
    )
    session.add_all(JargonTerm(panel_id=panel.id, term=term, plain=plain) for term, plain in DEFAULT_JARGON)
    session.flush()
    return panel


def _settings_row(session: Session, panel_id: int) -> PanelSettings:
    row = session.get(PanelSettings, panel_id)
    if row is None:
        raise NotFound("This panel has no settings yet. Ask the secretariat to run `manage.py init-db`.")
    return row


def panel_rules(*, session: Session, panel_id: int) -> PanelRules:
    """The rules in force for a panel, as the plain objects the rule functions take."""
    row = _settings_row(session, panel_id)
    return PanelRules(
        quorum=QuorumRule(
            min_voting_members=row.quorum_min_voting_members,
            require_chair_or_vice=row.quorum_require_chair_or_vice,
            min_lived_experience=row.quorum_min_lived_experience,
            require_ethnic_minority_lead=row.quorum_require_em_lead,
        ),
        clock=ClockSettings(target_months=row.clock_target_months, amber_within_days=row.clock_amber_days),
        require_em_lead_view=row.require_em_lead_view,
        version_id=row.version_id,
        count_apology_views=row.count_apology_views,
        protective_marking=row.protective_marking,
        chair_may_approve_minutes=row.chair_may_approve_minutes,
    )


def update_panel_rules(
    *, session: Session, actor: Actor, quorum: QuorumRule, clock: ClockSettings, require_em_lead_view: bool,
    expected_version: int, count_apology_views: bool | None = None, protective_marking: str | None = None,
    chair_may_approve_minutes: bool | None = None,
) -> PanelRules:
    """Save the panel's rules; a setting given as None stays as it is."""
    require(actor, Permission.MANAGE_SETTINGS)
    if not 1 <= quorum.min_voting_members <= 50:
        raise Invalid("The number of voting members needed must be between 1 and 50.")
    if not 0 <= quorum.min_lived_experience <= quorum.min_voting_members:
        raise Invalid("Lived-experience members needed must be between 0 and the number of voting members needed.")
    if not 1 <= clock.target_months <= 24:
        raise Invalid("The review target must be between 1 and 24 months.")
    if not 0 <= clock.amber_within_days <= 180:
        raise Invalid("The 'due soon' warning must be between 0 and 180 days.")
    row = _settings_row(session, actor.panel_id)
    if row.version_id != expected_version:
        raise changed_by_someone_else("the panel settings")
    before = panel_rules(session=session, panel_id=actor.panel_id)
    row.quorum_min_voting_members = quorum.min_voting_members
    row.quorum_require_chair_or_vice = quorum.require_chair_or_vice
    row.quorum_min_lived_experience = quorum.min_lived_experience
    row.quorum_require_em_lead = quorum.require_ethnic_minority_lead
    row.require_em_lead_view = require_em_lead_view
    if count_apology_views is not None:
        row.count_apology_views = count_apology_views
    if chair_may_approve_minutes is not None:
        row.chair_may_approve_minutes = chair_may_approve_minutes
    if protective_marking is not None:
        marking = clean_text(protective_marking, what="The protective marking", limit=MAX_WORD_CHARS)
        if not marking:
            raise Invalid("Write the protective marking for exported minutes, for example OFFICIAL-SENSITIVE.")
        row.protective_marking = marking
    row.clock_target_months = clock.target_months
    row.clock_amber_days = clock.amber_within_days
    flush_or_conflict(session, "the panel settings")
    after = panel_rules(session=session, panel_id=actor.panel_id)
    changed = [words for name, words in SETTING_WORDS.items() if getattr(before, name) != getattr(after, name)]
    if changed:
        _audit(session, actor, f"Changed the panel settings: {', '.join(changed)}.")
    return after


def _audit(session: Session, actor: Actor, description: str) -> None:
    record_event(session, actor, action="panel settings changed", subject="panel settings", description=description)


def list_themes(*, session: Session, actor: Actor, include_inactive: bool = False) -> list[ThemeRow]:
    query = select(Theme).where(Theme.panel_id == actor.panel_id).order_by(Theme.position, Theme.id)
    if not include_inactive:
        query = query.where(Theme.is_active.is_(True))
    return [ThemeRow(t.id, t.name, t.is_active) for t in session.scalars(query)]


def add_theme(*, session: Session, actor: Actor, name: str) -> ThemeRow:
    require(actor, Permission.MANAGE_SETTINGS)
    clean = " ".join(name.split())
    if not clean or len(clean) > MAX_WORD_CHARS:
        raise Invalid(f"Give the theme a name of 1 to {MAX_WORD_CHARS} characters.")
    exists = session.scalar(
        select(func.count()).select_from(Theme)
        .where(Theme.panel_id == actor.panel_id, func.lower(Theme.name) == clean.lower())
    )
    if exists:
        raise Conflict(f"There is already a theme called '{clean}'.")
    last = session.scalar(select(func.max(Theme.position)).where(Theme.panel_id == actor.panel_id)) or 0
    theme = Theme(panel_id=actor.panel_id, name=clean, position=last + 1)
    session.add(theme)
    session.flush()
    _audit(session, actor, f"Added the theme '{clean}'.")
    return ThemeRow(theme.id, theme.name, theme.is_active)


def set_theme_active(*, session: Session, actor: Actor, theme_id: int, active: bool) -> ThemeRow:
    """Themes are switched off, not deleted, so past findings keep their tags."""
    require(actor, Permission.MANAGE_SETTINGS)
    theme = session.get(Theme, theme_id)
    if theme is None or theme.panel_id != actor.panel_id:
        raise NotFound("That theme is not on your panel's list.")
    theme.is_active = active
    _audit(session, actor, f"Switched the theme '{theme.name}' {'on' if active else 'off'}.")
    return ThemeRow(theme.id, theme.name, theme.is_active)
