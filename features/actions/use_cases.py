"""What the action builder and tracker ask, one function per intent; each opens and commits its own unit
of work (rolled back if anything raises), so no page or component holds a session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.session import Database
from features.actions.actions import (
    ActionCount,
    ActionFilter,
    ActionRow,
    agree_new_date,
    count_actions,
    linkable_findings,
    list_actions,
    save_action,
    smart_check_for,
    strategic_priorities,
)
from features.actions.actions import update_action as _update_action
from rules.actors import Actor
from rules.smart import ActionDraft, SmartResult
from rules.vocabulary import ActionStatus


@dataclass(frozen=True)
class BuilderChoices:
    findings: dict[int, str]  # the review's areas of learning and concern an action can answer
    priorities: dict[int, str]  # the ICB's strategic priorities, labelled with their plan period


def priority_choices(db: Database, *, actor: Actor) -> dict[int, str]:
    with db.unit_of_work(read_only=True) as session:
        return {p.id: p.label for p in strategic_priorities(session=session, actor=actor)}


def builder_choices(db: Database, *, actor: Actor, review_id: int) -> BuilderChoices:
    with db.unit_of_work(read_only=True) as session:
        return BuilderChoices(
            findings=linkable_findings(session=session, actor=actor, review_id=review_id),
            priorities={p.id: p.label for p in strategic_priorities(session=session, actor=actor)})


def check_draft(db: Database, *, actor: Actor, data: ActionDraft) -> SmartResult:
    """The five letters for what is written so far, today."""
    with db.unit_of_work(read_only=True) as session:
        return smart_check_for(session=session, actor=actor, data=data, today=dt.date.today())


def agree_action(db: Database, *, actor: Actor, review_id: int, data: ActionDraft, as_draft: bool) -> int:
    with db.unit_of_work() as session:
        return save_action(session=session, actor=actor, review_id=review_id, data=data, as_draft=as_draft,
                           today=dt.date.today(), now=dt.datetime.now(dt.UTC))


def tracker_count(db: Database, *, actor: Actor, wanted: ActionFilter) -> ActionCount:
    with db.unit_of_work(read_only=True) as session:
        return count_actions(session=session, actor=actor, today=dt.date.today(), wanted=wanted)


def tracker_rows(db: Database, *, actor: Actor, wanted: ActionFilter, offset: int = 0,
                 limit: int | None = None) -> list[ActionRow]:
    """One page of the tracker (every matching action when no limit is given, as the exports need)."""
    with db.unit_of_work(read_only=True) as session:
        return list_actions(session=session, actor=actor, today=dt.date.today(), wanted=wanted, offset=offset,
                            limit=limit)


def update_action(db: Database, *, actor: Actor, row: ActionRow, status: ActionStatus, note: str,
                  evidence: str) -> None:
    """A dated note, a new status or evidence, refused if someone changed the action since it was read."""
    with db.unit_of_work() as session:
        _update_action(session=session, actor=actor, action_id=row.id, status=status, note=note, evidence=evidence,
                       now=dt.datetime.now(dt.UTC), expected_version=row.version_id)


def move_due_date(db: Database, *, actor: Actor, row: ActionRow, new_due_on: dt.date, reason: str) -> None:
    with db.unit_of_work() as session:
        agree_new_date(session=session, actor=actor, action_id=row.id, new_due_on=new_due_on, reason=reason,
                       today=dt.date.today(), now=dt.datetime.now(dt.UTC), expected_version=row.version_id)
