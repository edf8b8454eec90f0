"""Actions agreed by the panel: the SMART builder's save, the tracker's filters, dated updates, new dates
with reasons, and the overdue actions that return to the next meeting's action log.

Overdue is computed, never stored. An action that is not SMART is saved only as a draft. Actions are not
part of a signed-off review's lock, so one can be added to a locked review; the audit log records it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from db.conflicts import flush_or_conflict
from db.models import Action, ActionUpdate, FocusedReview, Meeting, ReviewFinding, StrategicPriority, User
from features.audit.audit import record_event
from features.reviews.reviews import load_review
from rules.actors import Actor
from rules.errors import Invalid, NotAllowed, NotFound, changed_by_someone_else
from rules.labels import ACTION_STATUS_LABELS, FINDING_KIND_LABELS
from rules.limits import MAX_ACTION_CHARS, MAX_FILTER_CHARS, MAX_NAME_CHARS, check_length
from rules.permissions import Permission, allows, require
from rules.plain_text import clean_text
from rules.smart import ActionDraft, SmartResult, check_smart
from rules.vocabulary import ActionStatus, FindingKind, ReviewStatus

OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class TrackerView(enum.StrEnum):
    MINE = "mine"
    ALL = "all"
    ARCHIVE = "archive"


@dataclass(frozen=True)
class ActionRow:
    id: int
    review_id: int
    review_reference: str
    description: str
    owner_name: str
    owner_organisation: str
    measure: str
    due_on: dt.date
    status: ActionStatus
    status_label: str
    overdue: bool
    is_draft: bool
    owner_agreed: bool
    finding: str | None
    priority: str | None
    evidence: str
    version_id: int
    history: tuple[str, ...] = ()

    @property
    def owner(self) -> str:
        return f"{self.owner_name}, {self.owner_organisation}"

    @property
    def status_in_words(self) -> str:
        words = self.status_label + (" (overdue)" if self.overdue else "")
        return f"Draft: {words.lower()}" if self.is_draft else words


@dataclass(frozen=True)
class ActionFilter:
    view: TrackerView = TrackerView.ALL
    review_id: int | None = None
    priority_id: int | None = None
    statuses: frozenset[ActionStatus] = field(default_factory=frozenset)
    owner: str = ""
    organisation: str = ""
    overdue_only: bool = False
    due_this_month: bool = False


def is_overdue(*, status: ActionStatus, due_on: dt.date, today: dt.date) -> bool:
    """Overdue is computed, never stored: past its date and not yet completed or closed."""
    return due_on < today and status in OPEN_STATUSES


def _plan_period(session: Session, actor: Actor, priority_id: int | None) -> StrategicPriority | None:
    if priority_id is None:
        return None
    priority = session.get(StrategicPriority, priority_id)
    if priority is None or priority.panel_id != actor.panel_id:
        raise NotFound("That strategic priority is not on your panel's list.")
    return priority


def _finding(session: Session, review: FocusedReview, finding_id: int | None) -> ReviewFinding | None:
    if finding_id is None:
        return None
    finding = session.get(ReviewFinding, finding_id)
    if finding is None or finding.review_id != review.id or finding.kind == FindingKind.GOOD_PRACTICE:
        raise NotFound("Link the action to an area of learning or concern of this review.")
    return finding


def smart_check_for(*, session: Session, actor: Actor, data: ActionDraft, today: dt.date) -> SmartResult:
    """The five letters for what is written so far (the builder calls this after each edit)."""
    priority = _plan_period(session, actor, data.priority_id)
    return check_smart(replace(data, plan_start=priority.plan_start if priority else None,
                               plan_end=priority.plan_end if priority else None), today=today)


def _clean(data: ActionDraft, today: dt.date) -> ActionDraft:
    """Refusals that hold even for a draft: no owner, a past date, too long, hidden characters."""
    description = clean_text(data.description, what="What will be done", limit=MAX_ACTION_CHARS)
    measure = clean_text(data.measure, what="How it will be measured", limit=MAX_ACTION_CHARS)
    owner = clean_text(data.owner_name, what="The owner's name", limit=MAX_NAME_CHARS)
    organisation = clean_text(data.owner_organisation, what="The owner's organisation", limit=MAX_NAME_CHARS)
    if not description:
        raise Invalid("Say what will be done.")
    if not owner or not organisation:
        raise Invalid("Name the owner (a person or role) and their organisation. They may be outside the panel.")
    if data.due_on is None:
        raise Invalid("Give a due date.")
    if data.due_on < today:
        raise Invalid(f"The due date, {data.due_on.day} {data.due_on:%B %Y}, is in the past. Choose a later date.")
    return replace(data, description=description, measure=measure, owner_name=owner,
                   owner_organisation=organisation)


def save_action(*, session: Session, actor: Actor, review_id: int, data: ActionDraft, as_draft: bool,
                today: dt.date, now: dt.datetime, action_id: int | None = None,
                expected_version: int | None = None) -> int:
    """Add or change an action. Not SMART: saved only when the user asks for a draft."""
    require(actor, Permission.MANAGE_ACTIONS)
    review = load_review(session, actor, review_id)
    clean = _clean(data, today)
    _finding(session, review, clean.finding_id)
    result = smart_check_for(session=session, actor=actor, data=clean, today=today)
    if not result.passed and not as_draft:
        raise Invalid("Not SMART yet, so it can only be saved as a draft. "
                      + " ".join(f"{r.letter}: {r.reason}" for r in result.to_fix))
    action = _load_for_change(session, actor, action_id, expected_version) if action_id else None
    if action is None:
        action = Action(panel_id=actor.panel_id, review_id=review.id)
        session.add(action)
    action.description, action.measure = clean.description, clean.measure
    action.owner_name, action.owner_organisation = clean.owner_name, clean.owner_organisation
    action.owner_agreed, action.finding_id, action.priority_id = clean.owner_agreed, clean.finding_id, clean.priority_id
    assert clean.due_on is not None  # _clean refuses an action without a due date, draft or not
    action.due_on, action.is_draft = clean.due_on, not result.passed
    flush_or_conflict(session, "this action")
    _audit_save(session, actor, review, action, changed=action_id is not None, now=now)
    return action.id


def _audit_save(session: Session, actor: Actor, review: FocusedReview, action: Action, *, changed: bool,
                now: dt.datetime) -> None:
    """By number, not its words (which may name someone). One on a signed-off review says so: actions sit
    outside the review's lock."""
    what = f"{'Changed' if changed else 'Added'} action {action.id}{' as a draft' if action.is_draft else ''}"
    if review.status == ReviewStatus.SIGNED_OFF:
        record_event(session, actor, action="action on a signed-off review", subject=f"review {review.reference}",
                     description=f"{what}, after the review was signed off.", at=now)
    else:
        record_event(session, actor, action="action changed" if changed else "action added",
                     subject=f"review {review.reference}", description=f"{what}.", at=now)


def _load_for_change(session: Session, actor: Actor, action_id: int, expected_version: int | None) -> Action:
    action = session.get(Action, action_id)
    if action is None or action.panel_id != actor.panel_id:
        raise NotFound("That action is not on your panel's list.")
    if expected_version is not None and action.version_id != expected_version:
        raise changed_by_someone_else("this action")
    return action


def update_action(*, session: Session, actor: Actor, action_id: int, status: ActionStatus, note: str,
                  evidence: str, now: dt.datetime, expected_version: int) -> None:
    """A dated note by a named person, maybe with a new status. Completing needs evidence; only the panel
    (chair, vice chair, secretariat) closes an action."""
    require(actor, Permission.MANAGE_ACTIONS)
    action = _load_for_change(session, actor, action_id, expected_version)
    text = clean_text(note, what="The note")
    proof = clean_text(evidence, what="The evidence", limit=MAX_ACTION_CHARS)
    if status == ActionStatus.CLOSED and not allows(actor, Permission.RUN_MEETING):
        raise NotAllowed("Only the panel closes an action: ask the chair or the secretariat.")
    if status == ActionStatus.COMPLETED and not (proof or action.evidence):
        raise Invalid("Say what shows it is done (the evidence) before marking it completed.")
    if status == action.status and not text:
        raise Invalid("Write a note, or choose a new status.")
    if action.is_draft and status != action.status:
        raise Invalid("This action is still a draft. Make it SMART and save it before it can move on.")
    action.updates.append(ActionUpdate(at=now, by_id=actor.user_id, note=text or ACTION_STATUS_LABELS[status],
                                       status=status if status != action.status else None))
    was = action.status
    action.status = status
    if proof:
        action.evidence = proof
    flush_or_conflict(session, "this action")
    moved = f": now '{ACTION_STATUS_LABELS[status]}' (was '{ACTION_STATUS_LABELS[was]}')" if status != was else ""
    record_event(session, actor, action="action updated", subject=f"review {action.review.reference}",
                 description=f"Updated action {action.id}{moved or ' with a note'}.", at=now)


def agree_new_date(*, session: Session, actor: Actor, action_id: int, new_due_on: dt.date, reason: str,
                   today: dt.date, now: dt.datetime, expected_version: int) -> None:
    """The panel agrees a new date for an overdue action; the reason is kept in the history."""
    require(actor, Permission.RUN_MEETING)
    action = _load_for_change(session, actor, action_id, expected_version)
    why = clean_text(reason, what="The reason")
    if not why:
        raise Invalid("Say why the date is changing. The reason is kept with the action.")
    if new_due_on <= today:
        raise Invalid("The new date must be in the future.")
    action.updates.append(ActionUpdate(at=now, by_id=actor.user_id, new_due_on=new_due_on,
                                       note=f"New date {new_due_on.day} {new_due_on:%B %Y} (was "
                                            f"{action.due_on.day} {action.due_on:%B %Y}): {why}"))
    was = action.due_on
    action.due_on = new_due_on
    flush_or_conflict(session, "this action")
    record_event(session, actor, action="action new date", subject=f"review {action.review.reference}",
                 description=f"Agreed a new date for action {action.id}: {new_due_on.day} {new_due_on:%B %Y} (was "
                             f"{was.day} {was:%B %Y}). The reason is kept with the action.", at=now)


def _where(actor: Actor, wanted: ActionFilter, today: dt.date) -> list[ColumnElement[bool]]:
    """The tracker's filters as SQL, so only the actions shown are read (and counted by the database)."""
    archived = Action.status == ActionStatus.CLOSED
    clauses = [archived if wanted.view == TrackerView.ARCHIVE else ~archived]
    if wanted.view == TrackerView.MINE:
        clauses.append(func.lower(Action.owner_name) == actor.name.lower())
    if wanted.review_id is not None:
        clauses.append(Action.review_id == wanted.review_id)
    if wanted.priority_id is not None:
        clauses.append(Action.priority_id == wanted.priority_id)
    if wanted.statuses:
        clauses.append(Action.status.in_(sorted(wanted.statuses)))
    if wanted.owner:
        check_length(wanted.owner, what="The owner filter", limit=MAX_FILTER_CHARS)
        clauses.append(func.lower(Action.owner_name).contains(wanted.owner.lower(), autoescape=True))
    if wanted.organisation:
        check_length(wanted.organisation, what="The organisation filter", limit=MAX_FILTER_CHARS)
        clauses.append(func.lower(Action.owner_organisation).contains(wanted.organisation.lower(), autoescape=True))
    if wanted.overdue_only:
        clauses.append(_overdue(today))
    if wanted.due_this_month:
        first = today.replace(day=1)
        clauses.append(Action.due_on.between(first, first + relativedelta(months=1, days=-1)))
    return clauses


def _overdue(today: dt.date) -> ColumnElement[bool]:
    """is_overdue, in SQL."""
    return and_(Action.due_on < today, Action.status.in_(OPEN_STATUSES))


def _tracker_order() -> tuple[ColumnElement[Any] | InstrumentedAttribute[Any], ...]:
    """Open actions first, soonest due first (so the overdue lead); then the finished ones, most recently due
    first. An ICB's log grows by years: its first page must be what still needs doing, not 2021's."""
    still_open = Action.status.in_(OPEN_STATUSES)
    return (case((still_open, 0), else_=1), case((still_open, Action.due_on)), Action.due_on.desc(), Action.id)


def _histories(session: Session, action_ids: list[int], names: dict[int, str]) -> dict[int, tuple[str, ...]]:
    """Each action's dated notes, oldest first, in one query."""
    notes: dict[int, list[str]] = {}
    for chunk in range(0, len(action_ids), 500):
        for action_id, at, by_id, note in session.execute(
                select(ActionUpdate.action_id, ActionUpdate.at, ActionUpdate.by_id, ActionUpdate.note)
                .where(ActionUpdate.action_id.in_(action_ids[chunk:chunk + 500]))
                .order_by(ActionUpdate.action_id, ActionUpdate.at, ActionUpdate.id)):
            notes.setdefault(action_id, []).append(f"{at:%d %b %Y}, {names.get(by_id, 'someone')}: {note}")
    return {action_id: tuple(lines) for action_id, lines in notes.items()}


def list_actions(*, session: Session, actor: Actor, today: dt.date, wanted: ActionFilter | None = None,
                 offset: int = 0, limit: int | None = None,
                 meeting_reviews: Sequence[int] | None = None) -> list[ActionRow]:
    """The tracker: all, mine (I am the named owner) or the archive of closed actions, with filters, open ones
    first (`_tracker_order`); `offset` and `limit` give one page of them. No filter at all means every action
    of the panel. `meeting_reviews` narrows it to what a meeting's minutes show: those reviews' actions and
    every overdue one.

    Plain columns in one joined query and the page's notes in one more, never an object per action: an
    ICB's years of actions sit behind every click of the Actions page (docs/performance.md)."""
    require(actor, Permission.VIEW_ACTIONS)
    scope = [Action.panel_id == actor.panel_id, *(_where(actor, wanted, today) if wanted else ())]
    if meeting_reviews is not None:
        scope.append(or_(Action.review_id.in_(meeting_reviews), _overdue(today)))
    finding = and_(ReviewFinding.id == Action.finding_id, ReviewFinding.review_id == Action.review_id)
    query = (select(Action.id, Action.review_id, FocusedReview.reference, Action.description, Action.owner_name,
                    Action.owner_organisation, Action.measure, Action.due_on, Action.status, Action.is_draft,
                    Action.owner_agreed, ReviewFinding.kind, ReviewFinding.text, StrategicPriority.title,
                    Action.evidence, Action.version_id)
             .join(FocusedReview, FocusedReview.id == Action.review_id)
             .outerjoin(StrategicPriority, StrategicPriority.id == Action.priority_id)
             .outerjoin(ReviewFinding, finding)
             .where(*scope)
             .order_by(*_tracker_order()).offset(offset).limit(limit))
    found = session.execute(query).all()
    names = dict(session.execute(select(User.id, User.name).where(User.panel_id == actor.panel_id)).all())
    histories = _histories(session, [r.id for r in found], names)
    return [
        ActionRow(
            id=r.id, review_id=r.review_id, review_reference=r.reference, description=r.description,
            owner_name=r.owner_name, owner_organisation=r.owner_organisation, measure=r.measure, due_on=r.due_on,
            status=r.status, status_label=ACTION_STATUS_LABELS[r.status],
            overdue=is_overdue(status=r.status, due_on=r.due_on, today=today), is_draft=r.is_draft,
            owner_agreed=r.owner_agreed, finding=f"{FINDING_KIND_LABELS[r.kind]}: {r.text}" if r.kind else None,
            priority=r.title, evidence=r.evidence, version_id=r.version_id, history=histories.get(r.id, ()),
        )
        for r in found
    ]


@dataclass(frozen=True)
class ActionCount:
    shown: int
    overdue: int


def count_actions(*, session: Session, actor: Actor, today: dt.date, wanted: ActionFilter) -> ActionCount:
    """How many actions the filters match, and how many of those are overdue, counted by the database."""
    require(actor, Permission.VIEW_ACTIONS)
    shown, overdue = session.execute(
        select(func.count(Action.id), func.count(Action.id).filter(_overdue(today)))
        .where(Action.panel_id == actor.panel_id, *_where(actor, wanted, today))).one()
    return ActionCount(shown=shown, overdue=overdue)


def actions_for_meeting(*, session: Session, actor: Actor, meeting: Meeting) -> list[ActionRow]:
    """What a meeting's minutes show: every action of its reviews and every action overdue on its day, in the
    tracker's order — not the ICB's whole log, which at national scale doubled the time to export the minutes."""
    reviews = [item.review_id for item in meeting.agenda_items if item.review_id]
    return list_actions(session=session, actor=actor, today=meeting.meeting_date, meeting_reviews=reviews)


def overdue_actions(*, session: Session, actor: Actor, today: dt.date) -> list[ActionRow]:
    """What the next meeting's action log brings back: every overdue action, soonest due first."""
    return list_actions(session=session, actor=actor, today=today, wanted=ActionFilter(overdue_only=True))


@dataclass(frozen=True)
class PriorityRow:
    id: int
    title: str
    plan_start: dt.date
    plan_end: dt.date

    @property
    def label(self) -> str:
        return f"{self.title} ({self.plan_start.year} to {self.plan_end.year})"


def strategic_priorities(*, session: Session, actor: Actor) -> list[PriorityRow]:
    require(actor, Permission.VIEW_ACTIONS)
    rows = session.scalars(select(StrategicPriority).where(StrategicPriority.panel_id == actor.panel_id,
                                                           StrategicPriority.is_active.is_(True))
                           .order_by(StrategicPriority.id))
    return [PriorityRow(p.id, p.title, p.plan_start, p.plan_end) for p in rows]


def add_strategic_priority(*, session: Session, actor: Actor, title: str, plan_start: dt.date,
                           plan_end: dt.date) -> int:
    """The secretariat keeps the ICB's priorities, each with the plan period it belongs to."""
    require(actor, Permission.MANAGE_SETTINGS)
    name = clean_text(title, what="The priority", limit=MAX_NAME_CHARS)
    if not name:
        raise Invalid("Write the priority in a few words.")
    if plan_end <= plan_start:
        raise Invalid("The plan period must end after it starts.")
    priority = StrategicPriority(panel_id=actor.panel_id, title=name, plan_start=plan_start, plan_end=plan_end)
    session.add(priority)
    session.flush()
    record_event(session, actor, action="panel settings changed", subject="panel settings",
                 description=f"Added the strategic priority '{name}' ({plan_start.year} to {plan_end.year}).")
    return priority.id


def linkable_findings(*, session: Session, actor: Actor, review_id: int) -> dict[int, str]:
    """The areas of learning and concern an action can answer (good practice needs no action)."""
    require(actor, Permission.VIEW_REVIEWS)
    review = load_review(session, actor, review_id)
    return {f.id: f"{FINDING_KIND_LABELS[f.kind]}: {f.text}" for f in review.findings
            if f.kind != FindingKind.GOOD_PRACTICE}
