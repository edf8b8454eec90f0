"""The ICB's local action plan as the panel monitors it: each strategic priority with its actions, progress
per financial year of the plan, and what changed because of which review (learning → action → outcome)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from db.models import Action, FocusedReview, ReviewFinding, StrategicPriority
from rules.actors import Actor
from rules.formatting import short_date
from rules.labels import ACTION_STATUS_LABELS
from rules.periods import financial_year_label, financial_year_of
from rules.permissions import Permission, require
from rules.vocabulary import ActionStatus

DONE = (ActionStatus.COMPLETED, ActionStatus.CLOSED)
ROWS_PER_PRIORITY = 20


@dataclass(frozen=True)
class YearProgress:
    label: str  # "2026/27"
    due: int  # actions due in that year of the plan
    done: int  # of them, completed or closed by the panel


@dataclass(frozen=True)
class PlanRow:
    review: str  # the pseudonymised reference
    learning: str  # the area of learning or concern the action answers
    action: str
    status: str
    outcome: str  # the evidence recorded when it was done


@dataclass(frozen=True)
class PriorityPlan:
    title: str
    period: str  # "1 Apr 2026 to 31 Mar 2029"
    years: tuple[YearProgress, ...]
    rows: tuple[PlanRow, ...]  # the latest ROWS_PER_PRIORITY, newest due date first
    total: int

    @property
    def done(self) -> int:
        return sum(y.done for y in self.years)


def _progress(session: Session, actor: Actor) -> dict[int, dict[int, list[int]]]:
    """priority -> financial year -> [due, done], from one grouped query."""
    year, month = extract("year", Action.due_on), extract("month", Action.due_on)
    rows = session.execute(select(Action.priority_id, year, month, Action.status, func.count(Action.id))
                           .where(Action.panel_id == actor.panel_id, Action.is_draft.is_(False),
                                  Action.priority_id.is_not(None))
                           .group_by(Action.priority_id, year, month, Action.status))
    found: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for priority_id, y, m, status, count in rows:
        cell = found[priority_id or 0][financial_year_of(dt.date(int(y), int(m), 1))]  # never None: filtered above
        cell[0] += int(count)
        if status in DONE:
            cell[1] += int(count)
    return found


def _rows(session: Session, actor: Actor) -> dict[int, list[PlanRow]]:
    """The latest actions of each priority with the review and finding they came from: one windowed query."""
    rank = func.row_number().over(partition_by=Action.priority_id,
                                  order_by=(Action.due_on.desc(), Action.id.desc())).label("rank")
    ranked = (select(Action.id, rank).where(Action.panel_id == actor.panel_id, Action.is_draft.is_(False),
                                            Action.priority_id.is_not(None)).subquery())
    query = (select(Action.priority_id, FocusedReview.reference, ReviewFinding.text, Action.description,
                    Action.status, Action.evidence, Action.due_on)
             .join(ranked, ranked.c.id == Action.id).join(FocusedReview, FocusedReview.id == Action.review_id)
             .outerjoin(ReviewFinding, ReviewFinding.id == Action.finding_id)
             .where(ranked.c.rank <= ROWS_PER_PRIORITY).order_by(Action.priority_id, ranked.c.rank))
    found: dict[int, list[PlanRow]] = defaultdict(list)
    for priority_id, reference, learning, description, status, evidence, due in session.execute(query):
        found[priority_id or 0].append(PlanRow(  # never None: filtered above
            review=reference, learning=learning or "Not linked to a finding", action=description,
            status=f"{ACTION_STATUS_LABELS[status]} (due {short_date(due)})",
            outcome=evidence or ("Not recorded" if status in DONE else "Not done yet")))
    return found


def action_plan(*, session: Session, actor: Actor, priority_id: int | None = None) -> list[PriorityPlan]:
    """Every active strategic priority of the panel (or the one chosen), in the order the secretariat
    entered them."""
    require(actor, Permission.VIEW_ACTIONS)
    query = select(StrategicPriority).where(StrategicPriority.panel_id == actor.panel_id,
                                            StrategicPriority.is_active.is_(True))
    if priority_id is not None:
        query = query.where(StrategicPriority.id == priority_id)
    priorities = session.scalars(query.order_by(StrategicPriority.plan_start, StrategicPriority.id)).all()
    progress, rows = _progress(session, actor), _rows(session, actor)
    plans = []
    for p in priorities:
        first, last = financial_year_of(p.plan_start), financial_year_of(p.plan_end)
        by_year = progress.get(p.id, {})
        years = tuple(YearProgress(financial_year_label(y), *by_year.get(y, [0, 0]))
                      for y in range(first, last + 1))
        plans.append(PriorityPlan(title=p.title, period=f"{short_date(p.plan_start)} to {short_date(p.plan_end)}",
                                  years=years, rows=tuple(rows.get(p.id, ())),
                                  total=sum(c[0] for c in by_year.values())))
    return plans
