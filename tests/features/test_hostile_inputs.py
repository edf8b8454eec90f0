"""The hostile-input catalogue, table-driven: each input goes through every free-text form (a comment, a
minute, an action, an escalation, a declared interest, a finding). Each gets a clear message in words with
nothing saved, or is saved exactly (or cleaned) — never a traceback. Then the cases that are not about
text: dates far away, unknown ids, double submits and two people editing one record.

The CLI's share of the catalogue is in tests/test_cli.py; what the browser shows is in the page tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from db.models import (
    Action,
    AgendaItem,
    Escalation,
    FocusedReview,
    Meeting,
    MinutesNarrative,
    RegisteredInterest,
    ReviewComment,
    ReviewFinding,
    User,
)
from db.session import Database
from documents.action_log import actions_csv
from features.actions.actions import ActionDraft, list_actions, save_action
from features.meetings.declarations import register_interest
from features.meetings.meetings import create_meeting
from features.minutes.workflow import circulate_minutes, minutes_state, save_narrative
from features.reviews.comments import add_comment
from features.reviews.escalations import escalate
from features.reviews.reviews import add_finding, review_detail
from features.voting.voting import cast_vote
from rules.actors import Actor
from rules.errors import Conflict, DomainError, Invalid, NotFound
from rules.vocabulary import FindingKind, MeetingStatus
from tests.conftest import DEMO_TODAY

NOW = dt.datetime(2026, 11, 23, 17, 0, tzinfo=dt.UTC)
WRITING = (MeetingStatus.HELD, MeetingStatus.MINUTES_DRAFTED)
# Saving an empty minute clears it ("leave an item empty if nothing needs saying"); every other form refuses.
EMPTY_CLEARS = {"minute"}
Who = Callable[[str], Actor]


@dataclass(frozen=True)
class Hostile:
    name: str
    text: str
    saved_as: str | None  # None: refused with a message; otherwise what is stored
    message: str = ""  # part of the refusal, same for every form


CATALOGUE = [
    Hostile("empty", "", None),
    Hostile("whitespace only", "   \n\t  ", None),
    Hostile("100,000 characters", "x" * 100_000, None, "too long"),
    Hostile("NUL", "Nul\x00here", None, "hidden control characters"),
    Hostile("vertical tab", "Vertical\x0btab", None, "hidden control characters"),
    Hostile("escape", "Escape \x1b[31mred", None, "hidden control characters"),
    Hostile("U+FFFE", "Not a character\ufffe here", "Not a character here"),
    Hostile("emoji", "Thank you 🙂👍🏽 for this", "Thank you 🙂👍🏽 for this"),
    Hostile("right-to-left text", "شكرا لكم على المراجعة", "شكرا لكم على المراجعة"),
    Hostile("HTML and script", "<script>alert('x')</script> <b>bold</b>", "<script>alert('x')</script> <b>bold</b>"),
    Hostile("javascript: link", "[open](javascript:alert(1))", "[open](javascript:alert(1))"),
    Hostile("data: link", "[see](data:text/html;base64,PHNjcmlwdD4=)", "[see](data:text/html;base64,PHNjcmlwdD4=)"),
    Hostile("remote image", "![pic](https://example.org/track.png)", "![pic](https://example.org/track.png)"),
    Hostile("formula prefix", '=HYPERLINK("https://example.org","x")', '=HYPERLINK("https://example.org","x")'),
    Hostile("SQL-looking text", "Robert'); DROP TABLE users;--", "Robert'); DROP TABLE users;--"),
    Hostile("probable NHS number", "Number 943 476 5919 was on the letter", None, "looks like an NHS number"),
]


def _review_id(session, reference: str) -> int:
    return session.scalars(select(FocusedReview.id).where(FocusedReview.reference == reference)).one()


def _comment(session, actor: Who, text: str) -> str:
    add_comment(session=session, actor=actor("lived"), review_id=_review_id(session, "LDR-2026-0109"), body=text)
    return session.scalars(select(ReviewComment.body).order_by(ReviewComment.id.desc()).limit(1)).one()


def _minute(session, actor: Who, text: str) -> str:
    meeting = session.scalars(select(Meeting.id).where(Meeting.status.in_(WRITING)).order_by(Meeting.id)).first()
    item = session.scalars(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting,
                                                       AgendaItem.position == 1)).one()
    save_narrative(session=session, actor=actor("admin"), item_id=item, text=text, expected_version=0, now=NOW)
    return session.scalars(select(MinutesNarrative.text).where(MinutesNarrative.agenda_item_id == item)).one()


def _action(session, actor: Who, text: str) -> str:
    data = ActionDraft(description=text, measure="Audit report", owner_name="Nurse lead",
                       owner_organisation="Northshire Community Health (fictional)", owner_agreed=True,
                       finding_id=None, priority_id=None, due_on=DEMO_TODAY + dt.timedelta(days=90))
    action_id = save_action(session=session, actor=actor("chair"), review_id=_review_id(session, "LDR-2026-0109"),
                            data=data, as_draft=True, today=DEMO_TODAY, now=NOW)
    return session.get(Action, action_id).description


def _escalation(session, actor: Who, text: str) -> str:
    escalation_id = escalate(session=session, actor=actor("chair"), what=text, today=DEMO_TODAY,
                             review_id=_review_id(session, "LDR-2026-0109"))
    return session.get(Escalation, escalation_id).what


def _interest(session, actor: Who, text: str) -> str:
    register_interest(session=session, actor=actor("member"), description=text, declared_on=DEMO_TODAY,
                      today=DEMO_TODAY)
    return session.scalars(select(RegisteredInterest.description).order_by(RegisteredInterest.id.desc())
                           .limit(1)).one()


def _finding(session, actor: Who, text: str) -> str:
    review_id = _review_id(session, "LDR-2026-0110")  # on the upcoming agenda, not yet signed off
    add_finding(session=session, actor=actor("reviewer"), review_id=review_id, kind=FindingKind.LEARNING, text=text,
                theme_ids=[])
    return session.scalars(select(ReviewFinding.text).order_by(ReviewFinding.id.desc()).limit(1)).one()


FORMS = {"comment": _comment, "minute": _minute, "action": _action, "escalation": _escalation,
         "interest": _interest, "finding": _finding}
TABLES = (ReviewComment, MinutesNarrative, Action, Escalation, RegisteredInterest, ReviewFinding)


def _counts(db: Database) -> dict[str, int]:
    with db.unit_of_work(read_only=True) as session:
        return {t.__tablename__: session.scalar(select(func.count()).select_from(t)) for t in TABLES}


def expected(case: Hostile, form: str) -> str | None:
    if form in EMPTY_CLEARS and not case.text.strip():
        return ""
    return case.saved_as


@pytest.mark.parametrize("case", CATALOGUE, ids=lambda c: c.name)
def test_every_form_answers_a_hostile_input_clearly(db: Database, actor: Who, case: Hostile) -> None:
    problems = []
    for form, save in FORMS.items():
        before = _counts(db)
        try:
            with db.unit_of_work() as session:
                stored = save(session, actor, case.text)
        except DomainError as error:
            message = str(error)
            if expected(case, form) is not None:
                problems.append(f"{form}: refused with '{message}'")
            elif not (message.endswith((".", "box.")) and case.message in message):
                problems.append(f"{form}: unclear message '{message}'")
            if _counts(db) != before:
                problems.append(f"{form}: something was saved although it was refused")
            continue
        if expected(case, form) is None:
            problems.append(f"{form}: saved although it should be refused")
        elif stored != expected(case, form):
            problems.append(f"{form}: saved as {stored[:60]!r}")
    assert problems == []


def test_sql_looking_text_stays_text_and_formulas_stay_text_in_exports(db: Database, actor: Who) -> None:
    with db.unit_of_work() as session:
        _action(session, actor, "=cmd|' /C calc'!A0 in every home")
        _comment(session, actor, "Robert'); DROP TABLE users;--")
    with db.unit_of_work(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(User)) > 0
        rows = list_actions(session=session, actor=actor("admin"), today=DEMO_TODAY)
    exported = actions_csv(rows, actor=actor("admin")).decode("utf-8-sig")
    assert "'=cmd|" in exported and ",=cmd" not in exported


@pytest.mark.parametrize(("due", "message"), [
    (dt.date(1900, 1, 1), "is in the past"), (dt.date(9999, 12, 31), "at most 12 months ahead")])
def test_dates_far_in_the_past_or_future_are_refused_in_words(db: Database, actor: Who, due: dt.date,
                                                              message: str) -> None:
    with pytest.raises(Invalid, match=message), db.unit_of_work() as session:
        data = ActionDraft(description="Audit eating and drinking plans in all 12 supported-living homes",
                           measure="Audit report with the share of homes with a plan", owner_name="Nurse lead",
                           owner_organisation="Northshire Community Health (fictional)", owner_agreed=True,
                           finding_id=None, priority_id=None, due_on=due)
        save_action(session=session, actor=actor("chair"), review_id=_review_id(session, "LDR-2026-0109"), data=data,
                    as_draft=False, today=DEMO_TODAY, now=NOW)
    with pytest.raises(Invalid, match="cannot be in the past"), db.unit_of_work() as session:
        create_meeting(session=session, actor=actor("admin"), meeting_date=dt.date(1900, 1, 1),
                       start_time=dt.time(10), location="Room 2", online_link="", today=DEMO_TODAY)
    with pytest.raises(Invalid), db.unit_of_work() as session:
        register_interest(session=session, actor=actor("member"), description="Trustee of a care charity",
                          declared_on=dt.date(9999, 12, 31), today=DEMO_TODAY)


def test_unknown_ids_are_not_found_in_words(db: Database, actor: Who) -> None:
    calls = [
        lambda s: review_detail(session=s, actor=actor("chair"), review_id=999_999, today=DEMO_TODAY),
        lambda s: minutes_state(session=s, actor=actor("chair"), meeting_id=999_999),
        lambda s: save_narrative(session=s, actor=actor("admin"), item_id=999_999, text="Notes", expected_version=0,
                                 now=NOW),
        lambda s: cast_vote(session=s, actor=actor("member"), poll_id=999_999, option_id=1, reason="", now=NOW),
    ]
    for call in calls:
        with pytest.raises(NotFound) as raised, db.unit_of_work() as session:
            call(session)
        assert str(raised.value).endswith(".") and "999" not in str(raised.value)


def test_a_double_submit_and_two_editors_get_clear_answers(db: Database, actor: Who) -> None:
    with db.unit_of_work(read_only=True) as session:
        meeting = session.scalars(select(Meeting.id).where(Meeting.status.in_(WRITING)).order_by(Meeting.id)).first()
    with db.unit_of_work() as session:
        _minute(session, actor, "The chair welcomed members.")
    # A second person saves on a form loaded before the first save.
    with pytest.raises(Conflict, match=r"Someone else changed the minute for this item\. Reload"), \
            db.unit_of_work() as session:
        _minute(session, actor, "Welcome, written at the same time.")
    version = minutes_state_version(db, actor, meeting)
    for attempt in range(2):  # the circulate button pressed twice
        try:
            with db.unit_of_work() as session:
                circulate_minutes(session=session, actor=actor("admin"), meeting_id=meeting,
                                  expected_version=version, now=NOW)
        except (Conflict, Invalid) as error:
            assert attempt == 1 and "Someone else changed these minutes" in str(error)
    assert minutes_state_version(db, actor, meeting) == version + 1


def minutes_state_version(db: Database, actor: Who, meeting_id: int) -> int:
    with db.unit_of_work(read_only=True) as session:
        return minutes_state(session=session, actor=actor("admin"), meeting_id=meeting_id).version_id


def test_a_comment_sent_twice_is_kept_once(db: Database, actor: Who) -> None:
    with db.unit_of_work() as session:
        _comment(session, actor, "I think the review is clear.")
    with pytest.raises(Invalid, match="already sent this comment"), db.unit_of_work() as session:
        _comment(session, actor, "I think the review is clear.")
    with db.unit_of_work(read_only=True) as session:
        bodies = session.scalars(select(ReviewComment.body).where(ReviewComment.body == "I think the review is clear."))
        assert len(bodies.all()) == 1
    with db.unit_of_work() as session:
        assert _comment(session, actor, "And one more thought.") == "And one more thought."
