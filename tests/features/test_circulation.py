"""Decisions by circulation on the demo panel, on SQLite and PostgreSQL: sending, who may answer, quorum
by answers, the deadline, closing, stepping out, the decision and the next minutes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from db.models import AgendaItem, FocusedReview, ItemDeclaration, Meeting, Poll, Vote
from db.session import Database
from features.circulation.circulation import (
    CirculationView,
    circulable_reviews,
    circulations,
    close_circulation,
    close_if_due,
    declare_own_interest,
    start_circulation,
)
from features.meetings.attendance import record_attendance
from features.meetings.meetings import count_meetings, list_meetings, next_meeting
from features.minutes.easy_read import build_easy_read_minutes
from features.minutes.minutes import build_minutes
from features.minutes.workflow import minutes_state
from features.voting.decisions import record_decision
from features.voting.voting import cast_vote, vote_options
from operations.demo import SeedReport
from rules.actors import Actor
from rules.easy_read import check_easy_read
from rules.errors import Conflict, Invalid, NotAllowed, NotFound
from rules.vocabulary import AttendanceStatus, DecisionOutcome, ItemStatus, MeetingKind, MeetingStatus, ReviewStatus
from tests.conftest import DEMO_TODAY

SENT = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # the demo's today, in the morning
DEADLINE = dt.datetime(2026, 11, 27, 17, 0, tzinfo=dt.UTC)
FLAGGED, PLAIN = f"LDR-{DEMO_TODAY.year}-0111", f"LDR-{DEMO_TODAY.year}-0112"


class Panel:
    def __init__(self, db: Database, actor: Callable[[str], Actor]) -> None:
        self.db, self.actor = db, actor

    def review_id(self, reference: str) -> int:
        with self.db.unit_of_work(read_only=True) as session:
            return session.scalars(select(FocusedReview.id).where(FocusedReview.reference == reference)).one()

    def review(self, reference: str) -> FocusedReview:
        with self.db.unit_of_work(read_only=True) as session:
            review = session.scalars(select(FocusedReview).where(FocusedReview.reference == reference)).one()
            session.expunge(review)
            return review

    def send(self, *references: str, minimum: int = 3, deadline: dt.datetime = DEADLINE, who: str = "chair",
             now: dt.datetime = SENT, anonymous: bool = False) -> int:
        with self.db.unit_of_work() as session:
            return start_circulation(session=session, actor=self.actor(who),
                                     review_ids=[self.review_id(r) for r in references], deadline_at=deadline,
                                     min_responses=minimum, anonymous=anonymous, now=now)

    def view(self, who: str = "chair", now: dt.datetime = SENT) -> tuple[list[CirculationView], list[CirculationView]]:
        with self.db.unit_of_work(read_only=True) as session:
            return circulations(session=session, actor=self.actor(who), now=now)

    def item_id(self, circulation_id: int, reference: str) -> int:
        with self.db.unit_of_work(read_only=True) as session:
            return session.scalars(select(AgendaItem.id).join(FocusedReview)
                                   .where(AgendaItem.meeting_id == circulation_id,
                                          FocusedReview.reference == reference)).one()

    def poll_id(self, circulation_id: int, reference: str) -> int:
        with self.db.unit_of_work(read_only=True) as session:
            return session.scalars(select(Poll.id).where(
                Poll.agenda_item_id == self.item_id(circulation_id, reference))).one()

    def answer(self, circulation_id: int, reference: str, *who: str, at: dt.datetime = SENT, choice: int = 0) -> None:
        poll_id = self.poll_id(circulation_id, reference)
        for username in who:
            with self.db.unit_of_work() as session:
                member = self.actor(username)
                option = vote_options(session=session, panel_id=member.panel_id)[choice]
                cast_vote(session=session, actor=member, poll_id=poll_id, option_id=option.id, reason="Agreed.",
                          now=at)

    def close(self, circulation_id: int, now: dt.datetime = SENT, who: str = "chair") -> None:
        with self.db.unit_of_work() as session:
            close_circulation(session=session, actor=self.actor(who), circulation_id=circulation_id, now=now)

    def decide(self, circulation_id: int, reference: str, now: dt.datetime,
               outcome: DecisionOutcome = DecisionOutcome.SIGNED_OFF) -> None:
        with self.db.unit_of_work() as session:
            record_decision(session=session, actor=self.actor("chair"), poll_id=self.poll_id(circulation_id, reference),
                            outcome=outcome, reasons="", now=now)

    def chair_present(self, meeting_id: int) -> Actor:
        """Mark the chair present at a meeting (minutes need someone there); the chair, to build them."""
        chair = self.actor("chair")
        with self.db.unit_of_work() as session:
            record_attendance(session=session, actor=chair, meeting_id=meeting_id, user_id=chair.user_id,
                              status=AttendanceStatus.PRESENT_IN_PERSON)
        return chair

    def circulation_count(self) -> int:
        with self.db.unit_of_work(read_only=True) as session:
            return session.scalar(select(func.count()).select_from(Meeting)
                                  .where(Meeting.kind == MeetingKind.CIRCULATION)) or 0


@pytest.fixture
def panel(db: Database, actor: Callable[[str], Actor], demo: SeedReport) -> Panel:
    return Panel(db, actor)


def _only(view: tuple[list[CirculationView], list[CirculationView]]) -> CirculationView:
    open_ones, closed = view
    assert len(open_ones) + len(closed) == 1
    return (open_ones or closed)[0]


def test_sending_opens_a_vote_on_each_review_and_keeps_it_out_of_the_meeting_lists(panel: Panel) -> None:
    with panel.db.unit_of_work(read_only=True) as session:
        before = count_meetings(session=session, actor=panel.actor("chair"))
        offered = [r.reference for r in circulable_reviews(session=session, actor=panel.actor("chair"))]
    assert offered == [FLAGGED, PLAIN]
    circulation_id = panel.send(FLAGGED, PLAIN)
    circulation = _only(panel.view())
    assert circulation.open and circulation.min_responses == 3 and circulation.sent_by == "Priya Shah"
    assert [r.reference for r in circulation.reviews] == [FLAGGED, PLAIN]
    assert all(r.poll is not None and r.poll.eligible == 7 and r.outcome == "Open for answers."
               for r in circulation.reviews)
    assert panel.review(PLAIN).status == ReviewStatus.ON_AGENDA
    with panel.db.unit_of_work(read_only=True) as session:
        chair = panel.actor("chair")
        assert circulable_reviews(session=session, actor=chair) == []
        assert count_meetings(session=session, actor=chair) == before
        assert circulation_id not in {m.id for m in list_meetings(session=session, actor=chair)}
        upcoming = next_meeting(session=session, actor=chair, today=DEMO_TODAY)
        assert upcoming is None or upcoming.id != circulation_id


@pytest.mark.parametrize(("change", "message"), [
    ({"deadline": SENT - dt.timedelta(minutes=1)}, "has already passed"),
    ({"deadline": SENT + dt.timedelta(days=61)}, "more than 60 days away"),
    ({"minimum": 0}, "At least 1 answer"),
    ({"minimum": 8}, "the panel has 7 voting members"),
])
def test_bad_input_is_refused_in_words_and_nothing_is_saved(panel: Panel, change: dict[str, object],
                                                             message: str) -> None:
    with pytest.raises(Invalid, match=message):
        panel.send(PLAIN, **change)  # type: ignore[arg-type]
    assert panel.circulation_count() == 0
    assert panel.review(PLAIN).status == ReviewStatus.READY_FOR_PANEL


def test_no_reviews_too_many_and_reviews_that_cannot_go_are_refused(panel: Panel) -> None:
    with pytest.raises(Invalid, match="at least one review"):
        panel.send()
    with panel.db.unit_of_work() as session, pytest.raises(Invalid, match="at most 10"):
        start_circulation(session=session, actor=panel.actor("chair"), review_ids=list(range(1, 12)),
                          deadline_at=DEADLINE, min_responses=3, anonymous=False, now=SENT)
    signed_off = f"LDR-{DEMO_TODAY.year}-0101"
    with pytest.raises(Invalid, match="cannot be sent: it is signed off"):
        panel.send(PLAIN, signed_off)
    with pytest.raises(NotAllowed):
        panel.send(PLAIN, who="member")
    with pytest.raises(NotFound):
        panel.send(PLAIN, who="southchair", minimum=1)
    assert panel.circulation_count() == 0
    panel.send(PLAIN)
    with pytest.raises(Conflict, match="already on a decision by circulation"):
        panel.send(PLAIN)


def test_a_review_on_a_meetings_agenda_is_refused_with_the_meeting_named(panel: Panel) -> None:
    with panel.db.unit_of_work(read_only=True) as session:
        on_agenda = session.scalars(select(FocusedReview.reference).where(
            FocusedReview.status == ReviewStatus.ON_AGENDA, FocusedReview.panel_id == panel.actor("chair").panel_id)
            .order_by(FocusedReview.reference)).first()
    assert on_agenda is not None
    with pytest.raises(Conflict, match="already on the agenda of the meeting on"):
        panel.send(on_agenda)


def test_quorum_counts_answers_and_needs_the_panels_quorum_roles(panel: Panel) -> None:
    circulation_id = panel.send(PLAIN)
    panel.answer(circulation_id, PLAIN, "member", "member2", "vicechair")
    review = _only(panel.view()).reviews[0]
    assert not review.quorum.quorate
    assert review.quorum.summary == ("Not quorate: no lived-experience member responded; the ethnic minority lead "
                                     "has not responded")
    panel.answer(circulation_id, PLAIN, "lived")
    assert "the ethnic minority lead has not responded" in _only(panel.view()).reviews[0].quorum.summary
    panel.answer(circulation_id, PLAIN, "emlead")
    review = _only(panel.view()).reviews[0]
    assert review.quorum.recorded == ("Quorate: yes (5 voting members responded), including a lived-experience "
                                      "member and the ethnic minority lead")


def test_observers_reviewers_and_the_secretariat_cannot_answer(panel: Panel) -> None:
    circulation_id = panel.send(PLAIN)
    for who in ("observer", "reviewer", "admin"):
        with pytest.raises(NotAllowed):
            panel.answer(circulation_id, PLAIN, who)
    assert not _only(panel.view("observer")).reviews[0].may_answer
    assert _only(panel.view("lived")).reviews[0].may_answer


def test_answers_stop_at_the_deadline_and_it_closes_itself_then_not_before(panel: Panel) -> None:
    circulation_id = panel.send(PLAIN)
    panel.answer(circulation_id, PLAIN, "lived", "emlead", at=DEADLINE - dt.timedelta(seconds=1))
    with pytest.raises(Invalid, match="closed for answers on Friday 27 November 2026 at 5pm"):
        panel.answer(circulation_id, PLAIN, "member", at=DEADLINE)
    with panel.db.unit_of_work() as session:
        assert close_if_due(session=session, actor=panel.actor("member"), now=DEADLINE - dt.timedelta(seconds=1)) == 0
    assert _only(panel.view()).open
    with panel.db.unit_of_work() as session:
        assert close_if_due(session=session, actor=panel.actor("member"), now=DEADLINE) == 1
    with panel.db.unit_of_work() as session:
        assert close_if_due(session=session, actor=panel.actor("member"), now=DEADLINE) == 0
    closed = _only(panel.view(now=DEADLINE))
    assert not closed.open
    review = closed.reviews[0]
    assert review.item_status == ItemStatus.DEFERRED  # 2 answers, 3 needed
    assert review.outcome == "Not decided by circulation. It goes back to the panel, for a meeting."
    assert panel.review(PLAIN).status == ReviewStatus.READY_FOR_PANEL
    with pytest.raises(Invalid, match="deferred"):
        panel.decide(circulation_id, PLAIN, now=DEADLINE)
    panel.send(PLAIN, now=DEADLINE, deadline=DEADLINE + dt.timedelta(days=3))  # it can be sent again


def test_a_closed_circulation_awaiting_the_decision_holds_its_review(panel: Panel) -> None:
    circulation_id = panel.send(PLAIN)
    panel.answer(circulation_id, PLAIN, "lived", "emlead", "member")
    panel.close(circulation_id)
    assert _only(panel.view()).reviews[0].outcome == "Answers are in. Waiting for the chair to record the decision."
    with panel.db.unit_of_work(read_only=True) as session:
        assert [r.reference for r in circulable_reviews(session=session, actor=panel.actor("chair"))] == [FLAGGED]
    with pytest.raises(Conflict, match="waiting for the chair to record the decision"):
        panel.send(PLAIN)
    with pytest.raises(Invalid, match="already closed"):
        panel.close(circulation_id)


def test_the_decision_locks_the_review_and_stops_its_clock_on_the_day_it_was_recorded(panel: Panel) -> None:
    circulation_id = panel.send(PLAIN)
    panel.answer(circulation_id, PLAIN, "lived", "emlead", "member")
    panel.close(circulation_id, now=SENT + dt.timedelta(days=1))
    decided = dt.datetime(2026, 11, 26, 23, 30, tzinfo=dt.UTC)  # still the 26th in the UK (GMT)
    panel.decide(circulation_id, PLAIN, now=decided)
    review = panel.review(PLAIN)
    assert review.status == ReviewStatus.SIGNED_OFF
    assert review.finished_on == dt.date(2026, 11, 26) and review.presented_on == dt.date(2026, 11, 26)
    assert _only(panel.view()).reviews[0].outcome == "Decided: Signed off."


def test_a_member_steps_out_before_answering_only_while_it_is_open(panel: Panel) -> None:
    circulation_id = panel.send(PLAIN, FLAGGED)
    item_id = panel.item_id(circulation_id, PLAIN)
    member = panel.actor("member")
    with panel.db.unit_of_work() as session, pytest.raises(Invalid, match="Say what the interest is"):
        declare_own_interest(session=session, actor=member, item_id=item_id, interest="  ", now=SENT)
    with panel.db.unit_of_work() as session:
        declare_own_interest(session=session, actor=member, item_id=item_id, interest="I know the family.", now=SENT)
    view = _only(panel.view("member"))
    plain = next(r for r in view.reviews if r.reference == PLAIN)
    assert plain.stepped_out and not plain.may_answer and plain.poll is not None and plain.poll.eligible == 6
    with pytest.raises(NotAllowed):
        panel.answer(circulation_id, PLAIN, "member")
    panel.answer(circulation_id, FLAGGED, "member2")
    with panel.db.unit_of_work() as session, pytest.raises(Invalid, match="already answered"):
        declare_own_interest(session=session, actor=panel.actor("member2"),
                             item_id=panel.item_id(circulation_id, FLAGGED), interest="A late thought.", now=SENT)
    panel.close(circulation_id)
    with panel.db.unit_of_work() as session, pytest.raises(Invalid, match="is closed"):
        declare_own_interest(session=session, actor=panel.actor("lived"),
                             item_id=panel.item_id(circulation_id, FLAGGED), interest="I know them.", now=SENT)
    with panel.db.unit_of_work(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(ItemDeclaration)
                              .where(ItemDeclaration.agenda_item_id.in_([item_id,
                                                                         panel.item_id(circulation_id, FLAGGED)]))) == 1


def test_a_deadline_given_in_british_summer_time_is_kept_as_the_same_moment(panel: Panel) -> None:
    june = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    london = dt.datetime(2026, 6, 5, 17, 0, tzinfo=ZoneInfo("Europe/London"))
    circulation_id = panel.send(PLAIN, deadline=london, now=june)
    with panel.db.unit_of_work(read_only=True) as session:
        stored = session.get_one(Meeting, circulation_id).deadline_at
    assert stored is not None
    assert stored.replace(tzinfo=stored.tzinfo or dt.UTC) == dt.datetime(2026, 6, 5, 16, 0, tzinfo=dt.UTC)
    assert _only(panel.view(now=june)).deadline_in_words == "Friday 5 June 2026 at 5pm"


def test_an_anonymous_circulation_keeps_choices_apart_from_names(panel: Panel) -> None:
    circulation_id = panel.send(PLAIN, anonymous=True)
    panel.answer(circulation_id, PLAIN, "lived", "emlead", "member")
    panel.close(circulation_id)
    poll = _only(panel.view()).reviews[0].poll
    assert poll is not None and poll.anonymous and poll.results is not None
    assert sum(r.count for r in poll.results) == 3 and all(r.names == () for r in poll.results)
    with panel.db.unit_of_work(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(Vote).where(Vote.option_id.is_not(None),
                                                                          Vote.poll_id == poll.id)) == 0


def test_the_next_meetings_minutes_list_what_was_agreed_by_circulation(panel: Panel) -> None:
    with panel.db.unit_of_work(read_only=True) as session:
        meetings = session.scalars(select(Meeting).where(Meeting.kind == MeetingKind.MEETING)
                                   .order_by(Meeting.meeting_date)).all()
        held = [m for m in meetings if m.status != MeetingStatus.PLANNED and m.meeting_date < DEMO_TODAY]
        later = [m for m in meetings if m.meeting_date >= DEMO_TODAY]
        last_held, upcoming = held[-1].id, later[0]
        upcoming_id, upcoming_day = upcoming.id, upcoming.meeting_date
    circulation_id = panel.send(PLAIN, FLAGGED, deadline=dt.datetime.combine(upcoming_day, dt.time(8), dt.UTC))
    panel.answer(circulation_id, PLAIN, "lived", "emlead", "member")
    panel.answer(circulation_id, FLAGGED, "lived")
    panel.close(circulation_id)
    panel.decide(circulation_id, PLAIN, now=SENT + dt.timedelta(hours=2))
    chair = panel.chair_present(upcoming_id)
    with panel.db.unit_of_work(read_only=True) as session:
        minutes = build_minutes(session=session, actor=chair, meeting_id=upcoming_id, today=upcoming_day)
        earlier = build_minutes(session=session, actor=chair, meeting_id=last_held, today=DEMO_TODAY)
    section = next(s for s in minutes.sections if s.heading == "Agreed by circulation since the last meeting")
    assert section.paragraphs == (f"{PLAIN}: Signed off, on Monday 23 November 2026 (3 of 7 eligible members "
                                  "answered).",)
    assert all(s.heading != "Agreed by circulation since the last meeting" for s in earlier.sections)
    with panel.db.unit_of_work(read_only=True) as session:  # what the Minutes page shows whoever writes them
        assert minutes_state(session=session, actor=panel.actor("admin"),
                             meeting_id=upcoming_id).agreed_by_circulation == section.paragraphs
        easy = build_easy_read_minutes(session=session, actor=chair, meeting_id=upcoming_id, today=upcoming_day)
        earlier_easy = build_easy_read_minutes(session=session, actor=chair, meeting_id=last_held, today=DEMO_TODAY)
    before = next(s for s in easy.sections if s.heading == "Decided before the meeting")
    assert [(b.icon, b.sentences) for b in before.blocks][1:] == [
        ("signed_off", (f"Review {PLAIN}: 3 panel members voted.", "The panel agreed the review was done well."))]
    said = " ".join(s for b in before.blocks for s in b.sentences)
    assert [i.kind for i in check_easy_read(said).issues] == ["acronym"]  # LDR: explained at the top
    assert "LDR is short for LeDeR review." in easy.sentences()
    assert all(s.heading != "Decided before the meeting" for s in earlier_easy.sections)


def test_a_decision_on_the_afternoon_of_a_meeting_day_waits_for_the_next_meetings_minutes(panel: Panel) -> None:
    with panel.db.unit_of_work(read_only=True) as session:
        upcoming = session.scalars(select(Meeting).where(Meeting.kind == MeetingKind.MEETING,
                                                         Meeting.meeting_date >= DEMO_TODAY)
                                   .order_by(Meeting.meeting_date)).first()
        assert upcoming is not None and upcoming.start_time == dt.time(10, 0)
        upcoming_id, day = upcoming.id, upcoming.meeting_date
    morning = dt.datetime.combine(day, dt.time(8), ZoneInfo("Europe/London"))  # before the meeting began
    afternoon = dt.datetime.combine(day, dt.time(15), ZoneInfo("Europe/London"))  # after it began
    first = panel.send(PLAIN, deadline=afternoon + dt.timedelta(days=1))
    second = panel.send(FLAGGED, deadline=afternoon + dt.timedelta(days=1))
    panel.answer(first, PLAIN, "lived", "emlead", "member")
    panel.answer(second, FLAGGED, "lived", "emlead", "member")
    panel.close(first, now=morning)
    panel.close(second, now=afternoon)
    panel.decide(first, PLAIN, now=morning)
    panel.decide(second, FLAGGED, now=afternoon)
    chair = panel.chair_present(upcoming_id)
    with panel.db.unit_of_work(read_only=True) as session:
        minutes = build_minutes(session=session, actor=chair, meeting_id=upcoming_id, today=day)
    section = next(s for s in minutes.sections if s.heading == "Agreed by circulation since the last meeting")
    assert [line.split(":")[0] for line in section.paragraphs] == [PLAIN]  # FLAGGED goes to the next minutes
