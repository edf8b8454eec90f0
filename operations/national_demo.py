"""Fictional data at the size of all of England, for measuring the app as a national service would be used:
42 ICBs, each with about 476 focused reviews over five years, 200 meetings, three learning items and three
actions a review, and a closed vote of fifteen members with a decision on every review (about 20,000
reviews, 60,000 learning items, 60,000 actions and 300,000 votes in all).

It starts from the small demo (`seed_demo`), so the demo accounts sign in and find their own meetings as
usual, and it grows every panel, theirs included, with the past. Panels and people go through the same
services as ever (the audit log's chain stays whole); the history goes in with plain bulk inserts and ids
counted here, which is what makes it take a minute, not an hour. The same seed and day give the same rows.
Nothing in it is a real person: references are pseudonyms and findings are stock sentences.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from db.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Decision,
    FindingTheme,
    FocusedReview,
    Meeting,
    Panel,
    Poll,
    ReviewFinding,
    StrategicPriority,
    Theme,
    User,
    UserRole,
    Vote,
    VoteOption,
)
from features.panel_settings.panels import create_panel
from features.people.passwords import hash_password
from features.people.users import create_user_in_panel
from operations.demo import DEMO_PRIORITIES as PRIORITY_TITLES
from operations.demo import seed_demo
from rules.vocabulary import (
    ActionStatus,
    AgendaItemKind,
    AttendanceStatus,
    DecisionOutcome,
    FindingKind,
    ItemStatus,
    MeetingStatus,
    PollStatus,
    ReviewStatus,
    Role,
    VoteMode,
)

ICBS = 42
REVIEWS_PER_ICB = 476
MEETINGS_PER_ICB = 200
FINDINGS_PER_REVIEW = 3
ACTIONS_PER_REVIEW = 3
VOTERS = 15
YEARS = 5
CHUNK = 5_000

PLACES = ["Northfield", "Eastmoor", "Westvale", "Southby", "Highcombe", "Lowdale", "Ashford Vale", "Brookmere",
          "Cedarholt", "Dunmore", "Elmstead", "Fairhaven", "Glenbury", "Hollowell", "Ivybridge Moor", "Juniper",
          "Kestrel Fen", "Larchwood", "Millbrook", "Netherby", "Oakhurst", "Pinecliff", "Quarrydale", "Ravensholt",
          "Stonebridge", "Thornbury Fen", "Upperton", "Valewood", "Willowmere", "Yarrowdale", "Amberley Moor",
          "Birchfield", "Coldharbour", "Deepdene", "Eastwater", "Foxhollow", "Greystone", "Heathcote", "Irondale",
          "Kingsmere"]
FINDINGS = {
    FindingKind.LEARNING: ["Annual health checks were not always followed by a health action plan.",
                           "Reasonable adjustments were not recorded on the hospital passport.",
                           "Signs of deterioration were not recognised early enough at home."],
    FindingKind.GOOD_PRACTICE: ["The GP practice offered longer appointments and easy read letters.",
                                "Support staff knew the person well and spoke up for them.",
                                "The family were involved in every decision about care."],
    FindingKind.CONCERN: ["Constipation was not monitored despite a known risk.",
                          "The mental capacity assessment was not decision specific.",
                          "Discharge planning did not include the care provider."],
}
ACTION_TEXTS = ["Audit health action plans after annual health checks in every practice",
                "Add reasonable adjustments to the electronic patient record flag",
                "Train support staff in recognising deterioration using a soft-signs tool",
                "Review bowel care plans for everyone on clozapine in supported living",
                "Offer decision-specific capacity assessment training to ward staff"]
AGE_BANDS = ["18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
SETTINGS = ["Supported living", "Residential care", "Family home", "Hospital"]


@dataclass(frozen=True)
class NationalReport:
    icbs: int
    users: int
    reviews: int
    findings: int
    actions: int
    meetings: int
    votes: int
    seconds: float

    def line(self) -> str:
        return (f"Added fictional national data: {self.icbs} ICBs, {self.users} accounts, {self.reviews:,} reviews, "
                f"{self.findings:,} learning items, {self.actions:,} actions, {self.meetings:,} meetings, "
                f"{self.votes:,} votes in {self.seconds:.0f} s.")


class _Ids:
    """Ids counted here so parents and children can be inserted in bulk without reading ids back."""

    def __init__(self, session: Session) -> None:
        self._next: dict[str, int] = {}
        self._session = session

    def take(self, model: type[Any]) -> int:
        table = model.__tablename__
        if table not in self._next:
            self._next[table] = (self._session.scalar(select(func.max(model.id))) or 0) + 1
        self._next[table] += 1
        return self._next[table] - 1


class _Rows:
    """Rows waiting to be inserted, table by table, flushed in chunks in foreign-key order."""

    ORDER = (Meeting, FocusedReview, ReviewFinding, FindingTheme, AgendaItem, Attendance, Poll, Vote, Decision,
             Action, ActionUpdate)

    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows: dict[type[Any], list[dict[str, Any]]] = {model: [] for model in self.ORDER}
        self.counts: dict[type[Any], int] = dict.fromkeys(self.ORDER, 0)

    def add(self, model: type[Any], row: dict[str, Any]) -> None:
        self.rows[model].append(row)

    def flush(self) -> None:
        for model in self.ORDER:
            rows = self.rows[model]
            table = cast(Table, model.__table__)  # a mapped class's table; typed as the wider FromClause
            for start in range(0, len(rows), CHUNK):
                self.session.execute(insert(table), rows[start:start + CHUNK])
            self.counts[model] += len(rows)
            self.rows[model] = []


def seed_national(*, session: Session, password: str, today: dt.date, bcrypt_rounds: int, seed: int = 2026,
                  scale: float = 1.0) -> NationalReport:
    """The small demo, then every panel grown with five years of history. `scale` shrinks it for tests."""
    started = time.perf_counter()
    rng = random.Random(seed)
    seed_demo(session=session, password=password, today=today, bcrypt_rounds=bcrypt_rounds)
    session.flush()
    icbs = max(2, round(ICBS * scale))
    panels = list(session.scalars(select(Panel).order_by(Panel.id)))
    # one bcrypt run for every account, as the small demo does
    shared_hash = hash_password(password, rounds=bcrypt_rounds)
    users = 0
    for n in range(len(panels), icbs):
        place = PLACES[n % len(PLACES)] + ("" if n < len(PLACES) else f" {n // len(PLACES) + 1}")
        panel = create_panel(session=session, icb_code=f"DEMO-{n + 1:02d}",
                             icb_name=f"NHS {place} Integrated Care Board (fictional demo)",
                             panel_name="LeDeR Governance Panel")
        users += _people(session, panel, n + 1, shared_hash)
        panels.append(panel)
    session.flush()
    ids, rows = _Ids(session), _Rows(session)
    first_demo_meeting = session.scalar(select(func.min(Meeting.meeting_date))) or today
    for panel in panels:
        _history(rng, ids, rows, session, panel.id, before=first_demo_meeting, scale=scale)
        rows.flush()
    _reset_sequences(session)
    counts = rows.counts
    return NationalReport(icbs=len(panels), users=users, reviews=counts[FocusedReview],
                          findings=counts[ReviewFinding], actions=counts[Action], meetings=counts[Meeting],
                          votes=counts[Vote], seconds=time.perf_counter() - started)


def _people(session: Session, panel: Panel, number: int, password_hash: str) -> int:
    """A chair, a vice chair, the secretariat, a reviewer and fifteen voting members (two of them with
    lived experience, one the ethnic minority lead), through the same service the secretariat uses."""
    roles: list[tuple[str, tuple[Role, ...]]] = [
        ("chair", (Role.CHAIR,)), ("vicechair", (Role.VICE_CHAIR,)), ("admin", (Role.SECRETARIAT,)),
        ("reviewer", (Role.REVIEWER,)), ("emlead", (Role.ETHNIC_MINORITY_LEAD,)),
        ("lived1", (Role.LIVED_EXPERIENCE_MEMBER,)), ("lived2", (Role.LIVED_EXPERIENCE_MEMBER,)),
        *((f"member{k}", (Role.PANEL_MEMBER,)) for k in range(1, 11)),
    ]
    for name, held in roles:
        username = f"icb{number:02d}{name}"
        create_user_in_panel(session=session, panel_id=panel.id, username=username,
                             name=f"{name.capitalize()} of ICB {number:02d}", email=f"{username}@example.org",
                             roles=held, password_hash=password_hash)
    return len(roles)


def _voters(session: Session, panel_id: int) -> tuple[list[int], int]:
    """The panel's voting members (at most fifteen) and whoever chairs, for the history's votes."""
    voting = (Role.CHAIR, Role.VICE_CHAIR, Role.PANEL_MEMBER, Role.LIVED_EXPERIENCE_MEMBER, Role.ETHNIC_MINORITY_LEAD)
    members = list(dict.fromkeys(session.scalars(
        select(User.id).join(UserRole, UserRole.user_id == User.id)
        .where(User.panel_id == panel_id, UserRole.role.in_(voting)).order_by(User.id))))
    chair = session.scalar(select(User.id).join(UserRole, UserRole.user_id == User.id)
                           .where(User.panel_id == panel_id, UserRole.role == Role.CHAIR).order_by(User.id))
    return members[:VOTERS], chair or members[0]


def _history(rng: random.Random, ids: _Ids, rows: _Rows, session: Session, panel_id: int, *, before: dt.date,
             scale: float) -> None:
    meetings = max(2, round(MEETINGS_PER_ICB * scale))
    reviews = max(meetings, round(REVIEWS_PER_ICB * scale))
    voters, chair = _voters(session, panel_id)
    options = [(option_id, label) for option_id, label in session.execute(
        select(VoteOption.id, VoteOption.label).where(VoteOption.panel_id == panel_id).order_by(VoteOption.position))]
    plan = _Plan(themes=list(session.scalars(select(Theme.id).where(Theme.panel_id == panel_id)
                                             .order_by(Theme.position, Theme.id))),
                 priorities=_priorities(session, panel_id, before), chair=chair)
    days = YEARS * 365 // meetings
    per_meeting = _spread(reviews, meetings)
    number = 0
    for m, count in enumerate(per_meeting):
        on = before - dt.timedelta(days=days * (meetings - m))
        meeting_id = ids.take(Meeting)
        rows.add(Meeting, {"id": meeting_id, "panel_id": panel_id, "title": f"LeDeR governance panel, {on:%B %Y}",
                           "meeting_date": on, "start_time": dt.time(10, 0), "location": "Boardroom (fictional)",
                           "online_link": None, "status": MeetingStatus.HELD, "current_position": None})
        for user_id in voters:
            rows.add(Attendance, {"id": ids.take(Attendance), "meeting_id": meeting_id, "user_id": user_id,
                                  "status": AttendanceStatus.PRESENT_REMOTE if rng.random() < 0.3
                                  else AttendanceStatus.PRESENT_IN_PERSON, "deputy_for_user_id": None})
        rows.add(AgendaItem, _item(ids, meeting_id, 1, AgendaItemKind.WELCOME, "Welcome and apologies"))
        for k in range(count):
            number += 1
            _review(rng, ids, rows, panel_id, meeting_id, 2 + k, on, number, voters, plan, options, before)
        rows.add(AgendaItem, _item(ids, meeting_id, 2 + count, AgendaItemKind.ANY_OTHER_BUSINESS, "Any other business"))


def _spread(total: int, buckets: int) -> Iterator[int]:
    base, extra = divmod(total, buckets)
    return (base + (1 if n < extra else 0) for n in range(buckets))


def _item(ids: _Ids, meeting_id: int, position: int, kind: AgendaItemKind, title: str,
          review_id: int | None = None) -> dict[str, Any]:
    return {"id": ids.take(AgendaItem), "meeting_id": meeting_id, "position": position, "kind": kind,
            "title": title, "review_id": review_id, "status": ItemStatus.DECIDED, "quorum_met": True,
            "quorum_summary": "Quorate.", "quorum_checked_at": None}


@dataclass(frozen=True)
class _Plan:
    """What a panel's history is tagged with: its themes, its strategic priorities, and who records updates."""

    themes: list[int]
    priorities: list[int]
    chair: int


def _priorities(session: Session, panel_id: int, before: dt.date) -> list[int]:
    """The panel's strategic priorities; a panel without any gets three, for the 3 years up to `before`, as
    every ICB has a plan."""
    found = list(session.scalars(select(StrategicPriority.id).where(StrategicPriority.panel_id == panel_id)))
    if found:
        return found
    start = dt.date(before.year - 3 if before.month >= 4 else before.year - 4, 4, 1)
    made = [StrategicPriority(panel_id=panel_id, title=title, plan_start=start,
                              plan_end=dt.date(start.year + 3, 3, 31)) for title in PRIORITY_TITLES]
    session.add_all(made)
    session.flush()
    return [p.id for p in made]


def _completion(rng: random.Random, ids: _Ids, rows: _Rows, action_id: int, due: dt.date, agreed: dt.date,
                before: dt.date, chair: int) -> None:
    """When a done action was marked completed: most by their due date, some late, never after `before`."""
    day = min(max(due + dt.timedelta(days=rng.randint(-45, 30)), agreed + dt.timedelta(days=7)),
              before - dt.timedelta(days=1))
    rows.add(ActionUpdate, {"id": ids.take(ActionUpdate), "action_id": action_id,
                            "at": dt.datetime.combine(day, dt.time(15, 0), tzinfo=dt.UTC), "by_id": chair,
                            "note": "Completed (fictional).", "status": ActionStatus.COMPLETED, "new_due_on": None})


def _review(rng: random.Random, ids: _Ids, rows: _Rows, panel_id: int, meeting_id: int, position: int,
            on: dt.date, number: int, voters: list[int], plan: _Plan, options: list[tuple[int, str]],
            before: dt.date) -> None:
    review_id = ids.take(FocusedReview)
    reference = f"LDR-{on.year}-{5000 + number:04d}"
    rows.add(FocusedReview, {
        "id": review_id, "panel_id": panel_id, "reference": reference, "reviewer_id": None,
        "senior_reviewer_id": None, "summary": "A fictional focused review for measuring the app.",
        "easy_read_summary": "", "age_band": rng.choice(AGE_BANDS), "setting_type": rng.choice(SETTINGS),
        "ethnic_minority": rng.random() < 0.2, "notified_on": on - dt.timedelta(days=rng.randint(90, 200)),
        "presented_on": on, "finished_on": on, "status": ReviewStatus.SIGNED_OFF})
    findings = []
    for position_in_review, kind in enumerate(list(FindingKind)[:FINDINGS_PER_REVIEW], 1):
        finding_id = ids.take(ReviewFinding)
        findings.append(finding_id)
        rows.add(ReviewFinding, {"id": finding_id, "review_id": review_id, "kind": kind,
                                 "position": position_in_review, "text": rng.choice(FINDINGS[kind])})
        if plan.themes:
            rows.add(FindingTheme, {"finding_id": finding_id, "theme_id": rng.choice(plan.themes)})
    item = _item(ids, meeting_id, position, AgendaItemKind.REVIEW, f"Focused review {reference}", review_id)
    rows.add(AgendaItem, item)
    item_id = item["id"]
    _vote(rng, ids, rows, item_id, review_id, on, voters, plan.chair, options)
    agreed_at = dt.datetime.combine(on, dt.time(11, 0), tzinfo=dt.UTC)
    for a in range(ACTIONS_PER_REVIEW):
        due = on + dt.timedelta(days=rng.randint(60, 400))
        action_id, status = ids.take(Action), _action_status(rng, due, before)
        if status in (ActionStatus.COMPLETED, ActionStatus.CLOSED):
            _completion(rng, ids, rows, action_id, due, on, before, plan.chair)
        rows.add(Action, {
            "id": action_id, "panel_id": panel_id, "review_id": review_id, "created_at": agreed_at,
            "description": f"{ACTION_TEXTS[(number + a) % len(ACTION_TEXTS)]} (fictional {reference})",
            "owner_name": f"Service lead {(number + a) % 40 + 1}", "owner_organisation": "Fictional NHS Trust",
            "measure": "Audit report to the panel", "due_on": due, "status": status,
            "finding_id": findings[a % len(findings)], "owner_agreed": True,
            "priority_id": rng.choice(plan.priorities) if plan.priorities and rng.random() < 0.8 else None,
            "is_draft": False, "evidence": ""})


def _action_status(rng: random.Random, due: dt.date, before: dt.date) -> ActionStatus:
    """Most of the past is done and closed; a third of the last year's actions are still open, so some of
    them are overdue, as on a real tracker."""
    if due > before - dt.timedelta(days=365) and rng.random() < 0.33:
        return rng.choice([ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS])
    return ActionStatus.CLOSED if rng.random() < 0.8 else ActionStatus.COMPLETED


def _vote(rng: random.Random, ids: _Ids, rows: _Rows, item_id: int, review_id: int, on: dt.date,
          voters: list[int], chair: int, options: list[tuple[int, str]]) -> None:
    poll_id = ids.take(Poll)
    at = dt.datetime.combine(on, dt.time(10, 30), tzinfo=dt.UTC)
    rows.add(Poll, {"id": poll_id, "agenda_item_id": item_id, "round": 1, "status": PollStatus.CLOSED,
                    "opened_by_id": chair, "opened_at": at, "closed_by_id": chair,
                    "closed_at": at + dt.timedelta(minutes=5), "anonymous": False, "eligible_count": len(voters),
                    "quorum_met": True, "quorum_summary": "Quorate."})
    chosen = [options[0][0] if rng.random() < 0.85 else options[min(1, len(options) - 1)][0] for _ in voters]
    for member, option in zip(voters, chosen, strict=True):
        rows.add(Vote, {"id": ids.take(Vote), "poll_id": poll_id, "member_id": member, "option_id": option,
                        "reason": "", "mode": VoteMode.OWN_DEVICE, "supported_by": None, "recorded_by_id": member,
                        "cast_at": at + dt.timedelta(minutes=2), "changes": 0})
    tally = json.dumps([{"option": label, "count": chosen.count(option_id)} for option_id, label in options])
    rows.add(Decision, {"id": ids.take(Decision), "poll_id": poll_id, "agenda_item_id": item_id,
                        "review_id": review_id, "outcome": DecisionOutcome.SIGNED_OFF, "reasons": "", "tally": tally,
                        "voted_count": len(voters), "eligible_count": len(voters), "quorum_met": True,
                        "quorum_summary": "Quorate.", "decided_by_id": chair,
                        "decided_at": at + dt.timedelta(minutes=6)})


def _reset_sequences(session: Session) -> None:
    """PostgreSQL's id sequences do not see ids counted here; set them past the largest."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in _Rows.ORDER:
        if model is FindingTheme:
            continue  # keyed by its finding and theme: no sequence
        table = model.__tablename__
        session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                             f"COALESCE((SELECT MAX(id) FROM {table}), 1))"))
