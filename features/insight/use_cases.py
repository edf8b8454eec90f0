"""What the insight page asks: the figures for one year of the panel, or the words for why there are none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import FocusedReview
from db.session import Database
from features.insight.figures import Figures, figures
from features.insight.plan import PriorityPlan, action_plan
from features.insight.report import AnnualReport, annual_report
from rules.actors import Actor
from rules.errors import Invalid
from rules.periods import financial_year_of, report_period
from rules.permissions import Permission, require


@dataclass(frozen=True)
class Insight:
    figures: Figures | None
    nothing_to_show: str | None  # "There is nothing to show for the financial year 2027/28: it has not started yet."


def _records_begin(session: Session, actor: Actor) -> dt.date | None:
    """The day the panel's first review was notified: reports start there."""
    return session.scalar(select(func.min(FocusedReview.notified_on)).where(FocusedReview.panel_id == actor.panel_id))


def report_years(db: Database, *, actor: Actor, calendar: bool = False) -> list[int]:
    """The years with records, newest first: from the panel's first notified review to this year."""
    require(actor, Permission.VIEW_REVIEWS)
    today = dt.date.today()
    with db.unit_of_work(read_only=True) as session:
        first = _records_begin(session, actor)
    if first is None:
        return []
    start = first.year if calendar else financial_year_of(first)
    end = today.year if calendar else financial_year_of(today)
    return list(range(end, start - 1, -1))


def _figures_or_reason(session: Session, actor: Actor, year: int, calendar: bool, today: dt.date) -> Figures:
    """The period's figures, or Invalid saying in words why there is nothing to show."""
    period = report_period(year, calendar=calendar, today=today, records_begin=_records_begin(session, actor))
    found = figures(session=session, actor=actor, period=period, today=today)
    if found.is_empty:
        raise Invalid(f"There is nothing to show for {period.label}: no reviews were received or signed off "
                      "and no actions were agreed.")
    return found


def insight(db: Database, *, actor: Actor, year: int, calendar: bool = False, today: dt.date | None = None
            ) -> Insight:
    """The figures for a financial year (April to March) or a calendar year, computed as of today."""
    require(actor, Permission.VIEW_REVIEWS)
    with db.unit_of_work(read_only=True) as session:
        try:
            return Insight(figures=_figures_or_reason(session, actor, year, calendar, today or dt.date.today()),
                           nothing_to_show=None)
        except Invalid as reason:
            return Insight(figures=None, nothing_to_show=str(reason))


def annual_report_pack(db: Database, *, actor: Actor, year: int, calendar: bool = False,
                       today: dt.date | None = None) -> AnnualReport:
    """The annual report's contents for one year: figures, themes, good practice and the action plan, every
    text through the personal-data guard. Invalid (in words) when there is nothing to show for the year."""
    require(actor, Permission.VIEW_REVIEWS)
    today = today or dt.date.today()
    with db.unit_of_work(read_only=True) as session:
        found = _figures_or_reason(session, actor, year, calendar, today)
        return annual_report(session=session, actor=actor, found=found, plans=action_plan(session=session,
                                                                                          actor=actor), today=today)


def local_action_plan(db: Database, *, actor: Actor) -> list[PriorityPlan]:
    """The ICB's strategic priorities with their actions, for monitoring the 3-year plan."""
    with db.unit_of_work(read_only=True) as session:
        return action_plan(session=session, actor=actor)
