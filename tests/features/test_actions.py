"""SMART actions: saving (SMART, or a draft), bad input in words, updates with history, new dates with
reasons, the tracker's filters, overdue actions back on the agenda, and the export guard."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Callable

import openpyxl
import pytest
from sqlalchemy import select

from db.models import FocusedReview, Meeting
from db.session import Database
from documents.action_log import actions_csv, actions_xlsx, neutralise
from features.actions.actions import (
    OPEN_STATUSES,
    ActionDraft,
    ActionFilter,
    ActionRow,
    TrackerView,
    add_strategic_priority,
    agree_new_date,
    count_actions,
    linkable_findings,
    list_actions,
    overdue_actions,
    save_action,
    update_action,
)
from features.audit.audit import audit_trail
from features.meetings.meetings import load_meeting
from features.reviews.escalations import EscalationStatus, escalate, escalation_log, record_response
from rules.actors import Actor
from rules.errors import Conflict, Invalid, NotAllowed
from rules.vocabulary import ActionStatus, MeetingStatus, ReviewStatus
from tests.conftest import DEMO_TODAY

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
Who = Callable[[str], Actor]


def _review(db: Database, ending: str) -> int:
    with db.unit_of_work(read_only=True) as session:
        return session.scalars(select(FocusedReview.id).where(FocusedReview.reference.endswith(ending))).one()


def _good(db: Database, actor: Who, review_id: int, **changes: object) -> ActionDraft:
    with db.unit_of_work(read_only=True) as session:
        concern = next(i for i, text in linkable_findings(session=session, actor=actor("chair"),
                                                          review_id=review_id).items() if "concern" in text)
    values = dict(description="Audit eating and drinking plans in all 12 supported-living homes each quarter",
                  measure="Audit report with the share of homes with a current plan", owner_name="Nurse lead",
                  owner_organisation="Northshire Community Health (fictional)", owner_agreed=True,
                  finding_id=concern, priority_id=None, due_on=DEMO_TODAY + dt.timedelta(days=90))
    values.update(changes)
    return ActionDraft(**values)


def _save(db: Database, actor: Who, review_id: int, data: ActionDraft, *, draft: bool = False,
          who: str = "chair") -> int:
    with db.unit_of_work() as session:
        return save_action(session=session, actor=actor(who), review_id=review_id, data=data, as_draft=draft,
                           today=DEMO_TODAY, now=NOW)


def _rows(db: Database, actor: Who, who: str = "chair", **wanted: object):
    with db.unit_of_work(read_only=True) as session:
        return list_actions(session=session, actor=actor(who), today=DEMO_TODAY,
                            wanted=ActionFilter(**wanted) if wanted else None)


def test_a_smart_action_is_saved_and_a_weak_one_only_as_a_draft(db: Database, actor: Who) -> None:
    review = _review(db, "0109")
    new = _save(db, actor, review, _good(db, actor, review))
    weak = _good(db, actor, review, description="Raise awareness of eating plans", owner_agreed=False)
    with pytest.raises(Invalid, match=r"only be saved as a draft\. S: 'raise awareness' is vague.* A: The owner"):
        _save(db, actor, review, weak)
    draft = _save(db, actor, review, weak, draft=True)
    rows = {r.id: r for r in _rows(db, actor)}
    assert rows[new].status_in_words == "Not started" and not rows[new].is_draft
    assert rows[new].finding.startswith("Area of concern: ")
    assert rows[draft].status_in_words == "Draft: not started"


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"due_on": DEMO_TODAY - dt.timedelta(days=1)}, "is in the past"),
     ({"owner_name": " "}, "Name the owner"),
     ({"description": "x" * 100_000}, "too long"),
     ({"measure": "ok\x1b[2J"}, "control characters")],
)
def test_bad_actions_are_refused_in_words_even_as_drafts(db: Database, actor: Who, changes: dict,
                                                         message: str) -> None:
    review = _review(db, "0109")
    before = len(_rows(db, actor))
    with pytest.raises(Invalid, match=message):
        _save(db, actor, review, _good(db, actor, review, **changes), draft=True)
    assert len(_rows(db, actor)) == before


def test_members_cannot_add_actions(db: Database, actor: Who) -> None:
    review = _review(db, "0109")
    with pytest.raises(NotAllowed):
        _save(db, actor, review, _good(db, actor, review), who="lived")


def test_an_action_on_a_signed_off_review_is_allowed_and_recorded(db: Database, actor: Who) -> None:
    review = _review(db, "0101")  # signed off at the demo's approved meeting
    with db.unit_of_work(read_only=True) as session:
        assert session.get(FocusedReview, review).status == ReviewStatus.SIGNED_OFF
    _save(db, actor, review, _good(db, actor, review))
    with db.unit_of_work(read_only=True) as session:
        log = audit_trail(session=session, actor=actor("admin"), subject="review LDR-2026-0101")
    assert log[0].action == "action on a signed-off review"


def test_updates_keep_a_dated_history_and_two_people_at_once_are_told(db: Database, actor: Who) -> None:
    review = _review(db, "0109")
    action_id = _save(db, actor, review, _good(db, actor, review))
    version = next(r.version_id for r in _rows(db, actor) if r.id == action_id)
    with db.unit_of_work() as session:
        update_action(session=session, actor=actor("reviewer"), action_id=action_id,
                      status=ActionStatus.IN_PROGRESS, note="Two homes audited.", evidence="", now=NOW,
                      expected_version=version)
    with pytest.raises(Conflict), db.unit_of_work() as session:  # a second tab, written against the old version
        update_action(session=session, actor=actor("admin"), action_id=action_id, status=ActionStatus.IN_PROGRESS,
                      note="Also two homes.", evidence="", now=NOW, expected_version=version)
    row = next(r for r in _rows(db, actor) if r.id == action_id)
    with pytest.raises(Invalid, match="evidence"), db.unit_of_work() as session:
        update_action(session=session, actor=actor("reviewer"), action_id=action_id, status=ActionStatus.COMPLETED,
                      note="", evidence="", now=NOW, expected_version=row.version_id)
    with pytest.raises(NotAllowed, match="Only the panel closes"), db.unit_of_work() as session:
        update_action(session=session, actor=actor("reviewer"), action_id=action_id, status=ActionStatus.CLOSED,
                      note="", evidence="Report", now=NOW, expected_version=row.version_id)
    assert row.history == ("23 Nov 2026, Chris Walker: Two homes audited.",)


def test_overdue_actions_come_back_and_a_new_date_needs_a_reason(db: Database, actor: Who) -> None:
    with db.unit_of_work(read_only=True) as session:
        overdue = overdue_actions(session=session, actor=actor("chair"), today=DEMO_TODAY)
    assert len(overdue) == 2 and all(r.overdue for r in overdue)  # the demo's two overdue actions
    first = overdue[0]
    with pytest.raises(Invalid, match="Say why"), db.unit_of_work() as session:
        agree_new_date(session=session, actor=actor("chair"), action_id=first.id,
                       new_due_on=DEMO_TODAY + dt.timedelta(days=30), reason=" ", today=DEMO_TODAY, now=NOW,
                       expected_version=first.version_id)
    with db.unit_of_work() as session:
        agree_new_date(session=session, actor=actor("chair"), action_id=first.id,
                       new_due_on=DEMO_TODAY + dt.timedelta(days=30), reason="The audit tool arrived late.",
                       today=DEMO_TODAY, now=NOW, expected_version=first.version_id)
    with db.unit_of_work(read_only=True) as session:
        still = overdue_actions(session=session, actor=actor("chair"), today=DEMO_TODAY)
    assert [r.id for r in still] == [overdue[1].id]
    changed = next(r for r in _rows(db, actor) if r.id == first.id)
    assert "The audit tool arrived late." in changed.history[-1] and "(was " in changed.history[-1]


def test_tracker_filters(db: Database, actor: Who) -> None:
    review = _review(db, "0109")
    with db.unit_of_work() as session:
        priority = add_strategic_priority(session=session, actor=actor("admin"), title="Healthy eating and drinking",
                                          plan_start=dt.date(2025, 4, 1), plan_end=dt.date(2028, 3, 31))
    mine = _save(db, actor, review, _good(db, actor, review, owner_name="Priya Shah", priority_id=priority,
                                          owner_organisation="Southvale Trust (fictional)"))
    everything = _rows(db, actor)
    assert [r.id for r in _rows(db, actor, view=TrackerView.MINE)] == [mine]
    assert [r.id for r in _rows(db, actor, priority_id=priority)] == [mine]
    assert [r.id for r in _rows(db, actor, organisation="southvale")] == [mine]
    assert {r.review_id for r in _rows(db, actor, review_id=review)} == {review}
    assert all(r.overdue for r in _rows(db, actor, overdue_only=True))
    assert len(_rows(db, actor, overdue_only=True)) == 2
    completed = _rows(db, actor, statuses=frozenset({ActionStatus.COMPLETED}))
    assert completed and all(r.status == ActionStatus.COMPLETED for r in completed)
    archive = _rows(db, actor, view=TrackerView.ARCHIVE)
    assert archive and all(r.status == ActionStatus.CLOSED for r in archive)
    assert not any(r.status == ActionStatus.CLOSED for r in _rows(db, actor, view=TrackerView.ALL))
    assert len(everything) == len(_rows(db, actor, view=TrackerView.ALL)) + len(archive)
    this_month = _rows(db, actor, due_this_month=True)
    assert all((r.due_on.year, r.due_on.month) == (2026, 11) for r in this_month)


HOSTILE = ["=HYPERLINK(\"http://example.org\",\"x\")", "+SUM(A1)", "-2+3", "@cmd", "\tTab", "\rReturn", "\nFeed"]


@pytest.mark.parametrize("cell", HOSTILE)
def test_formula_like_cells_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    assert neutralise("Audit 12 homes") == "Audit 12 homes" and neutralise(3) == 3


def test_exports_read_back_with_hostile_cells_as_text(db: Database, actor: Who) -> None:
    review = _review(db, "0109")
    hostile = "Add =cmd|' /C calc'!A0 to the checklist in all homes"
    _save(db, actor, review, _good(db, actor, review, description=hostile, owner_name="@owner",
                                   owner_organisation="-Trust"))
    rows = _rows(db, actor)
    sheet = openpyxl.load_workbook(io.BytesIO(actions_xlsx(rows, actor=actor("admin")))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert "'@owner" in values and "'-Trust" in values
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in values)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    text = actions_csv(rows, actor=actor("admin")).decode("utf-8-sig")
    assert ",'@owner,'-Trust," in text


LINE_BREAK_FORMULAS = {"owner_name": "\r=SUM(1)", "owner_organisation": "\n+SUM(2)",
                       "measure": "Audit report\r@cmd", "description": "Audit eating plans in 12 homes\r\n-2+3",
                       "history": ["\r=SUM(3)", "Note\r\n=SUM(4)"]}


def test_a_carriage_return_never_starts_a_new_row_or_a_live_formula(db: Database, actor: Who) -> None:
    """A bare CR written unquoted splits the row in Excel and in the csv module, and the text after it
    becomes a cell of its own: =SUM(1), live. Read back, each field is one cell and none starts a formula."""
    # Typed text cannot hold a CR (clean_text refuses it), so the rows are given it directly, as an
    # imported or older record could: the writer is the last line of defence.
    rows = [dataclasses.replace(row, **LINE_BREAK_FORMULAS) for row in _rows(db, actor)[:3]]
    text = actions_csv(rows, actor=actor("admin")).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text, newline="")))
    assert len(table) == len(rows) + 1 and {len(row) for row in table} == {len(table[0])}
    cells = [cell for row in table for cell in row]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")) for cell in cells)
    for column in ("owner_name", "owner_organisation", "measure", "description"):
        value = LINE_BREAK_FORMULAS[column]
        assert (value if value[0].isalnum() else "'" + value) in cells, column
    assert "'\r=SUM(3)\nNote\r\n=SUM(4)" in cells
    sheet = openpyxl.load_workbook(io.BytesIO(actions_xlsx(rows, actor=actor("admin")))).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert sheet.max_row == len(table) and "'\r=SUM(1)" in values
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r", "\n")) for v in values)


def test_the_escalation_log_records_what_to_whom_and_the_response(db: Database, actor: Who) -> None:
    review = _review(db, "0109")
    with db.unit_of_work() as session:
        escalation = escalate(session=session, actor=actor("chair"), review_id=review, today=DEMO_TODAY,
                              what="Two providers lost the eating plan at handover; this needs regional action.")
    with pytest.raises(Invalid, match="Say what is being escalated"), db.unit_of_work() as session:
        escalate(session=session, actor=actor("chair"), what=" ", today=DEMO_TODAY)
    with pytest.raises(NotAllowed), db.unit_of_work() as session:
        escalate(session=session, actor=actor("member"), what="Please look.", today=DEMO_TODAY)
    with db.unit_of_work(read_only=True) as session:
        row = escalation_log(session=session, actor=actor("member"))[0]
    assert (row.review_reference, row.to_whom, row.status_label) == ("LDR-2026-0109", "Regional LeDeR coordinator",
                                                                      "Waiting for a response")
    with pytest.raises(Invalid, match="response first"), db.unit_of_work() as session:
        record_response(session=session, actor=actor("admin"), escalation_id=escalation, response="",
                        status=EscalationStatus.RESPONDED, expected_version=row.version_id)
    with db.unit_of_work() as session:
        record_response(session=session, actor=actor("admin"), escalation_id=escalation,
                        response="Raised with both providers' boards.", status=EscalationStatus.RESPONDED,
                        expected_version=row.version_id)
    with pytest.raises(Conflict), db.unit_of_work() as session:
        record_response(session=session, actor=actor("chair"), escalation_id=escalation, response="Old tab.",
                        status=EscalationStatus.CLOSED, expected_version=row.version_id)
    with db.unit_of_work(read_only=True) as session:
        after = escalation_log(session=session, actor=actor("chair"))[0]
    assert (after.status_label, after.response) == ("Response received", "Raised with both providers' boards.")


def test_priorities_are_kept_by_the_secretariat_and_bound_the_due_date(db: Database, actor: Who) -> None:
    with pytest.raises(Invalid, match="must end after it starts"), db.unit_of_work() as session:
        add_strategic_priority(session=session, actor=actor("admin"), title="Epilepsy care",
                               plan_start=dt.date(2028, 1, 1), plan_end=dt.date(2025, 1, 1))
    with pytest.raises(NotAllowed), db.unit_of_work() as session:
        add_strategic_priority(session=session, actor=actor("chair"), title="Epilepsy care",
                               plan_start=dt.date(2025, 4, 1), plan_end=dt.date(2027, 3, 31))
    with db.unit_of_work() as session:
        short = add_strategic_priority(session=session, actor=actor("admin"), title="Epilepsy care",
                                       plan_start=dt.date(2025, 4, 1), plan_end=dt.date(2027, 1, 31))
    review = _review(db, "0109")
    late = _good(db, actor, review, priority_id=short, due_on=dt.date(2027, 3, 1))
    with pytest.raises(Invalid, match="T: The due date must fall within the plan period"):
        _save(db, actor, review, late)


def _by_the_rules(row: ActionRow, who: Actor, wanted: ActionFilter) -> bool:
    """The tracker's filters as the page describes them, in Python: the oracle the SQL must agree with."""
    if (wanted.view == TrackerView.ARCHIVE) != (row.status == ActionStatus.CLOSED):
        return False
    return all((
        wanted.view != TrackerView.MINE or row.owner_name.lower() == who.name.lower(),
        wanted.review_id is None or row.review_id == wanted.review_id,
        not wanted.statuses or row.status in wanted.statuses,
        not wanted.owner or wanted.owner.lower() in row.owner_name.lower(),
        not wanted.organisation or wanted.organisation.lower() in row.owner_organisation.lower(),
        not wanted.overdue_only or row.overdue,
        not wanted.due_this_month or (row.due_on.year, row.due_on.month) == (DEMO_TODAY.year, DEMO_TODAY.month),
    ))


FILTERS = [
    ActionFilter(), ActionFilter(view=TrackerView.ARCHIVE), ActionFilter(view=TrackerView.MINE),
    ActionFilter(statuses=frozenset({ActionStatus.IN_PROGRESS, ActionStatus.COMPLETED})),
    ActionFilter(owner="an"), ActionFilter(organisation="TRUST"), ActionFilter(overdue_only=True),
    ActionFilter(due_this_month=True), ActionFilter(owner="50%_"),
]


@pytest.mark.parametrize("wanted", FILTERS, ids=lambda f: repr(f)[13:60])
def test_the_filters_counts_and_pages_agree_with_the_rules(db: Database, actor: Who, wanted: ActionFilter) -> None:
    """The database filters, counts and pages the tracker; every filter must pick what the rules say, the
    count must match, and the pages put together must be the whole list in the same order."""
    chair = actor("chair")
    with db.unit_of_work(read_only=True) as session:
        everything = list_actions(session=session, actor=chair, today=DEMO_TODAY)
        chosen = list_actions(session=session, actor=chair, today=DEMO_TODAY, wanted=wanted)
        count = count_actions(session=session, actor=chair, today=DEMO_TODAY, wanted=wanted)
        pages = [list_actions(session=session, actor=chair, today=DEMO_TODAY, wanted=wanted, offset=start, limit=3)
                 for start in range(0, max(count.shown, 1), 3)]
    assert len({r.status for r in everything}) >= 3, "the demo should hold actions in several states"
    assert chosen == [r for r in everything if _by_the_rules(r, chair, wanted)]
    assert (count.shown, count.overdue) == (len(chosen), sum(r.overdue for r in chosen))
    assert [r for page in pages for r in page] == chosen


def test_a_meetings_actions_are_its_reviews_and_the_overdue_ones(db: Database, actor: Who) -> None:
    """The minutes read only these, not the whole log; they must be exactly what the whole log would give."""
    from features.actions.actions import actions_for_meeting

    chair = actor("chair")
    with db.unit_of_work(read_only=True) as session:
        held = session.scalars(select(Meeting.id).where(Meeting.panel_id == chair.panel_id,
                                                        Meeting.status == MeetingStatus.HELD)).one()
        meeting = load_meeting(session, chair, held)
        everything = list_actions(session=session, actor=chair, today=meeting.meeting_date)
        reviews = {item.review_id for item in meeting.agenda_items if item.review_id}
        chosen = actions_for_meeting(session=session, actor=chair, meeting=meeting)
    expected = [a for a in everything if a.review_id in reviews or a.overdue]
    assert chosen == expected
    assert any(a.overdue and a.review_id not in reviews for a in chosen), "the demo should have such an action"
    assert len(chosen) < len(everything)


def test_the_tracker_shows_what_still_needs_doing_first(db: Database, actor: Who) -> None:
    """Open actions first, soonest due (so the overdue lead); finished ones after, most recently due first:
    an ICB's years of completed actions must not fill the first page."""
    with db.unit_of_work(read_only=True) as session:
        rows = list_actions(session=session, actor=actor("chair"), today=DEMO_TODAY)
    still_open = [r for r in rows if r.status in OPEN_STATUSES]
    finished = [r for r in rows if r.status not in OPEN_STATUSES]
    assert still_open and finished, "the demo should hold open and finished actions"
    assert rows != sorted(rows, key=lambda r: (r.due_on, r.id)), "the demo should tell the two orders apart"
    assert rows == (sorted(still_open, key=lambda r: (r.due_on, r.id))
                    + sorted(finished, key=lambda r: (-r.due_on.toordinal(), r.id)))
