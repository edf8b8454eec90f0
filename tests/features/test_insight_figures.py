"""The insight figures on a small panel whose every number is counted by hand below.

Financial year 2026/27 (1 April 2026 to 31 March 2027), today 7 December 2026, target 6 months:
  R1 notified 10 Apr 2026, signed off 1 Jun 2026 (Q1, in time); ethnicity flagged, the lead's view recorded
  R2 notified 20 May 2026, paused all June (30 days), signed off 1 Dec 2026 (Q3): due 20 Dec, in time
  R3 notified 15 Jan 2026 (last year), signed off 10 Aug 2026 (Q2): due 15 Jul, late
  R4 notified 1 Jul 2026 (Q2), open, due 1 Jan 2027: not past its clock
  R5 notified 1 Feb 2026 (last year), open, due 1 Aug 2026: past its clock now
  R7 notified 2 Oct 2026 (Q3), returned (not a sign-off); ethnicity flagged, no view from the lead
Received 2 / 1 / 1 / 0; signed off 1 / 1 / 1 / 0, of which in time 1 / 0 / 1 / 0.
Themes of signed-off reviews only: learning A 2, B 2; good practice C 1; concern A 1 (R7's theme C is not counted).
Actions agreed in the year (drafts and last year's left out): X1 completed 20 Aug, due 1 Sep (in time), X2
completed 15 Oct, due 1 Oct (late), X3 in progress and overdue, X4 not started; X5 (agreed in March, overdue)
counts only as overdue now; X6 is a draft. Priority 'Health checks' on X1, X2, X4.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from db.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Decision,
    FocusedReview,
    Meeting,
    Poll,
    ReviewComment,
    ReviewFinding,
    ReviewPause,
    StrategicPriority,
    Theme,
)
from db.session import Database
from features.insight.figures import Count, ThemeCount, figures
from features.insight.plan import action_plan
from features.panel_settings.panels import create_panel
from features.people.actors import load_actor
from features.people.users import create_user_in_panel
from rules.actors import Actor
from rules.periods import financial_year
from rules.vocabulary import (
    ActionStatus,
    AgendaItemKind,
    CommentStage,
    DecisionOutcome,
    FindingKind,
    MeetingStatus,
    PauseReason,
    PollStatus,
    ReviewStatus,
    Role,
)

TODAY = dt.date(2026, 12, 7)
D = dt.date


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(11, 0), tzinfo=dt.UTC)


@dataclass(frozen=True)
class Built:
    chair: Actor
    themes: tuple[str, str, str]  # the names of themes A, B and C above


@pytest.fixture
def panel(db: Database) -> Built:
    """The panel above, built row by row, and its chair as the actor."""
    with db.unit_of_work() as session:
        made = create_panel(session=session, icb_code="QXX", icb_name="Testshire ICB (fictional)",
                            panel_name="Testshire LeDeR Panel")
        chair = create_user_in_panel(session=session, panel_id=made.id, username="tchair", name="Test Chair",
                                     email="tchair@example.org", roles=[Role.CHAIR], password_hash="x")
        themes = {t.name: t for t in session.query(Theme).filter_by(panel_id=made.id)}
        a, b, c = (themes[n] for n in sorted(themes)[:3])
        meeting = Meeting(panel_id=made.id, title="Panel", meeting_date=D(2026, 6, 1), status=MeetingStatus.HELD)
        session.add(meeting)
        reviews: dict[str, FocusedReview] = {}
        for ref, notified, status, flagged in [
            ("R1", D(2026, 4, 10), ReviewStatus.SIGNED_OFF, True),
            ("R2", D(2026, 5, 20), ReviewStatus.SIGNED_OFF, False),
            ("R3", D(2026, 1, 15), ReviewStatus.SIGNED_OFF, False),
            ("R4", D(2026, 7, 1), ReviewStatus.IN_PROGRESS, False),
            ("R5", D(2026, 2, 1), ReviewStatus.IN_PROGRESS, False),
            ("R7", D(2026, 10, 2), ReviewStatus.RETURNED, True),
        ]:
            reviews[ref] = FocusedReview(panel_id=made.id, reference=f"LDR-2026-9{ref[1]}00", age_band="35-44",
                                         notified_on=notified, status=status, ethnic_minority=flagged)
        session.add_all(reviews.values())
        session.flush()
        for n, (ref, day, outcome) in enumerate([("R1", D(2026, 6, 1), DecisionOutcome.SIGNED_OFF),
                                                 ("R2", D(2026, 12, 1), DecisionOutcome.SIGNED_OFF_WITH_AMENDMENTS),
                                                 ("R3", D(2026, 8, 10), DecisionOutcome.SIGNED_OFF),
                                                 ("R7", D(2026, 11, 1), DecisionOutcome.RETURNED)], start=1):
            item = AgendaItem(meeting_id=meeting.id, position=n, kind=AgendaItemKind.REVIEW, title=ref,
                              review_id=reviews[ref].id)
            session.add(item)
            session.flush()
            poll = Poll(agenda_item_id=item.id, status=PollStatus.CLOSED, opened_by_id=chair.id, opened_at=_at(day))
            session.add(poll)
            session.flush()
            session.add(Decision(poll_id=poll.id, agenda_item_id=item.id, review_id=reviews[ref].id, outcome=outcome,
                                 tally="[]", voted_count=5, eligible_count=5, quorum_met=True, quorum_summary="Quorate",
                                 decided_by_id=chair.id, decided_at=_at(day)))
        session.add(ReviewPause(review_id=reviews["R2"].id, starts_on=D(2026, 6, 1), ends_on=D(2026, 6, 30),
                                reason=PauseReason.SAFEGUARDING))
        session.add(ReviewComment(review_id=reviews["R1"].id, author_id=chair.id, stage=CommentStage.BEFORE_MEETING,
                                  as_role=Role.ETHNIC_MINORITY_LEAD, body="The lead's view.",
                                  created_at=_at(D(2026, 5, 1))))
        for ref, kind, tagged in [("R1", FindingKind.LEARNING, [a, b]), ("R1", FindingKind.CONCERN, [a]),
                                  ("R2", FindingKind.LEARNING, [a]), ("R2", FindingKind.GOOD_PRACTICE, [c]),
                                  ("R3", FindingKind.LEARNING, [b]), ("R7", FindingKind.LEARNING, [c])]:
            session.add(ReviewFinding(review_id=reviews[ref].id, kind=kind, text="A finding.", themes=tagged))
        priority = StrategicPriority(panel_id=made.id, title="Health checks", plan_start=D(2026, 4, 1),
                                     plan_end=D(2029, 3, 31))
        session.add(priority)
        session.flush()
        for name, created, due, status, org, with_priority, draft, completed in [
            ("X1", D(2026, 5, 1), D(2026, 9, 1), ActionStatus.COMPLETED, "Org A", True, False, D(2026, 8, 20)),
            ("X2", D(2026, 6, 1), D(2026, 10, 1), ActionStatus.COMPLETED, "Org B", True, False, D(2026, 10, 15)),
            ("X3", D(2026, 7, 1), D(2026, 11, 1), ActionStatus.IN_PROGRESS, "Org A", False, False, None),
            ("X4", D(2026, 8, 1), D(2027, 2, 1), ActionStatus.NOT_STARTED, "Org A", True, False, None),
            ("X5", D(2026, 3, 1), D(2026, 6, 1), ActionStatus.NOT_STARTED, "Org C", False, False, None),
            ("X6", D(2026, 9, 1), D(2027, 1, 1), ActionStatus.NOT_STARTED, "Org C", False, True, None),
        ]:
            action = Action(panel_id=made.id, review_id=reviews["R1"].id, description=name, owner_name="Lead",
                            owner_organisation=org, due_on=due, status=status, is_draft=draft,
                            priority_id=priority.id if with_priority else None, created_at=_at(created))
            session.add(action)
            session.flush()
            if completed:
                session.add(ActionUpdate(action_id=action.id, at=_at(completed), by_id=chair.id, note="Done.",
                                         status=ActionStatus.COMPLETED))
        theme_names = (a.name, b.name, c.name)
    with db.unit_of_work(read_only=True) as session:
        return Built(chair=load_actor(session=session, username="tchair"), themes=theme_names)


def test_review_figures_by_quarter(db: Database, panel: Built) -> None:
    with db.unit_of_work(read_only=True) as session:
        found = figures(session=session, actor=panel.chair, period=financial_year(2026), today=TODAY)
    assert [(q.received, q.signed_off, q.signed_off_in_time) for q in found.quarters] == [
        (2, 1, 1), (1, 1, 0), (1, 1, 1), (0, 0, 0)]
    assert (found.received, found.signed_off, found.signed_off_in_time) == (4, 3, 2)
    assert [q.in_time_percent for q in found.quarters] == [100, 0, 100, None]
    assert found.past_clock_now == 1
    assert (found.flagged_received, found.flagged_with_lead_view) == (2, 1)


def test_themes_come_from_the_reviews_signed_off_in_the_period(db: Database, panel: Built) -> None:
    a, b, c = panel.themes
    with db.unit_of_work(read_only=True) as session:
        found = figures(session=session, actor=panel.chair, period=financial_year(2026), today=TODAY)
    assert found.themes == (ThemeCount("Area of learning", a, 2), ThemeCount("Area of learning", b, 2),
                            ThemeCount("Good practice", c, 1), ThemeCount("Area of concern", a, 1))


def test_action_figures(db: Database, panel: Built) -> None:
    with db.unit_of_work(read_only=True) as session:
        found = figures(session=session, actor=panel.chair, period=financial_year(2026), today=TODAY)
    assert found.actions_by_status == (Count("Not started", 1), Count("In progress", 1), Count("Completed", 2),
                                       Count("Closed by the panel", 0))
    assert found.actions_by_priority == (Count("Health checks", 3), Count("No strategic priority", 1))
    assert found.actions_by_organisation == (Count("Org A", 3), Count("Org B", 1))
    assert found.overdue_now == 2
    assert (found.completed_in_time, found.completed) == (1, 2)


def test_another_year_shows_nothing_of_this_one(db: Database, panel: Built) -> None:
    with db.unit_of_work(read_only=True) as session:
        found = figures(session=session, actor=panel.chair, period=financial_year(2024), today=TODAY)
    assert found.is_empty and found.themes == () and found.received == 0


def test_the_local_action_plan_by_priority_and_plan_year(db: Database, panel: Built) -> None:
    """Health checks runs 2026/27 to 2028/29. Its actions: X1 due Sep 2026 done, X2 due Oct 2026 done, X4 due
    Feb 2027 not started: all three fall in 2026/27, two done. X3, X5 and the draft X6 have no priority."""
    with db.unit_of_work(read_only=True) as session:
        plans = action_plan(session=session, actor=panel.chair)
    assert [(p.title, p.total, p.done) for p in plans] == [("Health checks", 3, 2)]
    plan = plans[0]
    assert [(y.label, y.due, y.done) for y in plan.years] == [("2026/27", 3, 2), ("2027/28", 0, 0), ("2028/29", 0, 0)]
    assert [r.action for r in plan.rows] == ["X4", "X2", "X1"]  # the latest due first
    assert plan.rows[0].status.startswith("Not started (due ") and plan.rows[0].outcome == "Not done yet"
    assert plan.rows[2].learning == "Not linked to a finding" and plan.rows[2].outcome == "Not recorded"
