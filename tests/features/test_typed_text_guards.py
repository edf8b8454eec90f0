"""Every free text a person types goes through the same two guards before anything is stored: the length
limit of its kind (rules/limits.py) and the personal-data guard, which refuses a probable NHS number.
These are the texts outside the hostile-input catalogue's six forms: what is said with a vote or a
decision, the notes on actions and escalations, a meeting's place and a review's type of setting. The
tracker's "contains" filters are bounded too, and match % and _ literally."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from db.models import (
    Action,
    ActionUpdate,
    AnonymousBallot,
    Decision,
    Escalation,
    FocusedReview,
    Meeting,
    Vote,
)
from features.actions.actions import (
    ActionDraft,
    ActionFilter,
    agree_new_date,
    list_actions,
    save_action,
    update_action,
)
from features.meetings.meetings import create_meeting
from features.reviews.escalations import escalate, record_response
from features.reviews.reviews import create_review
from features.voting.decisions import record_decision
from features.voting.voting import close_poll
from rules.errors import Invalid
from rules.limits import MAX_FILTER_CHARS
from rules.vocabulary import ActionStatus, DecisionOutcome, EscalationStatus, VoteMode
from tests.conftest import DEMO_TODAY
from tests.features.conftest import NOW, Room, open_vote, vote

NHS_NUMBER = "The letter gave 943 476 5919 as the number"  # passes the modulus-11 check
TOO_LONG = "x" * 100_000
TABLES = (Vote, AnonymousBallot, Decision, ActionUpdate, Action, Escalation, Meeting, FocusedReview)


def _review_id(room: Room, ending: str = "0109") -> int:
    with room.db.unit_of_work(read_only=True) as session:
        return session.scalars(select(FocusedReview.id).where(FocusedReview.reference.endswith(ending))).one()


def _action(room: Room) -> tuple[int, int]:
    """A draft action on a demo review: its id and version."""
    data = ActionDraft(description="Audit eating and drinking plans in all 12 homes each quarter",
                       measure="Audit report", owner_name="Nurse lead", owner_organisation="Northshire (fictional)",
                       owner_agreed=True, finding_id=None, priority_id=None,
                       due_on=DEMO_TODAY + dt.timedelta(days=90))
    with room.db.unit_of_work() as session:
        action_id = save_action(session=session, actor=room.actor("chair"), review_id=_review_id(room), data=data,
                                as_draft=True, today=DEMO_TODAY, now=NOW)
    with room.db.unit_of_work(read_only=True) as session:
        return action_id, session.get(Action, action_id).version_id


def _own_vote(room: Room, item: int, text: str) -> None:
    vote(room, open_vote(room, item), "member", "sign_off", text)


def _supporter(room: Room, item: int, text: str) -> None:
    vote(room, open_vote(room, item), "lived", "sign_off", "", mode=VoteMode.SUPPORTER, supported_by=text)


def _vote_given_to_the_chair(room: Room, item: int, text: str) -> None:
    vote(room, open_vote(room, item), "chair", "sign_off", text, member_id=room.user_id("member"),
         mode=VoteMode.RECORDED_BY_SECRETARIAT)


def _decision(room: Room, item: int, text: str) -> None:
    poll_id = open_vote(room, item)
    for who in ("chair", "vicechair", "member", "member2", "lived", "emlead"):
        vote(room, poll_id, who, "sign_off")
    with room.db.unit_of_work() as session:
        close_poll(session=session, actor=room.actor("chair"), poll_id=poll_id, now=NOW)
    with room.db.unit_of_work() as session:
        record_decision(session=session, actor=room.actor("chair"), poll_id=poll_id,
                        outcome=DecisionOutcome.SIGNED_OFF, reasons=text, now=NOW)


def _action_note(room: Room, item: int, text: str) -> None:
    action_id, version = _action(room)
    with room.db.unit_of_work() as session:
        update_action(session=session, actor=room.actor("reviewer"), action_id=action_id,
                      status=ActionStatus.IN_PROGRESS, note=text, evidence="", now=NOW, expected_version=version)


def _action_evidence(room: Room, item: int, text: str) -> None:
    action_id, version = _action(room)
    with room.db.unit_of_work() as session:
        update_action(session=session, actor=room.actor("reviewer"), action_id=action_id,
                      status=ActionStatus.IN_PROGRESS, note="Audit started", evidence=text, now=NOW,
                      expected_version=version)


def _new_date_reason(room: Room, item: int, text: str) -> None:
    action_id, version = _action(room)
    with room.db.unit_of_work() as session:
        agree_new_date(session=session, actor=room.actor("chair"), action_id=action_id,
                       new_due_on=DEMO_TODAY + dt.timedelta(days=120), reason=text, today=DEMO_TODAY, now=NOW,
                       expected_version=version)


def _escalation_recipient(room: Room, item: int, text: str) -> None:
    with room.db.unit_of_work() as session:
        escalate(session=session, actor=room.actor("chair"), what="Repeated delays in annual health checks",
                 today=DEMO_TODAY, review_id=_review_id(room), to_whom=text)


def _escalation_response(room: Room, item: int, text: str) -> None:
    with room.db.unit_of_work() as session:
        escalation_id = escalate(session=session, actor=room.actor("chair"), today=DEMO_TODAY,
                                 what="Repeated delays in annual health checks", review_id=_review_id(room))
    with room.db.unit_of_work(read_only=True) as session:
        version = session.get(Escalation, escalation_id).version_id
    with room.db.unit_of_work() as session:
        record_response(session=session, actor=room.actor("chair"), escalation_id=escalation_id, response=text,
                        status=EscalationStatus.RESPONDED, expected_version=version)


def _meeting_place(room: Room, item: int, text: str) -> None:
    with room.db.unit_of_work() as session:
        create_meeting(session=session, actor=room.actor("admin"), meeting_date=DEMO_TODAY + dt.timedelta(days=60),
                       start_time=None, location=text, online_link="", today=DEMO_TODAY)


def _meeting_link(room: Room, item: int, text: str) -> None:
    with room.db.unit_of_work() as session:
        create_meeting(session=session, actor=room.actor("admin"), meeting_date=DEMO_TODAY + dt.timedelta(days=60),
                       start_time=None, location="Room 2", online_link="https://" + text, today=DEMO_TODAY)


def _setting_type(room: Room, item: int, text: str) -> None:
    with room.db.unit_of_work() as session:
        create_review(session=session, actor=room.actor("admin"), reference="LDR-2026-0990",
                      notified_on=DEMO_TODAY - dt.timedelta(days=30), age_band="25-34", setting_type=text,
                      ethnic_minority=False, reviewer_id=None, senior_reviewer_id=None, today=DEMO_TODAY)


TypedText = Callable[[Room, int, str], None]
GUARDED: dict[str, TypedText] = {
    "a vote's reason": _own_vote, "the name of a vote's supporter": _supporter,
    "a vote given to the chair, its reason": _vote_given_to_the_chair, "the panel's decision reasons": _decision,
    "an action-update note": _action_note, "an action's evidence": _action_evidence,
    "the reason for a new date": _new_date_reason, "who an escalation goes to": _escalation_recipient,
    "an escalation's response": _escalation_response, "a meeting's place": _meeting_place,
    "a review's type of setting": _setting_type,
}
LINK_ONLY: dict[str, TypedText] = {"a meeting's online link": _meeting_link}


def _counts(room: Room) -> dict[str, int]:
    with room.db.unit_of_work(read_only=True) as session:
        return {t.__tablename__: session.scalar(select(func.count()).select_from(t)) or 0 for t in TABLES}


def _refused_and_nothing_new(room: Room, item: int, save: TypedText, text: str, message: str) -> None:
    """The typed text is refused in words; the rows its own save would write are not there.
    (The set-up a save needs, such as the action an update is about, may write rows first.)"""
    before = _counts(room)
    with pytest.raises(Invalid, match=message) as refused:
        save(room, item, text)
    assert str(refused.value).endswith((".", "box.")), str(refused.value)
    after = _counts(room)
    written_by_setup = {"actions", "escalations", "votes", "polls"}
    assert {t: n for t, n in after.items() if t not in written_by_setup} == \
        {t: n for t, n in before.items() if t not in written_by_setup}


@pytest.mark.parametrize("save", GUARDED.values(), ids=GUARDED.keys())
def test_a_probable_nhs_number_is_refused_in_every_typed_text(started: Room, ready_item: int,
                                                                 save: TypedText) -> None:
    _refused_and_nothing_new(started, ready_item, save, NHS_NUMBER, "looks like an NHS number")


@pytest.mark.parametrize("save", [*GUARDED.values(), *LINK_ONLY.values()], ids=[*GUARDED, *LINK_ONLY])
def test_100000_characters_are_refused_in_every_typed_text(started: Room, ready_item: int, save: TypedText) -> None:
    _refused_and_nothing_new(started, ready_item, save, TOO_LONG, "too long: at most")


@pytest.mark.parametrize("field", ["owner", "organisation"])
def test_a_tracker_filter_of_100000_characters_is_refused_in_words(started: Room, field: str) -> None:
    wanted = ActionFilter(**{field: "x" * 100_000})
    with pytest.raises(Invalid, match=f"at most {MAX_FILTER_CHARS} characters"), \
            started.db.unit_of_work(read_only=True) as session:
        list_actions(session=session, actor=started.actor("chair"), today=DEMO_TODAY, wanted=wanted)
    with started.db.unit_of_work(read_only=True) as session:  # the longest allowed is a plain search
        rows = list_actions(session=session, actor=started.actor("chair"), today=DEMO_TODAY,
                            wanted=ActionFilter(**{field: "x" * MAX_FILTER_CHARS}))
    assert rows == []


@pytest.mark.parametrize(("typed", "matches"), [("100%", ["Lead for 100% of homes"]), ("a_b", ["Team a_b"]),
                                                ("%", ["Lead for 100% of homes"]), ("_", ["Team a_b"])])
def test_percent_and_underscore_in_a_filter_match_only_themselves(started: Room, typed: str,
                                                                   matches: list[str]) -> None:
    for owner in ("Lead for 100% of homes", "Lead for 1000 homes", "Team a_b", "Team axb"):
        data = ActionDraft(description="Audit eating and drinking plans in all 12 homes each quarter",
                           measure="Audit report", owner_name=owner, owner_organisation="Northshire (fictional)",
                           owner_agreed=True, finding_id=None, priority_id=None,
                           due_on=DEMO_TODAY + dt.timedelta(days=90))
        with started.db.unit_of_work() as session:
            save_action(session=session, actor=started.actor("chair"), review_id=_review_id(started), data=data,
                        as_draft=True, today=DEMO_TODAY, now=NOW)
    with started.db.unit_of_work(read_only=True) as session:
        found = list_actions(session=session, actor=started.actor("chair"), today=DEMO_TODAY,
                             wanted=ActionFilter(owner=typed))
    assert sorted(r.owner_name for r in found) == matches
