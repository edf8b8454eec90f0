"""Benchmark: a meeting with 25 focused reviews and 100 actions exports its minutes in under 1 s.

The meeting is run through the same service functions the pages call (reviews written and sent to the
panel, the agenda built, papers circulated, comments, attendance, declarations, a vote and a decision on
each review, SMART actions, the secretariat's narrative), so the export reads what the app would have
recorded, not a shape made up for the benchmark. Everything in it is fictional and pseudonymised.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from bench import (
    BenchError,
    Figures,
    git_commit,
    load_results,
    machine,
    markdown_table,
    one_line,
    relative,
    update_doc_section,
    utc_now,
    write_result,
)
from db.migrate import upgrade_to_head
from db.models import AgendaItem, FocusedReview, Meeting, StrategicPriority, Theme, User, VoteOption
from db.session import Database
from documents.minutes_docx import minutes_docx
from features.actions.actions import ActionDraft, save_action
from features.meetings.attendance import record_attendance_changes
from features.meetings.declarations import record_declaration
from features.meetings.meetings import add_review_to_agenda, advance_status, create_meeting
from features.meetings.room import mark_ready_for_vote, set_current_item
from features.minutes.minutes import Minutes, build_minutes
from features.people.actors import load_actor
from features.people.passwords import generate_password
from features.reviews.comments import add_comment
from features.reviews.reviews import (
    add_finding,
    create_review,
    load_review,
    mark_ready_for_panel,
    update_summary,
)
from features.voting.decisions import record_decision
from features.voting.voting import cast_vote, close_poll, eligible_voters, open_poll
from operations.demo import REVIEW_STORIES, seed_demo
from rules.actors import Actor
from rules.vocabulary import (
    AgendaItemKind,
    AttendanceStatus,
    DecisionOutcome,
    DeclarationOutcome,
    Feeling,
    FindingKind,
    MeetingStatus,
    VoteMode,
)

NAME = "minutes"
BUDGET_MS = 1000.0
REVIEWS = 25
ACTIONS_PER_REVIEW = 4
# Fixed, so every run records the same meeting (the same actions overdue, the same clocks) and the trend
# compares like with like.
BENCH_TODAY = dt.date(2026, 3, 16)
SECRETARIAT = "admin"  # the minutes are prepared on the Meetings page by the secretariat
SUPPORTER = "Pat, support worker"
ORGANISATION = "Northshire Community Health (fictional)"
INTEREST = f"Employed by {ORGANISATION}"

EXTRA_LEARNING: tuple[str, ...] = (
    "The hospital passport was not updated after a change in medicines.",
    "Reasonable adjustments were agreed in clinic but not written into the care plan.",
    "The annual health check did not look at weight loss over the year.",
    "Staff were not sure who to call when the person became unwell at night.",
    "Easy read letters were not sent before appointments.",
    "A mental capacity assessment was not recorded for a big decision about treatment.",
    "The learning disability liaison nurse was told about the admission late.",
)
EXTRA_CONCERN: tuple[str, ...] = (
    "Nobody checked whether the person understood the change to their care.",
    "Records from different services did not agree about the person's medicines.",
    "The family's worries were written down but not acted on.",
    "Weight loss over six months was not passed on to the GP.",
    "Night staff had not had training in spotting signs of deterioration.",
)
LIVED_VIEWS: tuple[tuple[Feeling, str], ...] = (
    (Feeling.AGREE, "The review listened to the family. That matters."),
    (Feeling.WORRIED, "Staff did not listen when the person said they felt ill."),
    (Feeling.UNSURE, "I am not sure the new checklist will be used on the ward."),
    (Feeling.AGREE, "The Easy Read summary was clear and helped me get ready."),
)
EM_VIEW_MINORITY = ("The family's first language was not English. An interpreter should be booked for every "
                    "appointment, and the review should say whether one was.")
EM_VIEW_OTHER = "I have read this review. I have no concerns about ethnicity or inequalities in it."
NARRATIVES: dict[AgendaItemKind, str] = {
    AgendaItemKind.WELCOME: "The chair welcomed members and thanked the lived-experience members for their "
                            "preparation.",
    AgendaItemKind.REVIEW: "The reviewer presented the review. Members asked how the learning would reach staff "
                           "on the wards. The lived-experience members said the findings matched what families "
                           "tell them.",
    AgendaItemKind.ANY_OTHER_BUSINESS: "There was no other business.",
}

# (what will be done, how we will know, owner, organisation, the finding it answers, strategic priority)
ACTIONS: tuple[tuple[str, str, str, str, FindingKind, int | None], ...] = (
    ("Audit eating and drinking plans in 12 supported-living homes with the community learning disability "
     "nurses.", "Audit report showing the share of homes with a current plan.",
     "Learning disability nurse lead", ORGANISATION, FindingKind.LEARNING, 0),
    ("Train 40 ward staff to recognise soft signs of deterioration in people with a learning disability.",
     "Training list showing 40 staff trained, and a re-audit of overnight escalations.",
     "Practice educator", "Northshire Hospitals NHS Trust (fictional)", FindingKind.CONCERN, 0),
    ("Add the reasonable adjustment flag to the record of every person on the practice learning disability "
     "register.", "Share of records with the flag, from the practice dashboard (target 95%).",
     "Primary care learning disability lead", "Northshire GP Federation (fictional)", FindingKind.LEARNING, 1),
    ("Publish an easy read guide to annual health checks in the five most spoken community languages.",
     "Guide published and 200 copies shared with community groups, shown in the quarterly report.",
     "Equality and inclusion lead", "NHS Northshire ICB (fictional)", FindingKind.CONCERN, None),
)


@contextmanager
def stage(what: str) -> Iterator[None]:
    """Turn whatever goes wrong into one line that says which step it was in."""
    try:
        yield
    except BenchError:
        raise
    except Exception as error:
        raise BenchError(f"{what} failed: {type(error).__name__}: {one_line(error)}") from error


# --- building the meeting -------------------------------------------------------------------------------


class Clock:
    """The meeting's own time: each step a minute after the last, so the record reads like a real morning."""

    def __init__(self, day: dt.date) -> None:
        self._now = dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)

    def tick(self) -> dt.datetime:
        self._now += dt.timedelta(minutes=1)
        return self._now


@dataclass(frozen=True)
class Seeded:
    meeting_id: int
    comparison_meeting_id: int  # the demo's held meeting (3 reviews), to see how the SQL grows per review
    narratives: bool
    seconds: float


def _version(session: Session, model: type[Any], key: int) -> int:
    """The version a person would have seen on the page, for the services' optimistic locking."""
    row = session.get(model, key)
    if row is None:
        raise BenchError(f"{model.__name__} {key} disappeared while seeding")
    return int(row.version_id)


def _prepare_reviews(session: Session, today: dt.date) -> list[int]:
    """The reviewer writes 25 reviews, each with five findings, and sends them to the panel."""
    reviewer = load_actor(session=session, username="reviewer")
    themes = dict(session.execute(select(Theme.name, Theme.id)
                                  .where(Theme.panel_id == reviewer.panel_id)).tuples().all())
    theme_ids = sorted(themes.values())
    review_ids = []
    for n in range(REVIEWS):
        age_band, setting, minority, learning, good, concern = REVIEW_STORIES[n % len(REVIEW_STORIES)]
        review_id = create_review(
            session=session, actor=reviewer, reference=f"LDR-{today.year}-{1001 + n}",
            notified_on=today - dt.timedelta(days=90 + 4 * n), age_band=age_band, setting_type=setting,
            ethnic_minority=minority, reviewer_id=reviewer.user_id, senior_reviewer_id=None, today=today)
        update_summary(session=session, actor=reviewer, review_id=review_id, ethnic_minority=minority,
                       summary=f"Focused review (fictional, for the benchmark). {learning} {concern}",
                       expected_version=_version(session, FocusedReview, review_id))
        findings = (
            (FindingKind.LEARNING, learning, [theme_ids[n % len(theme_ids)]]),
            (FindingKind.LEARNING, EXTRA_LEARNING[n % len(EXTRA_LEARNING)], []),
            (FindingKind.GOOD_PRACTICE, good, []),
            (FindingKind.CONCERN, concern, [themes["Ethnicity and inequalities"]] if minority else []),
            (FindingKind.CONCERN, EXTRA_CONCERN[n % len(EXTRA_CONCERN)], []),
        )
        for kind, text, tags in findings:
            add_finding(session=session, actor=reviewer, review_id=review_id, kind=kind, text=text, theme_ids=tags)
        mark_ready_for_panel(session=session, actor=reviewer, review_id=review_id)
        review_ids.append(review_id)
    return review_ids


def _advance(session: Session, actor: Actor, meeting_id: int) -> None:
    advance_status(session=session, actor=actor, meeting_id=meeting_id,
                   expected_version=_version(session, Meeting, meeting_id))


def _circulate_and_comment(session: Session, review_ids: list[int], today: dt.date) -> int:
    """The secretariat builds the agenda and sends the papers; members say what they think beforehand."""
    admin = load_actor(session=session, username=SECRETARIAT)
    meeting_id = create_meeting(session=session, actor=admin, meeting_date=today, start_time=dt.time(10, 0),
                                location="Room 3, Riverside House (fictional)",
                                online_link="https://example.org/join/leder-panel", today=today)
    for review_id in review_ids:
        add_review_to_agenda(session=session, actor=admin, meeting_id=meeting_id, review_id=review_id)
    _advance(session, admin, meeting_id)  # papers circulated: comments open
    lived, lived2, emlead, member = (load_actor(session=session, username=u)
                                     for u in ("lived", "lived2", "emlead", "member"))
    sign_off = session.scalar(select(VoteOption.id).where(VoteOption.panel_id == admin.panel_id,
                                                          VoteOption.code == "sign_off"))
    minorities = set(session.scalars(select(FocusedReview.id).where(FocusedReview.id.in_(review_ids),
                                                                    FocusedReview.ethnic_minority.is_(True))))
    for n, review_id in enumerate(review_ids):
        feeling, body = LIVED_VIEWS[n % len(LIVED_VIEWS)]
        add_comment(session=session, actor=lived, review_id=review_id, body=body, feeling=feeling,
                    supported_by=SUPPORTER if n % 2 == 0 else None)
        add_comment(session=session, actor=emlead, review_id=review_id,
                    body=EM_VIEW_MINORITY if review_id in minorities else EM_VIEW_OTHER)
        if n % 3 == 0:  # Jo cannot come, so she says now how she would vote
            add_comment(session=session, actor=lived2, review_id=review_id, vote_option_id=sign_off,
                        body="I cannot come to the meeting. I agree with the review.")
        if n % 4 == 1:
            add_comment(session=session, actor=member, review_id=review_id,
                        body="The good practice here is worth sharing with other providers.")
    session.flush()
    return meeting_id


def _record_attendance(session: Session, chair: Actor, meeting_id: int) -> None:
    """Six voting members (so quorate with one recused), Jo's apologies, and the reviewer, secretariat and
    observer in attendance."""
    ids = dict(session.execute(select(User.username, User.id).where(User.panel_id == chair.panel_id)).tuples().all())
    room, online = AttendanceStatus.PRESENT_IN_PERSON, AttendanceStatus.PRESENT_REMOTE
    who = {"chair": room, "vicechair": room, "member": room, "member2": online, "lived": room,
           "lived2": AttendanceStatus.APOLOGIES, "emlead": room, "reviewer": room, SECRETARIAT: room,
           "observer": online}
    record_attendance_changes(session=session, actor=chair, meeting_id=meeting_id,
                              changes={ids[name]: (status, None) for name, status in who.items()})


def _outcome(n: int) -> tuple[DecisionOutcome, str, list[str]]:
    """The decision on the n-th review, its reasons, and the votes before it (the rest vote to sign off)."""
    if n == 12:
        return (DecisionOutcome.ESCALATED, "The same concern about rescue medicine on outings has come up in "
                                           "three reviews across the region.", ["sign_off_with_changes"] * 4)
    if n % 5 == 2:
        return (DecisionOutcome.SIGNED_OFF_WITH_AMENDMENTS, "Add when the eating plan was last reviewed, as a "
                                                            "month and year.", ["sign_off_with_changes"] * 4)
    if n % 7 == 3:
        return DecisionOutcome.SIGNED_OFF, "", ["sign_off"] * 4 + ["not_yet"]
    return DecisionOutcome.SIGNED_OFF, "", ["sign_off"] * 5 + ["abstain"]


def _vote(session: Session, people: dict[int, Actor], admin: Actor, poll_id: int, voters: list[int],
          choices: list[str], options: dict[str, int], n: int, clock: Clock) -> None:
    """Each eligible member votes: Sam with his supporter, Daniel sometimes by phone through the secretariat."""
    for voter, code in zip(voters, choices, strict=False):
        person = people[voter]
        reason = "The review does not yet say what the family told the reviewer." if code == "not_yet" else ""
        common = {"session": session, "poll_id": poll_id, "option_id": options[code], "reason": reason,
                  "now": clock.tick()}
        if person.username == "lived":
            cast_vote(actor=person, mode=VoteMode.SUPPORTER, supported_by=SUPPORTER, **common)
        elif person.username == "member2" and n % 6 == 1:
            cast_vote(actor=admin, member_id=voter, **common)
        else:
            cast_vote(actor=person, **common)


def _agree_actions(session: Session, chair: Actor, review_id: int, priorities: list[int], n: int,
                   clock: Clock, today: dt.date) -> None:
    review = load_review(session, chair, review_id)
    for k, (description, measure, owner, organisation, kind, priority) in enumerate(ACTIONS):
        finding = next(f for f in review.findings if f.kind == kind)
        save_action(session=session, actor=chair, review_id=review.id, as_draft=False, today=today,
                    now=clock.tick(), data=ActionDraft(
                        description=description, measure=measure, owner_name=owner,
                        owner_organisation=organisation, owner_agreed=True, finding_id=finding.id,
                        priority_id=priorities[priority] if priority is not None and priorities else None,
                        due_on=today + dt.timedelta(days=60 + 30 * k + n)))


def _run_meeting(session: Session, meeting_id: int, clock: Clock, today: dt.date) -> None:
    """The chair runs every review item: declarations, ready for the vote, the vote, the decision, actions."""
    chair, admin = load_actor(session=session, username="chair"), load_actor(session=session, username=SECRETARIAT)
    _advance(session, chair, meeting_id)  # in progress
    _record_attendance(session, chair, meeting_id)
    people = {a.user_id: a for a in (load_actor(session=session, username=u)
                                     for u in ("chair", "vicechair", "member", "member2", "lived", "emlead"))}
    member2 = next(uid for uid, a in people.items() if a.username == "member2")
    options = dict(session.execute(select(VoteOption.code, VoteOption.id)
                                   .where(VoteOption.panel_id == chair.panel_id)).tuples().all())
    priorities = list(session.scalars(select(StrategicPriority.id).where(StrategicPriority.panel_id == chair.panel_id)
                                      .order_by(StrategicPriority.id)))
    items = [(i.id, i.review_id) for i in session.scalars(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting_id, AgendaItem.kind == AgendaItemKind.REVIEW)
        .order_by(AgendaItem.position))]
    for n, (item_id, review_id) in enumerate(items):
        set_current_item(session=session, actor=chair, meeting_id=meeting_id, item_id=item_id)
        if n % 5 == 4:  # Daniel works for a provider named in some reviews; once he steps out
            ruling = DeclarationOutcome.RECUSED if n == 9 else DeclarationOutcome.DECLARED_ONLY
            record_declaration(session=session, actor=chair, item_id=item_id, user_id=member2, interest=INTEREST,
                               outcome=ruling)
        mark_ready_for_vote(session=session, actor=chair, meeting_id=meeting_id, item_id=item_id,
                            expected_version=_version(session, AgendaItem, item_id), now=clock.tick(), today=today)
        poll_id = open_poll(session=session, actor=chair, meeting_id=meeting_id, item_id=item_id, now=clock.tick(),
                            today=today, anonymous=n % 8 == 5)
        outcome, reasons, majority = _outcome(n)
        voters = sorted(eligible_voters(session, chair, meeting_id, item_id))
        voters = voters[n % len(voters):] + voters[:n % len(voters)]  # not always the same person in the minority
        _vote(session, people, admin, poll_id, voters, majority + ["sign_off"] * len(voters), options, n, clock)
        close_poll(session=session, actor=chair, poll_id=poll_id, now=clock.tick())
        record_decision(session=session, actor=chair, poll_id=poll_id, outcome=outcome, reasons=reasons,
                        now=clock.tick())
        _agree_actions(session, chair, review_id, priorities, n, clock, today)
    _advance(session, chair, meeting_id)  # held


def _write_narratives(session: Session, meeting_id: int, clock: Clock) -> bool:
    """The secretariat writes up each item after the meeting. The minutes workflow is still being built;
    without its service the minutes are timed with no narrative, and the result says so."""
    try:
        from features.minutes.workflow import save_narrative
    except ImportError:
        return False
    admin = load_actor(session=session, username=SECRETARIAT)
    for item in session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
                                .order_by(AgendaItem.position)):
        if item.kind in NARRATIVES:
            save_narrative(session=session, actor=admin, item_id=item.id, text=NARRATIVES[item.kind],
                           expected_version=0, now=clock.tick())
    return True


def seed(db: Database) -> Seeded:
    """The fictional demo, then the benchmark's large held meeting on the demo panel."""
    started = time.perf_counter()
    with stage("seeding the demo data"), db.unit_of_work() as session:
        seed_demo(session=session, password=generate_password(), today=BENCH_TODAY,
                  bcrypt_rounds=4)  # the cheapest cost: hashing is not what is measured
    clock = Clock(BENCH_TODAY)
    with stage("seeding the benchmark meeting"), db.unit_of_work() as session:
        review_ids = _prepare_reviews(session, BENCH_TODAY)
        meeting_id = _circulate_and_comment(session, review_ids, BENCH_TODAY)
        _run_meeting(session, meeting_id, clock, BENCH_TODAY)
        narratives = _write_narratives(session, meeting_id, clock)
        comparison = session.scalar(select(Meeting.id).where(Meeting.status == MeetingStatus.HELD,
                                                             Meeting.id != meeting_id).order_by(Meeting.id).limit(1))
    if comparison is None:
        raise BenchError("the demo data has no held meeting to compare with; has operations/demo.py changed?")
    return Seeded(meeting_id, comparison, narratives, time.perf_counter() - started)


# --- measuring ------------------------------------------------------------------------------------------


class StatementCounter:
    """Counts the SQL statements sent while it is on; the BEGIN that opens each unit of work is left out."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statements: Counter[str] = Counter()

    def _seen(self, _conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            self.statements[" ".join(statement.split())] += 1

    def __enter__(self) -> StatementCounter:
        event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)

    @property
    def total(self) -> int:
        return sum(self.statements.values())

    def per_review(self) -> list[dict[str, Any]]:
        """Statements run once or more per review section: where an export's time grows with the agenda."""
        return [{"times": n, "sql": _short(sql)} for sql, n in self.statements.most_common(12) if n >= REVIEWS]


_SELECT_LIST = re.compile(r"^SELECT .*? FROM ", re.IGNORECASE)


def _short(sql: str, limit: int = 150) -> str:
    """'SELECT … FROM focused_reviews WHERE …', short enough to read."""
    text = _SELECT_LIST.sub("SELECT … FROM ", sql, count=1)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class EasyRead:
    """The Easy Read builder and Word writer, each None until the modules being written exist."""

    build: Callable[..., Any] | None
    docx: Callable[[Any], bytes] | None
    missing: tuple[str, ...]


def _easy_read() -> EasyRead:
    build = docx = None
    missing = []
    try:
        from features.minutes.easy_read import build_easy_read_minutes as build
    except ImportError as error:
        missing.append(f"Easy Read builder not available ({one_line(error)})")
    try:
        from documents.easy_read_docx import easy_read_docx as docx
    except ImportError as error:
        missing.append(f"Easy Read Word file not available ({one_line(error)})")
    return EasyRead(build, docx, tuple(missing))


Work = Callable[[Session, Actor], Any]


def _in_fresh_unit(db: Database, work: Work) -> tuple[float, Any]:
    """One run as a page does it: a new read-only unit of work and the secretariat loaded fresh. Only `work`
    is timed, so the figure is the export itself."""
    with db.unit_of_work(read_only=True) as session:
        actor = load_actor(session=session, username=SECRETARIAT)
        started = time.perf_counter()
        result = work(session, actor)
        return (time.perf_counter() - started) * 1000, result


def _repeat(db: Database, runs: int, work: Work) -> Figures:
    return Figures.of([_in_fresh_unit(db, work)[0] for _ in range(runs)])


def timed_runs(runs: int, work: Callable[[], Any]) -> Figures:
    """Milliseconds for `runs` calls of `work`, which needs no database session of its own."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return Figures.of(samples)


def count_minutes(minutes: Minutes) -> dict[str, int]:
    reviews = [s for s in minutes.sections if s.heading.startswith("Focused review ")]
    return {"sections": len(minutes.sections), "review_sections": len(reviews),
            "action_rows": sum(len(s.table.rows) for s in reviews if s.table),
            "all_action_rows": sum(len(s.table.rows) for s in minutes.sections if s.table)}


def _count_easy_read(minutes: Any) -> dict[str, int]:
    """Counted loosely: the Easy Read builder is new, so a renamed heading warns rather than stops the run."""
    reviews = [s for s in getattr(minutes, "sections", ()) if str(getattr(s, "heading", "")).startswith("Review ")]
    jobs = sum(max(0, len(b.sentences) - 1) for s in reviews for b in s.blocks if getattr(b, "icon", "") == "action")
    return {"review_sections": len(reviews), "jobs": jobs}


def _measure_easy_read(db: Database, meeting_id: int, runs: int, timings: dict[str, Figures],
                       sql: dict[str, Any]) -> dict[str, Any]:
    easy = _easy_read()
    result: dict[str, Any] = {"builder": easy.build is not None, "docx": easy.docx is not None,
                              "missing": list(easy.missing)}
    if easy.build is None:
        return result
    build_easy = easy.build

    def build(session: Session, actor: Actor) -> Any:
        return build_easy(session=session, actor=actor, meeting_id=meeting_id, today=BENCH_TODAY)

    with stage("building the Easy Read minutes"):
        _, minutes = _in_fresh_unit(db, build)
        with StatementCounter(db.engine) as counter:
            _in_fresh_unit(db, build)
        sql["per_easy_read_export"] = counter.total
        result.update(_count_easy_read(minutes))
        timings["easy_read_build"] = _repeat(db, runs, build)
    if easy.docx is None:
        return result
    write = easy.docx
    with stage("writing the Easy Read Word file"):
        result["docx_bytes"] = len(write(minutes))
        timings["easy_read_docx"] = timed_runs(runs, lambda: write(minutes))
        timings["easy_read_export"] = _repeat(db, runs, lambda s, a: write(build(s, a)))
    return result


def measure(db: Database, seeded: Seeded, runs: int) -> dict[str, Any]:
    """Time (a) build_minutes, (b) minutes_docx, (c) both as one export, then the Easy Read equivalents."""

    def build(session: Session, actor: Actor, meeting_id: int = seeded.meeting_id) -> Minutes:
        return build_minutes(session=session, actor=actor, meeting_id=meeting_id, today=BENCH_TODAY)

    def export(session: Session, actor: Actor) -> bytes:
        return minutes_docx(build(session, actor))

    with stage("exporting the minutes"):
        first_ms, payload = _in_fresh_unit(db, export)  # cold: nothing compiled or cached yet; not in the figures
        _, minutes = _in_fresh_unit(db, build)
        counts = count_minutes(minutes)
        expected = (REVIEWS, REVIEWS * ACTIONS_PER_REVIEW)
        if (counts["review_sections"], counts["action_rows"]) != expected:
            raise BenchError(f"the minutes hold {counts['review_sections']} review sections and "
                             f"{counts['action_rows']} action rows, not {expected[0]} and {expected[1]}, so the "
                             "benchmark would measure less than it says")
        with StatementCounter(db.engine) as counter:
            _in_fresh_unit(db, build)
        with StatementCounter(db.engine) as small:
            _, small_minutes = _in_fresh_unit(db, lambda s, a: build(s, a, seeded.comparison_meeting_id))
        small_reviews = count_minutes(small_minutes)["review_sections"]
        timings = {"build_minutes": _repeat(db, runs, build),
                   "minutes_docx": timed_runs(runs, lambda: minutes_docx(minutes)),
                   "export": _repeat(db, runs, export)}
    sql: dict[str, Any] = {
        "per_export": counter.total,
        "per_export_demo_meeting": small.total,
        "demo_meeting_reviews": small_reviews,
        "per_extra_review": round((counter.total - small.total) / (REVIEWS - small_reviews), 1)
        if small_reviews != REVIEWS else None,
        "repeated_per_review": counter.per_review(),
    }
    easy_read = _measure_easy_read(db, seeded.meeting_id, runs, timings, sql)
    return {"counts": counts, "docx_bytes": len(payload), "first_export_ms": round(first_ms, 2),
            "timings": timings, "sql": sql, "easy_read": easy_read}


# --- the scenario ---------------------------------------------------------------------------------------


def _measure_in_throwaway_database(runs: int) -> tuple[Seeded, dict[str, Any]]:
    """Migrate, seed and measure a SQLite file (WAL, as the app runs) in a temporary folder that is always
    removed afterwards, whatever happened."""
    with tempfile.TemporaryDirectory(prefix="leder-bench-", ignore_cleanup_errors=True) as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        with stage("migrating the temporary database"):
            upgrade_to_head(url)
        db = Database.from_url(url)
        try:
            seeded = seed(db)
            return seeded, measure(db, seeded, runs)
        finally:
            db.dispose()


def run(*, runs: int = 20) -> bool:
    """Seed, measure, save the result, refresh the trend table and print a summary. True if within budget."""
    when = utc_now()
    seeded, figures = _measure_in_throwaway_database(runs)
    export: Figures = figures["timings"]["export"]
    met = export.p95 < BUDGET_MS
    payload = {
        "benchmark": NAME,
        "claim": f"a meeting with {REVIEWS} reviews and {REVIEWS * ACTIONS_PER_REVIEW} actions exports its minutes "
                 f"in under {BUDGET_MS / 1000:g} s",
        "date": when.isoformat().replace("+00:00", "Z"),
        "commit": git_commit(),
        "machine": machine(),
        "runs": runs,
        "budget_ms": BUDGET_MS,
        "budget_judged_on": "p95 of export",
        "budget_met": met,
        "meeting": {"reviews": REVIEWS, "actions": REVIEWS * ACTIONS_PER_REVIEW, "narratives": seeded.narratives,
                    **figures["counts"], "docx_bytes": figures["docx_bytes"]},
        "seed_seconds": round(seeded.seconds, 2),
        "first_export_ms": figures["first_export_ms"],
        "timings_ms": {name: f.to_json() for name, f in figures["timings"].items()},
        "sql_statements": figures["sql"],
        "easy_read": figures["easy_read"],
    }
    with stage("saving the result"):
        path = write_result(NAME, when, payload)
        doc = update_doc_section(NAME, trend_table(load_results(NAME)), DOC_TEMPLATE)
    print(summary(payload, figures["timings"]))
    print(f"Saved {relative(path)}; trend table in {relative(doc)}.")
    return met


LABELS = {"build_minutes": "(a) build_minutes", "minutes_docx": "(b) minutes_docx",
          "export": "(c) export: both", "easy_read_build": "(d) Easy Read build",
          "easy_read_docx": "(d) Easy Read Word file", "easy_read_export": "(d) Easy Read export"}


def summary(payload: dict[str, Any], timings: dict[str, Figures]) -> str:
    meeting, sql, easy = payload["meeting"], payload["sql_statements"], payload["easy_read"]
    runs = f"{payload['runs']} run" + ("s" if payload["runs"] != 1 else "")
    lines = [f"Minutes export: {meeting['reviews']} reviews, {meeting['actions']} actions, {runs} each (ms)",
             f"  {'':28}{'median':>9}{'p95':>9}{'max':>9}"]
    for key, label in LABELS.items():
        if key in timings:
            f = timings[key]
            verdict = (f"   budget {BUDGET_MS:g} ms on p95: {'PASS' if payload['budget_met'] else 'FAIL'}"
                       if key == "export" else "")
            lines.append(f"  {label:28}{f.median:9.1f}{f.p95:9.1f}{f.max:9.1f}{verdict}")
    lines += [f"  {message}" for message in easy["missing"]]
    lines.append(f"Minutes: {meeting['review_sections']} review sections, {meeting['action_rows']} action rows "
                 f"({meeting['all_action_rows']} with the action log); Word file {meeting['docx_bytes']:,} bytes; "
                 f"first, cold export {payload['first_export_ms']:.0f} ms"
                 + ("" if meeting["narratives"] else "; no narrative (minutes workflow not available)") + ".")
    if "review_sections" in easy:
        lines.append(f"Easy Read: {easy['review_sections']} review sections, {easy['jobs']} jobs"
                     + (f"; Word file {easy['docx_bytes']:,} bytes" if "docx_bytes" in easy else "")
                     + ("" if (easy["review_sections"], easy["jobs"]) == (meeting["reviews"], meeting["actions"])
                        else f" (warning: expected {meeting['reviews']} and {meeting['actions']})") + ".")
    growth = (f"; the demo meeting with {sql['demo_meeting_reviews']} reviews: {sql['per_export_demo_meeting']}, "
              f"so about {sql['per_extra_review']:g} more per review" if sql["per_extra_review"] is not None else "")
    easy_sql = f"; Easy Read: {sql['per_easy_read_export']}" if "per_easy_read_export" in sql else ""
    lines.append(f"SQL statements per export: {sql['per_export']}{growth}{easy_sql}.")
    lines.append(f"Seeded through the services in {payload['seed_seconds']:.1f} s.")
    return "\n".join(lines)


def trend_table(results: list[dict[str, Any]]) -> str:
    rows = []
    for r in results:
        try:
            export, m = r["timings_ms"]["export"], r.get("machine", {})
            rows.append((r["date"].replace("T", " ").replace("Z", ""), f"`{r.get('commit') or 'unknown'}`",
                         f"{m.get('platform', '?')}, {m.get('cpu_count', '?')} CPUs, Python {m.get('python', '?')}",
                         f"{export['median']:.0f}", f"{export['p95']:.0f}",
                         str(r.get("sql_statements", {}).get("per_export", "?")),
                         "yes" if r.get("budget_met") else "**no**"))
        except (KeyError, TypeError, AttributeError, ValueError):
            continue  # a result from an older layout: left out of the table, still in bench/results/
    if not rows:
        return "No results yet: run `make bench`."
    return markdown_table(("Date (UTC)", "Commit", "Machine", "Median (ms)", "p95 (ms)", "SQL statements",
                           "Under 1 s"), rows)


DOC_TEMPLATE = """# Performance

What people wait for, measured by `make bench`. The benchmarks are not part of `make test`, because their
timings depend on the machine. Each one migrates a throwaway SQLite database (WAL, as the app runs it),
adds the fictional demo data and what the benchmark needs through the app's own services, times the work
over several runs (20 unless `--runs` says otherwise), and writes a JSON result to `bench/results/`. The
tables below are made again from those files on every run, oldest first; keep a result in git when it
tells the team something, such as a new machine or a change that moves the figures.

To reproduce: `make bench`, or `.venv/bin/python -m bench --only minutes --runs 50`.
`-dirty` after a commit means the result was measured on uncommitted changes.

## Minutes export

Budget: a meeting with 25 focused reviews and 100 SMART actions exports its minutes (`build_minutes`
and then `minutes_docx`, each run in a fresh read-only unit of work, as the minutes page does through
`minutes_for_export`) in under 1 s, judged on the 95th percentile of the runs. The meeting is run
through the services: attendance, declarations, pre-meeting comments from lived-experience members and
the ethnic minority lead, a closed vote and a decision on each review, four actions each and the
secretariat's narrative. The JSON also has `build_minutes` and `minutes_docx` on their own, the Easy
Read minutes when they exist, the size of the Word file, and the number of SQL statements per export.

<!-- bench:minutes:start -->
<!-- bench:minutes:end -->
"""
