"""The panel's figures for a reporting period, for the insight page and the ICB's annual report.

Counts are grouped queries (one row per quarter, theme, status, priority or organisation), so a national
database costs the same few queries as the demo. Only the sign-off clock reads one row per review signed
off in the period, because its pauses are counted by the clock rule (rules/clock.py), not re-done in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TypeVar

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, case, exists, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from db.models import (
    Action,
    ActionUpdate,
    Decision,
    FindingTheme,
    FocusedReview,
    ReviewComment,
    ReviewFinding,
    StrategicPriority,
    Theme,
)
from features.panel_settings.panels import panel_rules
from features.reviews.reviews import pauses_by_review
from features.voting.decisions import SIGNING_OFF
from rules.actors import Actor
from rules.clock import ClockSettings, review_clock
from rules.labels import ACTION_STATUS_LABELS, FINDING_KIND_LABELS
from rules.periods import Period, quarters
from rules.permissions import Permission, require
from rules.vocabulary import ActionStatus, FindingKind, ReviewStatus, Role

OPEN_ACTIONS = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)
NO_PRIORITY = "No strategic priority"
TOP_ORGANISATIONS = 10

T = TypeVar("T")
Column = ColumnElement[T] | InstrumentedAttribute[T]  # a mapped attribute or an expression over one


@dataclass(frozen=True)
class Filters:
    """What the page narrows the figures to. A theme narrows the reviews (those with a finding tagged with
    it) and so their actions; a strategic priority narrows the actions only."""

    theme_id: int | None = None
    priority_id: int | None = None


NO_FILTERS = Filters()


@dataclass(frozen=True)
class QuarterFigures:
    label: str
    short: str  # its name on a chart's axis
    received: int
    signed_off: int
    signed_off_in_time: int  # within the panel's target (6 months unless set) from notification, pauses aside

    @property
    def in_time_percent(self) -> int | None:
        return round(100 * self.signed_off_in_time / self.signed_off) if self.signed_off else None


@dataclass(frozen=True)
class Count:
    label: str
    count: int


@dataclass(frozen=True)
class ThemeCount:
    kind: str  # "Area of learning", "Good practice", "Area of concern"
    theme: str
    count: int


@dataclass(frozen=True)
class Figures:
    period: Period
    quarters: tuple[QuarterFigures, ...]
    past_clock_now: int
    themes: tuple[ThemeCount, ...]
    flagged_received: int
    flagged_with_lead_view: int
    actions_by_status: tuple[Count, ...]
    actions_by_priority: tuple[Count, ...]
    actions_by_organisation: tuple[Count, ...]
    overdue_now: int
    completed_in_time: int
    completed: int
    target_months: int  # the panel's sign-off target from notification (6 unless set)

    @property
    def received(self) -> int:
        return sum(q.received for q in self.quarters)

    @property
    def signed_off(self) -> int:
        return sum(q.signed_off for q in self.quarters)

    @property
    def signed_off_in_time(self) -> int:
        return sum(q.signed_off_in_time for q in self.quarters)

    @property
    def in_time_percent(self) -> int | None:
        return round(100 * self.signed_off_in_time / self.signed_off) if self.signed_off else None

    @property
    def is_empty(self) -> bool:
        return not (self.received or self.signed_off or sum(c.count for c in self.actions_by_status))


def _quarter_of(column: Column[dt.date], parts: list[Period]) -> ColumnElement[int]:
    """1 to 4 for the quarter a date falls in (0 outside the period): portable to SQLite and PostgreSQL."""
    return case(*[(column.between(q.start, q.end), n) for n, q in enumerate(parts, start=1)], else_=0)


def _within(column: Column[dt.datetime], period: Period) -> ColumnElement[bool]:
    """A timestamp on one of the period's days (in UTC, as stored): compared as times, which SQLite and
    PostgreSQL both do the same way (a cast to a date is not portable)."""
    start = dt.datetime.combine(period.start, dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    return (column >= start) & (column < end)


def _reviews(actor: Actor, filters: Filters) -> list[ColumnElement[bool]]:
    """The panel's reviews, and with a theme chosen only those with a finding tagged with it."""
    where: list[ColumnElement[bool]] = [FocusedReview.panel_id == actor.panel_id]
    if filters.theme_id is not None:
        where.append(exists().where(ReviewFinding.review_id == FocusedReview.id,
                                    FindingTheme.finding_id == ReviewFinding.id,
                                    FindingTheme.theme_id == filters.theme_id))
    return where


def _received(session: Session, actor: Actor, parts: list[Period], filters: Filters) -> dict[int, int]:
    quarter = _quarter_of(FocusedReview.notified_on, parts)
    rows = session.execute(select(quarter, func.count(FocusedReview.id))
                           .where(*_reviews(actor, filters),
                                  FocusedReview.notified_on.between(parts[0].start, parts[-1].end))
                           .group_by(quarter))
    return dict(rows.all())


def first_sign_offs(session: Session, actor: Actor, period: Period, filters: Filters = NO_FILTERS
                    ) -> list[tuple[int, dt.date, dt.date]]:
    """(review, notified on, signed off on) for each review first signed off within the period."""
    first = func.min(Decision.decided_at)
    rows = session.execute(select(FocusedReview.id, FocusedReview.notified_on, first)
                           .join(Decision, Decision.review_id == FocusedReview.id)
                           .where(*_reviews(actor, filters), Decision.outcome.in_(SIGNING_OFF))
                           .group_by(FocusedReview.id, FocusedReview.notified_on)
                           .having(_within(first, period)))
    return [(rid, notified, at.date()) for rid, notified, at in rows]


def _quarters(session: Session, actor: Actor, period: Period, today: dt.date, clock: ClockSettings,
              signed: list[tuple[int, dt.date, dt.date]], filters: Filters) -> tuple[QuarterFigures, ...]:
    parts = quarters(period)
    received = _received(session, actor, parts, filters)
    pauses = pauses_by_review(session, actor.panel_id, [rid for rid, _, _ in signed])
    signed_by_quarter: dict[int, int] = defaultdict(int)
    in_time_by_quarter: dict[int, int] = defaultdict(int)
    for rid, notified, signed_on in signed:
        n = next(i for i, q in enumerate(parts, start=1) if q.holds(signed_on))
        signed_by_quarter[n] += 1
        if review_clock(notified_on=notified, pauses=pauses.get(rid, []), today=today, finished_on=signed_on,
                        settings=clock).days_left >= 0:
            in_time_by_quarter[n] += 1
    return tuple(QuarterFigures(q.label, q.short, received.get(n, 0), signed_by_quarter[n], in_time_by_quarter[n])
                 for n, q in enumerate(parts, start=1))


def _past_clock_now(session: Session, actor: Actor, today: dt.date, clock: ClockSettings, filters: Filters) -> int:
    """Reviews not yet signed off whose clock has run out today (pauses aside). Only those notified longer
    ago than the target can be past it (a pause only moves the date later), so only they are read."""
    latest = today - relativedelta(months=clock.target_months)
    rows = list(session.execute(select(FocusedReview.id, FocusedReview.notified_on)
                                .where(*_reviews(actor, filters), FocusedReview.notified_on < latest,
                                       FocusedReview.status != ReviewStatus.SIGNED_OFF)))
    pauses = pauses_by_review(session, actor.panel_id, [rid for rid, _ in rows])
    return sum(1 for rid, notified in rows
               if review_clock(notified_on=notified, pauses=pauses.get(rid, []), today=today,
                               settings=clock).days_left < 0)


def _themes(session: Session, actor: Actor, review_ids: list[int]) -> tuple[ThemeCount, ...]:
    """Themes of the findings of the reviews signed off in the period, most frequent first, per kind."""
    if not review_ids:
        return ()
    count = func.count(ReviewFinding.id)
    rows = session.execute(
        select(ReviewFinding.kind, Theme.name, count)
        .join(FindingTheme, FindingTheme.finding_id == ReviewFinding.id).join(Theme, Theme.id == FindingTheme.theme_id)
        .where(ReviewFinding.review_id.in_(review_ids), Theme.panel_id == actor.panel_id)
        .group_by(ReviewFinding.kind, Theme.name).order_by(count.desc(), Theme.name))
    order = {kind: n for n, kind in enumerate(FindingKind)}
    ranked = sorted(rows, key=lambda row: (order[row[0]], -row[2], row[1]))  # per kind, most frequent first
    return tuple(ThemeCount(FINDING_KIND_LABELS[kind], name, n) for kind, name, n in ranked)


def _flagged(session: Session, actor: Actor, period: Period, filters: Filters) -> tuple[int, int]:
    """Ethnicity-flagged reviews received in the period, and how many of them have the lead's view."""
    lead_view = exists().where(ReviewComment.review_id == FocusedReview.id,
                               ReviewComment.as_role == Role.ETHNIC_MINORITY_LEAD)
    row = session.execute(select(func.count(FocusedReview.id), func.count(case((lead_view, 1))))
                          .where(*_reviews(actor, filters), FocusedReview.ethnic_minority.is_(True),
                                 FocusedReview.notified_on.between(period.start, period.end))).one()
    return int(row[0]), int(row[1])


def _actions(actor: Actor, filters: Filters) -> list[ColumnElement[bool]]:
    """The panel's agreed actions (drafts are not agreed yet), narrowed as the filters say."""
    where: list[ColumnElement[bool]] = [Action.panel_id == actor.panel_id, Action.is_draft.is_(False)]
    if filters.theme_id is not None:
        where.append(Action.review_id.in_(select(FocusedReview.id).where(*_reviews(actor, filters))))
    if filters.priority_id is not None:
        where.append(Action.priority_id == filters.priority_id)
    return where


def _grouped(session: Session, label: Column[str] | Column[str | None] | Column[ActionStatus],
             where: list[ColumnElement[bool]], *, join_priority: bool = False, limit: int | None = None
             ) -> list[tuple[object, int]]:
    query = select(label, func.count(Action.id)).where(*where)
    if join_priority:
        query = query.outerjoin(StrategicPriority, StrategicPriority.id == Action.priority_id)
    query = query.group_by(label).order_by(func.count(Action.id).desc(), label).limit(limit)
    return [(name, int(n)) for name, n in session.execute(query)]


def _completed(session: Session, where: list[ColumnElement[bool]]) -> tuple[int, int]:
    """(completed by their due date, completed) among the period's actions, by the date the update said so."""
    completed_at = func.min(ActionUpdate.at)
    rows = list(session.execute(select(Action.due_on, completed_at)
                                .join(ActionUpdate, ActionUpdate.action_id == Action.id)
                                .where(*where, ActionUpdate.status == ActionStatus.COMPLETED)
                                .group_by(Action.id, Action.due_on)))
    return sum(1 for due, at in rows if at.date() <= due), len(rows)


def figures(*, session: Session, actor: Actor, period: Period, today: dt.date, filters: Filters = NO_FILTERS
            ) -> Figures:
    """Everything the insight page and the annual report show for one ICB's panel and one period."""
    require(actor, Permission.VIEW_REVIEWS)
    clock = panel_rules(session=session, panel_id=actor.panel_id).clock
    signed = first_sign_offs(session, actor, period, filters)
    flagged, with_view = _flagged(session, actor, period, filters)
    actions = _actions(actor, filters)
    where = [*actions, _within(Action.created_at, period)]  # agreed in the period
    statuses = dict(_grouped(session, Action.status, where))
    overdue = session.scalar(select(func.count(Action.id)).where(
        *actions, Action.status.in_(OPEN_ACTIONS), Action.due_on < today)) or 0
    in_time, completed = _completed(session, where)
    return Figures(
        period=period, quarters=_quarters(session, actor, period, today, clock, signed, filters),
        past_clock_now=_past_clock_now(session, actor, today, clock, filters),
        themes=_themes(session, actor, [rid for rid, _, _ in signed]),
        flagged_received=flagged, flagged_with_lead_view=with_view,
        actions_by_status=tuple(Count(ACTION_STATUS_LABELS[s], statuses.get(s, 0)) for s in ActionStatus),
        actions_by_priority=tuple(Count(str(name or NO_PRIORITY), n) for name, n in
                                  _grouped(session, StrategicPriority.title, where, join_priority=True)),
        actions_by_organisation=tuple(Count(str(name or "Not given"), n) for name, n in
                                      _grouped(session, Action.owner_organisation, where, limit=TOP_ORGANISATIONS)),
        overdue_now=int(overdue), completed_in_time=in_time, completed=completed, target_months=clock.target_months,
    )
