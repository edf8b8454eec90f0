"""Notices: what needs each person, worked out from the records, gone once done, marked read per person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select

from db.models import Action, FocusedReview, Meeting, MinutesRecord, NoticeRead
from db.session import Database
from features.meetings.attendance import attendance_rows, send_own_apologies
from features.minutes.workflow import comment_on_minutes
from features.notices.notices import Notice, NoticeKind, mark_read, notices_for
from features.reviews.comments import add_comment
from operations.demo import SeedReport
from rules.actors import Actor
from rules.errors import Invalid, NotAllowed
from rules.vocabulary import ActionStatus, AttendanceStatus, MeetingKind, MeetingStatus, MinutesStatus
from tests.conftest import DEMO_TODAY
from tests.features.test_circulation import DEADLINE, PLAIN, SENT, Panel

NOW = dt.datetime.combine(DEMO_TODAY, dt.time(9), dt.UTC)


@pytest.fixture
def panel(db: Database, actor: Callable[[str], Actor], demo: SeedReport) -> Panel:
    return Panel(db, actor)


def notices(panel: Panel, who: str, now: dt.datetime = NOW) -> list[Notice]:
    with panel.db.unit_of_work(read_only=True) as session:
        return notices_for(session=session, actor=panel.actor(who), now=now)


def kinds(panel: Panel, who: str, now: dt.datetime = NOW) -> dict[NoticeKind, list[Notice]]:
    found: dict[NoticeKind, list[Notice]] = {}
    for notice in notices(panel, who, now):
        found.setdefault(notice.kind, []).append(notice)
    return found


def _upcoming(panel: Panel) -> Meeting:
    with panel.db.unit_of_work(read_only=True) as session:
        meeting = session.scalars(select(Meeting).where(Meeting.kind == MeetingKind.MEETING,
                                                        Meeting.status == MeetingStatus.PAPERS_CIRCULATED)
                                  .order_by(Meeting.meeting_date)).first()
        assert meeting is not None
        session.expunge(meeting)
        return meeting


def test_a_circulation_asks_each_voting_member_until_they_answer_in_easy_read_too(panel: Panel) -> None:
    circulation_id = panel.send(PLAIN, deadline=DEADLINE, now=SENT)
    asked = kinds(panel, "lived", SENT)[NoticeKind.CIRCULATION]
    assert [(n.words, n.easy, n.page) for n in asked] == [(
        f"Review {PLAIN} is waiting for your answer, by Friday 27 November 2026 at 5pm.",
        f"Please vote on review {PLAIN}. Vote by Friday 27 November 2026 at 5pm.", "circulations")]
    for who in ("reviewer", "admin", "observer"):
        assert NoticeKind.CIRCULATION not in kinds(panel, who, SENT)
    panel.answer(circulation_id, PLAIN, "lived")
    assert NoticeKind.CIRCULATION not in kinds(panel, "lived", SENT)
    assert NoticeKind.CIRCULATION in kinds(panel, "member", SENT)
    assert NoticeKind.CIRCULATION not in kinds(panel, "member", DEADLINE)  # past its deadline: nothing to do


def test_reviews_before_a_meeting_ask_for_a_comment_until_one_is_given(panel: Panel) -> None:
    meeting = _upcoming(panel)
    asked = kinds(panel, "member")[NoticeKind.COMMENT]
    assert asked and all(n.page == "my-meeting" and meeting.meeting_date.strftime("%B") in n.words for n in asked)
    first = asked[0]
    review_id = int(first.key.rsplit("-", 1)[1])
    with panel.db.unit_of_work() as session:
        add_comment(session=session, actor=panel.actor("member"), review_id=review_id, body="Clear and fair.")
    assert first.key not in {n.key for n in notices(panel, "member")}
    assert NoticeKind.COMMENT not in kinds(panel, "admin")  # the secretariat does not comment


def test_own_actions_due_within_14_days_or_overdue_are_notices(panel: Panel) -> None:
    with panel.db.unit_of_work() as session:
        review = session.scalars(select(FocusedReview).where(FocusedReview.reference == PLAIN)).one()
        for description, due, status in (("late", DEMO_TODAY - dt.timedelta(days=1), ActionStatus.IN_PROGRESS),
                                         ("soon", DEMO_TODAY + dt.timedelta(days=14), ActionStatus.NOT_STARTED),
                                         ("later", DEMO_TODAY + dt.timedelta(days=15), ActionStatus.NOT_STARTED),
                                         ("done", DEMO_TODAY, ActionStatus.COMPLETED)):
            session.add(Action(panel_id=review.panel_id, review_id=review.id, description=description,
                               owner_name="grace mensah", owner_organisation="ICB", due_on=due, status=status))
    words = [n.words for n in kinds(panel, "member")[NoticeKind.ACTION]]
    assert words == [f"Your action on review {PLAIN} was due on Sunday 22 November 2026. It is overdue.",
                     f"Your action on review {PLAIN} is due on Monday 7 December 2026."]
    assert NoticeKind.ACTION not in kinds(panel, "member2")


def test_circulated_minutes_ask_members_to_comment_and_the_chair_to_approve(panel: Panel) -> None:
    with panel.db.unit_of_work() as session:
        held = session.scalars(select(Meeting).where(Meeting.kind == MeetingKind.MEETING,
                                                     Meeting.meeting_date < DEMO_TODAY)
                               .order_by(Meeting.meeting_date.desc())).first()
        assert held is not None
        record = session.scalars(select(MinutesRecord).where(MinutesRecord.meeting_id == held.id)).one_or_none()
        if record is None:
            session.add(MinutesRecord(meeting_id=held.id, status=MinutesStatus.CIRCULATED, circulated_at=NOW))
        else:
            record.status = MinutesStatus.CIRCULATED
        held_id = held.id
    assert [n.key for n in kinds(panel, "chair")[NoticeKind.MINUTES]] == [f"minutes-approve-{held_id}"]
    assert [n.key for n in kinds(panel, "lived")[NoticeKind.MINUTES]] == [f"minutes-comment-{held_id}"]
    with panel.db.unit_of_work() as session:
        comment_on_minutes(session=session, actor=panel.actor("lived"), meeting_id=held_id, body="All correct.",
                           now=NOW)
    assert NoticeKind.MINUTES not in kinds(panel, "lived")


def test_will_you_come_goes_once_apologies_are_sent_and_only_before_the_meeting(panel: Panel) -> None:
    meeting = _upcoming(panel)
    asked = kinds(panel, "lived")[NoticeKind.MEETING]
    assert [n.meeting_id for n in asked] == [meeting.id]
    with panel.db.unit_of_work() as session:
        send_own_apologies(session=session, actor=panel.actor("lived"), meeting_id=meeting.id)
    assert NoticeKind.MEETING not in kinds(panel, "lived")
    with panel.db.unit_of_work(read_only=True) as session:
        rows = attendance_rows(session=session, actor=panel.actor("chair"), meeting_id=meeting.id)
    assert next(r for r in rows if r.user_id == panel.actor("lived").user_id).status == AttendanceStatus.APOLOGIES
    with panel.db.unit_of_work() as session, pytest.raises(NotAllowed):
        send_own_apologies(session=session, actor=panel.actor("admin"), meeting_id=meeting.id)


def test_marking_read_is_per_person_kept_once_and_only_for_ones_own_notices(panel: Panel) -> None:
    first = notices(panel, "member")[0]
    with panel.db.unit_of_work() as session:
        assert mark_read(session=session, actor=panel.actor("member"), keys=[first.key], now=NOW) == 1
    with panel.db.unit_of_work() as session:
        assert mark_read(session=session, actor=panel.actor("member"), keys=[first.key], now=NOW) == 0
    assert next(n for n in notices(panel, "member") if n.key == first.key).read
    same = next((n for n in notices(panel, "member2") if n.key == first.key), None)
    assert same is None or not same.read
    with panel.db.unit_of_work() as session, pytest.raises(Invalid, match="no longer waiting for you"):
        mark_read(session=session, actor=panel.actor("member"), keys=["circulation-999"], now=NOW)
    with panel.db.unit_of_work(read_only=True) as session:
        assert len(session.scalars(select(NoticeRead)).all()) == 1


def test_the_chair_is_told_to_record_the_decision_once_a_circulations_answers_are_in(panel: Panel) -> None:
    quorate = panel.send(PLAIN, deadline=DEADLINE, now=SENT)
    assert NoticeKind.DECISION not in kinds(panel, "chair", SENT)  # still open for answers
    panel.answer(quorate, PLAIN, "lived", "emlead", "member")
    assert NoticeKind.DECISION not in kinds(panel, "chair", SENT)
    past_deadline = kinds(panel, "chair", DEADLINE)[NoticeKind.DECISION]  # nobody has closed it yet
    assert [(n.words, n.page) for n in past_deadline] == [
        (f"The answers on review {PLAIN} are in. Record the panel's decision.", "circulations")]
    panel.close(quorate)
    assert len(kinds(panel, "chair", SENT)[NoticeKind.DECISION]) == 1
    for who in ("member", "lived", "admin", "observer"):
        assert NoticeKind.DECISION not in kinds(panel, who, SENT)
    panel.decide(quorate, PLAIN, now=SENT)
    assert NoticeKind.DECISION not in kinds(panel, "chair", SENT)


def test_a_circulation_that_fell_short_asks_the_chair_for_nothing(panel: Panel) -> None:
    short = panel.send(PLAIN, deadline=DEADLINE, now=SENT)
    panel.answer(short, PLAIN, "member")  # 1 of 3, and no quorum roles
    panel.close(short)
    assert NoticeKind.DECISION not in kinds(panel, "chair", SENT)  # it went back to the panel, for a meeting
