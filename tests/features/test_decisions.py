"""After the vote: anonymous and supported votes, apology views, the decision stored with its tally and
quorum, the locked signed-off review and its reasoned new versions, and the append-only audit log."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, inspect, select, text

from db.models import AnonymousBallot, Decision, Vote
from features.audit.audit import audit_trail
from features.meetings.meetings import advance_status
from features.minutes.minutes import build_minutes, item_key
from features.panel_settings.panels import panel_rules, update_panel_rules
from features.reviews.comments import add_comment
from features.reviews.escalations import escalation_log
from features.reviews.reviews import add_finding, review_detail, update_summary
from features.reviews.versions import amend_signed_off_review, review_versions
from features.voting.decisions import decision_for_item, record_decision
from features.voting.options import OptionChange, update_vote_options
from features.voting.voting import cast_vote, close_poll, vote_options
from rules.errors import Conflict, Invalid, NotAllowed
from rules.vocabulary import (
    AttendanceStatus,
    DecisionOutcome,
    FindingKind,
    ItemStatus,
    ReviewStatus,
    VoteMode,
)
from tests.conftest import DEMO_TODAY
from tests.features.conftest import NOW, VOTERS, Room, open_vote, option_ids, view_vote, vote


def _close(room: Room, poll_id: int) -> None:
    with room.db.unit_of_work() as session:
        close_poll(session=session, actor=room.actor("chair"), poll_id=poll_id, now=NOW)


def _decide(room: Room, poll_id: int, outcome: DecisionOutcome = DecisionOutcome.SIGNED_OFF, reasons: str = "",
            who: str = "chair") -> int:
    with room.db.unit_of_work() as session:
        return record_decision(session=session, actor=room.actor(who), poll_id=poll_id, outcome=outcome,
                               reasons=reasons, now=NOW)



def _count(room: Room, model: type, **where: int) -> int:
    """Rows of `model` for one poll or item (the demo's past meetings have their own)."""
    query = select(func.count()).select_from(model)
    for column, value in where.items():
        query = query.where(getattr(model, column) == value)
    with room.db.unit_of_work(read_only=True) as session:
        return session.scalar(query) or 0


def _item_log(room: Room, item_id: int) -> list[str]:
    """The audit lines about the review on this item (the log names votes by their review)."""
    line = next(line for line in room.room().agenda if line.id == item_id)
    reference = line.title.removeprefix("Focused review ")
    with room.db.unit_of_work(read_only=True) as session:
        rows = audit_trail(session=session, actor=room.actor("admin"), subject=f"review {reference}")
    return [row.action for row in rows]


def _review_id(room: Room, item_id: int) -> int:
    return next(line.review_id for line in room.room().agenda if line.id == item_id)


def _signed_off(room: Room, item_id: int) -> int:
    poll_id = open_vote(room, item_id)
    for who in VOTERS:
        vote(room, poll_id, who, "sign_off")
    _close(room, poll_id)
    _decide(room, poll_id, reasons="A thorough review.")
    return _review_id(room, item_id)


# Anonymous polls -------------------------------------------------------------------------------------------

def test_an_anonymous_poll_keeps_who_voted_apart_from_what_was_chosen(started: Room, ready_item: int) -> None:
    poll_id = open_vote(started, ready_item, anonymous=True)
    vote(started, poll_id, "member", "sign_off")
    vote(started, poll_id, "lived", "not_yet", "The family were not asked.")
    with started.db.unit_of_work(read_only=True) as session:
        assert session.scalars(select(Vote.option_id).where(Vote.poll_id == poll_id)).all() == [None, None]
        assert session.scalars(select(Vote.reason).where(Vote.poll_id == poll_id)).all() == ["", ""]
        ballot_columns = {c["name"] for c in inspect(session.get_bind()).get_columns("anonymous_ballots")}
        ballot_keys = session.scalars(select(AnonymousBallot.id)).all()
    assert ballot_columns == {"id", "poll_id", "option_id", "reason"}  # no member, no time
    assert all(len(key) == 32 and not key.isdigit() for key in ballot_keys)  # random, not in voting order
    assert view_vote(started, ready_item).my_choice is None and view_vote(started, ready_item).i_have_voted
    _close(started, poll_id)
    closed = view_vote(started, ready_item)
    counts = {r.option: (r.count, r.names) for r in closed.results}
    assert counts["Sign off"] == (1, ()) and counts["Not yet: return to reviewer"] == (1, ())
    assert [v.name for v in closed.voters] == ["Grace Mensah", "Sam Taylor"]
    with started.db.unit_of_work(read_only=True) as session:
        log = " ".join(row.description for row in audit_trail(session=session, actor=started.actor("chair")))
    assert "Sam Taylor voted." in log and "Not yet" not in log and "Sign off" not in log


def test_an_anonymous_vote_cannot_be_cast_twice_or_changed(started: Room, ready_item: int) -> None:
    poll_id = open_vote(started, ready_item, anonymous=True)
    vote(started, poll_id, "member", "sign_off")
    with pytest.raises(Conflict, match="already voted in this anonymous vote"):
        vote(started, poll_id, "member", "abstain")
    assert (_count(started, Vote, poll_id=poll_id), _count(started, AnonymousBallot, poll_id=poll_id)) == (1, 1)


def test_concurrent_anonymous_votes_leave_one_vote_and_one_ballot_per_member(started: Room,
                                                                              ready_item: int) -> None:
    poll_id = open_vote(started, ready_item, anonymous=True)
    option = option_ids(started)["sign_off"]
    actors = {who: started.actor(who) for who in VOTERS}
    unexpected: list[BaseException] = []
    barrier = threading.Barrier(len(VOTERS) * 3)

    def vote_from_a_tab(who: str) -> None:
        barrier.wait()
        try:
            with started.db.unit_of_work() as session:
                cast_vote(session=session, actor=actors[who], poll_id=poll_id, option_id=option, reason="",
                          now=NOW)
        except Conflict:
            pass  # the member's other tab got there first: told so in words
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            unexpected.append(error)

    threads = [threading.Thread(target=vote_from_a_tab, args=(who,)) for who in VOTERS for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert unexpected == []
    assert _count(started, Vote, poll_id=poll_id) == len(VOTERS) == _count(started, AnonymousBallot, poll_id=poll_id)


# Supported votes --------------------------------------------------------------------------------------------

def test_supported_votes_are_shown_as_supported_by(started: Room, ready_item: int) -> None:
    poll_id = open_vote(started, ready_item)
    vote(started, poll_id, "lived", "sign_off", mode=VoteMode.SUPPORTER, supported_by="Pat (support worker)")
    vote(started, poll_id, "admin", "abstain", member_id=started.user_id("member"))
    _close(started, poll_id)
    closed = view_vote(started, ready_item)
    shown = {v.name: v.shown_as for v in closed.voters}
    assert shown["Sam Taylor"] == "Sam Taylor (supported by Pat (support worker))"
    assert shown["Grace Mensah"] == "Grace Mensah (supported by Morgan Ellis)"  # the secretariat who recorded it
    names = {r.option: r.names for r in closed.results}
    assert names["Sign off"] == ("Sam Taylor (supported by Pat (support worker))",)


def test_a_supporter_must_be_named(started: Room, ready_item: int) -> None:
    poll_id = open_vote(started, ready_item)
    with pytest.raises(Invalid, match="name of the person helping you"):
        vote(started, poll_id, "lived", "sign_off", mode=VoteMode.SUPPORTER, supported_by="  ")
    assert _count(started, Vote, poll_id=poll_id) == 0


# Pre-meeting views of members who sent apologies ----------------------------------------------------------

@pytest.fixture
def with_apology_view(upcoming: Room) -> Room:
    """Jo (lived-experience member) gives a view and how she would vote before the meeting, then sends apologies."""
    review_id = upcoming.review_items()[1].review_id
    with upcoming.db.unit_of_work() as session:
        add_comment(session=session, actor=upcoming.actor("lived2"), review_id=review_id,
                    body="The easy read letter was good.", vote_option_id=option_ids(upcoming)["sign_off"])
    meeting = upcoming.room().meeting
    with upcoming.db.unit_of_work() as session:
        advance_status(session=session, actor=upcoming.actor("admin"), meeting_id=upcoming.meeting_id,
                       expected_version=meeting.version_id)
    for name in VOTERS:
        upcoming.attend(name)
    upcoming.attend("lived2", AttendanceStatus.APOLOGIES)
    line = upcoming.review_items()[1]
    upcoming.go_to(line.id)
    upcoming.ready(line.id)
    return upcoming


def _set_counting(room: Room, on: bool) -> None:
    admin = room.actor("admin")
    with room.db.unit_of_work() as session:
        rules = panel_rules(session=session, panel_id=admin.panel_id)
        update_panel_rules(session=session, actor=admin, quorum=rules.quorum, clock=rules.clock,
                           require_em_lead_view=rules.require_em_lead_view, expected_version=rules.version_id,
                           count_apology_views=on)


def test_apology_views_are_shown_but_not_counted_by_default(with_apology_view: Room) -> None:
    room = with_apology_view
    item_id = room.review_items()[1].id
    poll_id = open_vote(room, item_id)
    view = view_vote(room, item_id)
    assert [(v.name, v.would_vote, v.counted) for v in view.apology_views] == [("Jo Bennett", "Sign off", False)]
    assert view.apology_views[0].body
    observed = view_vote(room, item_id, "observer")
    assert [v.body for v in observed.apology_views] == [""], "observers read no case detail"
    vote(room, poll_id, "member", "abstain")
    _close(room, poll_id)
    closed = view_vote(room, item_id)
    assert (closed.voted, closed.eligible) == (1, 6)
    assert {r.option: r.count for r in closed.results}["Sign off"] == 0


def test_apology_views_count_as_votes_when_the_panel_says_so(with_apology_view: Room) -> None:
    room = with_apology_view
    _set_counting(room, True)
    item_id = room.review_items()[1].id
    poll_id = open_vote(room, item_id)
    vote(room, poll_id, "member", "abstain")
    _close(room, poll_id)
    closed = view_vote(room, item_id)
    assert (closed.voted, closed.eligible) == (2, 7)
    assert {r.option: r.names for r in closed.results}["Sign off"] == ("Jo Bennett (view sent before the meeting)",)


def test_a_view_saying_how_to_vote_is_only_taken_before_the_meeting(started: Room, ready_item: int) -> None:
    review_id = _review_id(started, ready_item)
    with pytest.raises(Invalid, match="vote when the chair opens the vote"), started.db.unit_of_work() as session:
        add_comment(session=session, actor=started.actor("member"), review_id=review_id, body="Fine.",
                    vote_option_id=option_ids(started)["sign_off"])


# The decision --------------------------------------------------------------------------------------------

def test_the_decision_is_stored_with_the_tally_and_the_quorum(started: Room, ready_item: int) -> None:
    poll_id = open_vote(started, ready_item)
    for who, code in zip(VOTERS, ("sign_off",) * 4 + ("sign_off_with_changes", "abstain"), strict=True):
        vote(started, poll_id, who, code)
    _close(started, poll_id)
    assert view_vote(started, ready_item).leading == "Most votes: Sign off (4)"
    _decide(started, poll_id, DecisionOutcome.SIGNED_OFF, "Clear learning on hospital passports.")
    with started.db.unit_of_work(read_only=True) as session:
        decision = decision_for_item(session=session, actor=started.actor("observer"), item_id=ready_item)
    assert decision.outcome_label == "Signed off"
    assert decision.tally_in_words == ("Sign off: 4; Sign off with changes: 1; Not yet: return to reviewer: 0; "
                                       "Abstain: 1")
    assert (decision.voted, decision.eligible, decision.quorum_met) == (6, 6, True)
    assert decision.quorum_summary == ("Quorate: yes (6 voting members present), including the chair, "
                                       "a lived-experience member and the ethnic minority lead")
    line = next(line for line in started.room().agenda if line.id == ready_item)
    assert line.status == ItemStatus.DECIDED
    with started.db.unit_of_work(read_only=True) as session:
        review = review_detail(session=session, actor=started.actor("chair"), review_id=line.review_id,
                               today=DEMO_TODAY)
    assert review.status == ReviewStatus.SIGNED_OFF
    assert _item_log(started, ready_item) == ["decision recorded", "vote closed"] + ["vote cast"] * 6 + ["vote opened"]


@pytest.mark.parametrize(
    ("outcome", "status"),
    [(DecisionOutcome.RETURNED, ReviewStatus.RETURNED), (DecisionOutcome.ESCALATED, ReviewStatus.ESCALATED)],
)
def test_returned_and_escalated_reviews_are_not_locked(started: Room, ready_item: int, outcome: DecisionOutcome,
                                                       status: ReviewStatus) -> None:
    poll_id = open_vote(started, ready_item)
    vote(started, poll_id, "member", "not_yet", "Needs the GP's view.")
    _close(started, poll_id)
    _decide(started, poll_id, outcome, "The GP practice was not asked.")
    review_id = _review_id(started, ready_item)
    with started.db.unit_of_work(read_only=True) as session:
        assert review_detail(session=session, actor=started.actor("chair"), review_id=review_id,
                             today=DEMO_TODAY).status == status
        assert review_versions(session=session, actor=started.actor("chair"), review_id=review_id) == []
        escalated = [e for e in escalation_log(session=session, actor=started.actor("chair"))
                     if e.what.endswith("The GP practice was not asked.")]
    assert len(escalated) == (1 if outcome == DecisionOutcome.ESCALATED else 0)  # the log gets an entry itself


def test_bad_decisions_are_refused_and_nothing_is_written(started: Room, ready_item: int) -> None:
    poll_id = open_vote(started, ready_item)
    vote(started, poll_id, "member", "sign_off")
    with pytest.raises(Invalid, match="Close the vote before"):
        _decide(started, poll_id)
    _close(started, poll_id)
    with pytest.raises(NotAllowed):
        _decide(started, poll_id, who="member")
    with pytest.raises(NotAllowed):
        _decide(started, poll_id, who="admin")
    with pytest.raises(Invalid, match="Give the panel's reasons for 'Returned to the reviewer'"):
        _decide(started, poll_id, DecisionOutcome.RETURNED, "  ")
    with pytest.raises(Invalid, match="control characters"):
        _decide(started, poll_id, DecisionOutcome.RETURNED, "bad\x1b[31m")
    assert _count(started, Decision, agenda_item_id=ready_item) == 0
    _decide(started, poll_id, DecisionOutcome.SIGNED_OFF)
    with pytest.raises(Conflict, match="already been recorded"):
        _decide(started, poll_id, DecisionOutcome.RETURNED, "Changed our minds.")
    assert _count(started, Decision, agenda_item_id=ready_item) == 1


def test_no_decision_when_the_panel_was_not_quorate_at_close(started: Room, ready_item: int) -> None:
    poll_id = open_vote(started, ready_item)
    vote(started, poll_id, "member", "sign_off")
    started.attend("lived", AttendanceStatus.ABSENT)  # Sam left the room before voting
    _close(started, poll_id)
    with pytest.raises(Invalid, match="not quorate when the vote closed"):
        _decide(started, poll_id)
    assert _count(started, Decision, agenda_item_id=ready_item) == 0
    started.attend("lived")
    second = open_vote(started, ready_item)  # the chair runs the vote again once quorate
    assert second != poll_id


def test_the_minutes_say_an_item_was_not_quorate_and_what_happened(started: Room, ready_item: int) -> None:
    poll_id = open_vote(started, ready_item)
    vote(started, poll_id, "member", "sign_off")
    started.attend("lived", AttendanceStatus.ABSENT)
    _close(started, poll_id)
    with started.db.unit_of_work(read_only=True) as session:
        minutes = build_minutes(session=session, actor=started.actor("admin"), meeting_id=started.meeting_id,
                                today=DEMO_TODAY)
    item = next(s for s in minutes.sections if s.key == item_key(ready_item))
    assert item.outcome[-1] == ("Decision: none. The panel was not quorate when the vote closed (Not quorate: no "
                                "lived-experience member present), so no decision could be recorded. The review "
                                "comes back to a later meeting.")


def test_someone_who_voted_in_an_open_vote_cannot_be_marked_away(started: Room, ready_item: int) -> None:
    poll_id = open_vote(started, ready_item)
    vote(started, poll_id, "member", "sign_off")
    with pytest.raises(Invalid, match="Grace Mensah has voted in the open vote"):
        started.attend("member", AttendanceStatus.ABSENT)
    started.attend("member", AttendanceStatus.PRESENT_REMOTE)  # moving online is fine
    _close(started, poll_id)
    started.attend("member", AttendanceStatus.ABSENT)  # after the vote, people may leave


# Locking and versions ------------------------------------------------------------------------------------

def test_a_signed_off_review_cannot_be_edited_in_place(started: Room, ready_item: int) -> None:
    review_id = _signed_off(started, ready_item)
    reviewer = started.actor("reviewer")
    with pytest.raises(Invalid, match="signed off and is locked"), started.db.unit_of_work() as session:
        add_finding(session=session, actor=reviewer, review_id=review_id, kind=FindingKind.CONCERN,
                    text="A late change.", theme_ids=[])
    with pytest.raises(Invalid, match="signed off and is locked"), started.db.unit_of_work() as session:
        update_summary(session=session, actor=started.actor("admin"), review_id=review_id, summary="Rewritten.",
                       ethnic_minority=False, expected_version=1)
    with started.db.unit_of_work(read_only=True) as session:
        versions = review_versions(session=session, actor=reviewer, review_id=review_id)
    assert [(v.number, v.kind_label, v.reason) for v in versions] == [(1, "Signed off by the panel",
                                                                        "A thorough review.")]


@pytest.mark.parametrize("table", ["review_versions", "decisions", "audit_events"])
def test_the_database_refuses_to_change_or_delete_locked_rows(started: Room, ready_item: int, table: str) -> None:
    _signed_off(started, ready_item)
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(Exception, match="append-only"), started.db.unit_of_work() as session:
            session.execute(text(statement))
    with started.db.unit_of_work(read_only=True) as session:
        assert session.scalar(text(f"SELECT count(*) FROM {table}")) >= 1


def _amend(room: Room, review_id: int, texts: dict[int, str], reason: str, expected: int = 1,
           who: str = "reviewer") -> int:
    with room.db.unit_of_work() as session:
        return amend_signed_off_review(session=session, actor=room.actor(who), review_id=review_id, texts=texts,
                                       reason=reason, now=NOW, expected_version=expected)


def test_an_amendment_is_a_new_version_with_reason_and_differences(started: Room, ready_item: int) -> None:
    review_id = _signed_off(started, ready_item)
    with started.db.unit_of_work(read_only=True) as session:
        findings = review_detail(session=session, actor=started.actor("reviewer"), review_id=review_id,
                                 today=DEMO_TODAY).findings
    first, *rest = findings
    assert rest, "the demo review has more than one finding"
    number = _amend(started, review_id, {first.id: first.text + " (corrected date)", rest[-1].id: ""},
                    "The date of the annual health check was wrong.")
    assert number == 2
    with started.db.unit_of_work(read_only=True) as session:
        versions = review_versions(session=session, actor=started.actor("member"), review_id=review_id)
        reference = review_detail(session=session, actor=started.actor("chair"), review_id=review_id,
                                  today=DEMO_TODAY).reference
        review_log = audit_trail(session=session, actor=started.actor("chair"), subject=f"review {reference}")
    signed, amended = versions
    assert signed.findings != amended.findings and signed.changes == ()
    assert amended.author == "Chris Walker" and amended.reason == "The date of the annual health check was wrong."
    assert any(c.startswith("Changed. Was: ") and c.endswith("(corrected date)") for c in amended.changes)
    assert any(c.startswith("Removed: ") for c in amended.changes)
    assert [row.action for row in review_log][:3] == ["review amended", "decision recorded", "vote closed"]
    assert "Version 2" in review_log[0].description


def test_bad_amendments_are_refused(started: Room, ready_item: int) -> None:
    review_id = _signed_off(started, ready_item)
    with started.db.unit_of_work(read_only=True) as session:
        first = review_detail(session=session, actor=started.actor("reviewer"), review_id=review_id,
                              today=DEMO_TODAY).findings[0]
    with pytest.raises(Invalid, match="Say why"):
        _amend(started, review_id, {first.id: "New words."}, " ")
    with pytest.raises(Invalid, match="Nothing has changed"):
        _amend(started, review_id, {first.id: first.text}, "No change really.")
    with pytest.raises(NotAllowed):
        _amend(started, review_id, {first.id: "New words."}, "Tidy.", who="chair")
    _amend(started, review_id, {first.id: "New words."}, "Tidy.")
    with pytest.raises(Conflict):  # written against version 1 while version 2 was being saved
        _amend(started, review_id, {first.id: "Other words."}, "Tidy again.", expected=1)
    with started.db.unit_of_work(read_only=True) as session:
        assert len(review_versions(session=session, actor=started.actor("chair"), review_id=review_id)) == 2


def test_the_audit_log_is_for_the_chair_and_secretariat(started: Room, ready_item: int) -> None:
    _signed_off(started, ready_item)
    with started.db.unit_of_work(read_only=True) as session:
        with pytest.raises(NotAllowed):
            audit_trail(session=session, actor=started.actor("member"))
        south = audit_trail(session=session, actor=started.actor("southchair"))
        assert {row.subject for row in south} == {"account southchair", "account southadmin"}  # only its own
    assert len(_item_log(started, ready_item)) == 9



def test_anonymous_ballots_keep_no_voting_order(started: Room, ready_item: int) -> None:
    """No hidden SQLite rowid, and the box is shaken at close: new keys, so nothing follows the voting order."""
    poll_id = open_vote(started, ready_item, anonymous=True)
    for who in VOTERS:
        vote(started, poll_id, who, "sign_off")
    with started.db.unit_of_work(read_only=True) as session:
        before = set(session.scalars(select(AnonymousBallot.id)))
        if session.get_bind().dialect.name == "sqlite":
            with pytest.raises(Exception, match="no such column: rowid"):
                session.execute(text("SELECT rowid FROM anonymous_ballots"))
    _close(started, poll_id)
    with started.db.unit_of_work(read_only=True) as session:
        after = set(session.scalars(select(AnonymousBallot.id)))
    assert len(after) == len(VOTERS) and not before & after
    assert {r.option: r.count for r in view_vote(started, ready_item).results}["Sign off"] == len(VOTERS)


# The answers themselves -------------------------------------------------------------------------------------

def _reword(room: Room, who: str = "admin", **override: object) -> None:
    with room.db.unit_of_work(read_only=True) as session:
        options = vote_options(session=session, panel_id=room.actor(who).panel_id)
    changes = [OptionChange(o.id, o.label, o.meaning, o.requires_reason) for o in options]
    changes[0] = OptionChange(options[0].id, **{"label": "Yes, sign it off", "meaning": "Good enough.",
                                                "requires_reason": True, **override})
    with room.db.unit_of_work() as session:
        update_vote_options(session=session, actor=room.actor(who), changes=changes)


def test_the_secretariat_rewords_the_answers_but_not_during_a_vote(started: Room, ready_item: int) -> None:
    _reword(started)
    with started.db.unit_of_work(read_only=True) as session:
        first = vote_options(session=session, panel_id=started.actor("admin").panel_id)[0]
    assert (first.label, first.requires_reason) == ("Yes, sign it off", True)
    with pytest.raises(Invalid, match="same words"):
        _reword(started, label="abstain")
    with pytest.raises(Invalid, match="its words and a short plain meaning"):
        _reword(started, meaning=" ")
    with pytest.raises(NotAllowed):
        _reword(started, who="chair")
    open_vote(started, ready_item)
    with pytest.raises(Invalid, match="A vote is open"):
        _reword(started, label="Sign off now")


def test_a_meeting_cannot_end_with_a_vote_open(started: Room, ready_item: int) -> None:
    poll_id = open_vote(started, ready_item)
    vote(started, poll_id, "member", "sign_off")

    def end_meeting() -> None:
        with started.db.unit_of_work() as session:
            advance_status(session=session, actor=started.actor("chair"), meeting_id=started.meeting_id,
                           expected_version=started.room().meeting.version_id)

    with pytest.raises(Invalid, match="Close it before ending the meeting"):
        end_meeting()
    _close(started, poll_id)
    end_meeting()
