"""What the insight page and the annual report ask: the figures for a year (or a range of dates) of the
panel, narrowed by theme or strategic priority if chosen, or the words for why there are none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import FocusedReview, StrategicPriority, Theme
from db.session import Database
from features.insight.figures import NO_FILTERS, Figures, Filters, figures
from features.insight.plan import PriorityPlan, action_plan
from features.insight.report import AnnualReport, annual_report
from rules.actors import Actor
from rules.errors import Invalid
from rules.periods import Period, date_range, financial_year_of, report_period
from rules.permissions import Permission, require


@dataclass(frozen=True)
class Scope:
    """The period asked for (a financial or calendar year, or a range of dates) and what narrows it."""

    year: int | None = None  # a financial year by the year it starts in, or a calendar year
    calendar: bool = False
    between: tuple[dt.date, dt.date] | None = None  # a range of dates chosen instead of a year
    filters: Filters = NO_FILTERS


@dataclass(frozen=True)
class InsightChoices:
    """What the page offers: the years with records, newest first, and the themes and priorities."""

    financial_years: list[int]
    calendar_years: list[int]
    records_begin: dt.date | None
    themes: dict[int, str]
    priorities: dict[int, str]


@dataclass(frozen=True)
class Insight:
    figures: Figures | None
    nothing_to_show: str | None  # "There is nothing to show for the financial year 2027/28: it has not started yet."
    narrowed_to: str = ""  # "Only reviews with a finding tagged 'Sepsis', and their actions."


def _records_begin(session: Session, actor: Actor) -> dt.date | None:
    """The day the panel's first review was notified: reports start there."""
    return session.scalar(select(func.min(FocusedReview.notified_on)).where(FocusedReview.panel_id == actor.panel_id))


def insight_choices(db: Database, *, actor: Actor, today: dt.date | None = None) -> InsightChoices:
    """The years from the panel's first notified review to this one, and the panel's active themes and
    strategic priorities, for the page's boxes."""
    require(actor, Permission.VIEW_REVIEWS)
    today = today or dt.date.today()
    with db.unit_of_work(read_only=True) as session:
        first = _records_begin(session, actor)
        themes = dict(session.execute(select(Theme.id, Theme.name).where(
            Theme.panel_id == actor.panel_id, Theme.is_active.is_(True)).order_by(Theme.position, Theme.name)).all())
        priorities = dict(session.execute(select(StrategicPriority.id, StrategicPriority.title).where(
            StrategicPriority.panel_id == actor.panel_id, StrategicPriority.is_active.is_(True))
            .order_by(StrategicPriority.plan_start, StrategicPriority.id)).all())
    if first is None:
        return InsightChoices([], [], None, themes, priorities)
    return InsightChoices(financial_years=list(range(financial_year_of(today), financial_year_of(first) - 1, -1)),
                          calendar_years=list(range(today.year, first.year - 1, -1)), records_begin=first,
                          themes=themes, priorities=priorities)


def _period(session: Session, actor: Actor, scope: Scope, today: dt.date) -> Period:
    first = _records_begin(session, actor)
    if scope.between is not None:
        return date_range(*scope.between, today=today, records_begin=first)
    if scope.year is None:
        raise Invalid("Choose a year or a range of dates.")
    return report_period(scope.year, calendar=scope.calendar, today=today, records_begin=first)


def _narrowed_to(session: Session, actor: Actor, filters: Filters) -> str:
    """The filters in words, after checking each is one of this panel's (a stale or forged id is refused)."""
    parts = []
    if filters.theme_id is not None:
        theme = session.get(Theme, filters.theme_id)
        if theme is None or theme.panel_id != actor.panel_id:
            raise Invalid("That theme is not one of this panel's. Choose another.")
        parts.append(f"only reviews with a finding tagged '{theme.name}', and their actions")
    if filters.priority_id is not None:
        priority = session.get(StrategicPriority, filters.priority_id)
        if priority is None or priority.panel_id != actor.panel_id:
            raise Invalid("That strategic priority is not one of this panel's. Choose another.")
        parts.append(f"only actions serving the priority '{priority.title}'")
    return f"Showing {' and '.join(parts)}." if parts else ""


def _figures_or_reason(session: Session, actor: Actor, scope: Scope, today: dt.date) -> tuple[Figures, str]:
    """The period's figures and the filters in words, or Invalid saying in words why there is nothing to show."""
    narrowed = _narrowed_to(session, actor, scope.filters)
    period = _period(session, actor, scope, today)
    found = figures(session=session, actor=actor, period=period, today=today, filters=scope.filters)
    if found.is_empty:
        chosen = " with the theme or priority chosen" if narrowed else ""
        raise Invalid(f"There is nothing to show for {period.in_words}{chosen}: no reviews were received or signed "
                      "off and no actions were agreed.")
    return found, narrowed


def insight(db: Database, *, actor: Actor, year: int | None = None, calendar: bool = False,
            between: tuple[dt.date, dt.date] | None = None, filters: Filters = NO_FILTERS,
            today: dt.date | None = None) -> Insight:
    """The figures for a financial year (April to March), a calendar year or a range of dates, as of today."""
    require(actor, Permission.VIEW_REVIEWS)
    scope = Scope(year, calendar, between, filters)
    with db.unit_of_work(read_only=True) as session:
        try:
            found, narrowed = _figures_or_reason(session, actor, scope, today or dt.date.today())
        except Invalid as reason:
            return Insight(figures=None, nothing_to_show=str(reason))
    return Insight(figures=found, nothing_to_show=None, narrowed_to=narrowed)


def annual_report_pack(db: Database, *, actor: Actor, year: int | None = None, calendar: bool = False,
                       between: tuple[dt.date, dt.date] | None = None, filters: Filters = NO_FILTERS,
                       today: dt.date | None = None) -> AnnualReport:
    """The annual report's contents: figures, themes, good practice and the action plan, every text through
    the personal-data guard. Invalid (in words) when there is nothing to show for the period."""
    require(actor, Permission.VIEW_REVIEWS)
    today = today or dt.date.today()
    scope = Scope(year, calendar, between, filters)
    with db.unit_of_work(read_only=True) as session:
        found, narrowed = _figures_or_reason(session, actor, scope, today)
        plans = action_plan(session=session, actor=actor, priority_id=filters.priority_id)
        return annual_report(session=session, actor=actor, found=found, plans=plans, today=today,
                             filters=filters, narrowed_to=narrowed)


def local_action_plan(db: Database, *, actor: Actor, priority_id: int | None = None) -> list[PriorityPlan]:
    """The ICB's strategic priorities (or the one chosen) with their actions, for monitoring the 3-year plan."""
    with db.unit_of_work(read_only=True) as session:
        return action_plan(session=session, actor=actor, priority_id=priority_id)
