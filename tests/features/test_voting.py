"""Voting on sign-off: who may vote, one row per member (even under concurrency), hidden results until
the chair closes, and every bad input refused in words with nothing half-written."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from db.models import Vote
from features.audit.audit import audit_trail
from features.meetings.declarations import record_declaration
from features.voting.voting import cast_vote, close_poll, open_poll, vote_options
from rules.errors import Conflict, Invalid, NotAllowed
from rules.vocabulary import AttendanceStatus, DeclarationOutcome, PollStatus, VoteMode
from tests.conftest import DEMO_TODAY
from tests.features.conftest import NOW, VOTERS, Room, open_vote, option_ids, view_vote, vote


def _rows(room: Room, poll_id: int) -> int:
    with room.db.unit_of_work(read_only=True) as session:
        return session.scalar(select(func.count()).select_from(Vote).where(Vote.poll_id == poll_id)) or 0


def test_results_are_hidden_until_the_chair_closes(started: Room, ready_item: int) -> None:
    poll_id = open_vote(started, ready_item)
    vote(started, poll_id, "member", "sign_off")
    vote(started, poll_id, "lived", "not_yet", "The family were not asked about the hospital passport.")
    open_view = view_vote(started, ready_item)
    assert open_view.progress == "2 of 6 eligible members have voted"
    assert open_view.results is None and open_view.my_choice == "Sign off"
    with started.db.unit_of_work() as session:
        close_poll(session=session, actor=started.actor("chair"), poll_id=poll_id, now=NOW)
    closed = view_vote(started, ready_item, "observer")
    assert closed.status == PollStatus.CLOSED
    counts = {r.option: (r.count, r.names) for r in closed.results}
    assert counts["Sign off"] == (1, ("Grace Mensah",))
    assert counts["Not yet: return to reviewer"] == (1, ("Sam Taylor",))
    assert counts["Abstain"] == (0, ())


def test_changing_a_vote_changes_the_same_row(started: Room, ready_item: int) -> None:
    poll_id = open_vote(started, ready_item)
    for code in ("sign_off", "abstain", "sign_off_with_changes"):
        vote(started, poll_id, "member", code)
    assert _rows(started, poll_id) == 1
    assert view_vote(started, ready_item).my_choice == "Sign off with changes"
    with started.db.unit_of_work(read_only=True) as session:  # the history is kept in the audit log
        history = [row.description for row in audit_trail(session=session, actor=started.actor("chair"))
                   if row.action.startswith("vote c") and "Grace Mensah" in row.description]
    assert history == ["Grace Mensah changed their vote: Sign off with changes.",
                       "Grace Mensah changed their vote: Abstain.", "Grace Mensah voted: Sign off."]


@pytest.mark.parametrize(
    ("who", "error", "message"),
    [("observer", NotAllowed, "role"), ("reviewer", NotAllowed, "role"), ("admin", NotAllowed, "role"),
     ("lived2", NotAllowed, "present")],
)
def test_people_who_may_not_vote_are_refused(started: Room, ready_item: int, who: str, error: type,
                                            message: str) -> None:
    poll_id = open_vote(started, ready_item)
    with pytest.raises(error, match=message):
        vote(started, poll_id, who, "sign_off")
    assert _rows(started, poll_id) == 0


def test_a_recused_member_cannot_vote(started: Room, ready_item: int) -> None:
    with started.db.unit_of_work() as session:
        record_declaration(session=session, actor=started.actor("chair"), item_id=ready_item,
                           user_id=started.user_id("member2"), interest="Works for the provider",
                           outcome=DeclarationOutcome.RECUSED)
    poll_id = open_vote(started, ready_item)
    with pytest.raises(NotAllowed, match="stepped out"):
        vote(started, poll_id, "member2", "sign_off")
    assert view_vote(started, ready_item).eligible == 5


@pytest.mark.parametrize(
    ("code", "reason", "message"),
    [("not_yet", "", "Say why you chose"), ("sign_off", "x" * 100_000, "too long"),
     ("sign_off", "fine\x00\x07", "control characters")],
)
def test_bad_reasons_are_refused_and_nothing_is_written(started: Room, ready_item: int, code: str, reason: str,
                                                        message: str) -> None:
    poll_id = open_vote(started, ready_item)
    with pytest.raises(Invalid, match=message):
        vote(started, poll_id, "member", code, reason)
    assert _rows(started, poll_id) == 0


def test_an_option_from_another_panel_is_refused(started: Room, ready_item: int) -> None:
    poll_id = open_vote(started, ready_item)
    with started.db.unit_of_work(read_only=True) as session:
        south = vote_options(session=session, panel_id=started.actor("southchair").panel_id)
    with pytest.raises(Invalid, match="Choose one of the answers"), started.db.unit_of_work() as session:
        cast_vote(session=session, actor=started.actor("member"), poll_id=poll_id, option_id=south[0].id,
                  reason="", now=NOW)


def test_closed_polls_take_no_votes_and_empty_polls_do_not_close(started: Room, ready_item: int) -> None:
    poll_id = open_vote(started, ready_item)
    with pytest.raises(Invalid, match="No one has voted yet"), started.db.unit_of_work() as session:
        close_poll(session=session, actor=started.actor("chair"), poll_id=poll_id, now=NOW)
    vote(started, poll_id, "member", "sign_off")
    with started.db.unit_of_work() as session:
        close_poll(session=session, actor=started.actor("chair"), poll_id=poll_id, now=NOW)
    with pytest.raises(Invalid, match="has closed"):
        vote(started, poll_id, "lived", "sign_off")


def test_a_poll_opens_only_on_a_ready_quorate_item_and_once(started: Room, ready_item: int) -> None:
    other = started.review_items()[2]
    with pytest.raises(Invalid, match="ready for the vote first"):
        open_vote(started, other.id)
    open_vote(started, ready_item)
    with pytest.raises(Conflict, match="already open"):
        open_vote(started, ready_item)


def test_the_quorum_is_checked_again_when_the_poll_opens(started: Room, ready_item: int) -> None:
    started.attend("lived", AttendanceStatus.APOLOGIES)
    with pytest.raises(Invalid, match="no lived-experience member present"):
        open_vote(started, ready_item)


def test_members_cannot_open_or_close_polls(started: Room, ready_item: int) -> None:
    with pytest.raises(NotAllowed), started.db.unit_of_work() as session:
        open_poll(session=session, actor=started.actor("member"), meeting_id=started.meeting_id,
                  item_id=ready_item, now=NOW, today=DEMO_TODAY)


def test_a_supported_vote_is_recorded_for_the_member(started: Room, ready_item: int) -> None:
    poll_id = open_vote(started, ready_item)
    vote(started, poll_id, "admin", "sign_off", member_id=started.user_id("lived"),
          mode=VoteMode.RECORDED_BY_SECRETARIAT, supported_by="Secretariat, by phone")
    assert view_vote(started, ready_item, "lived").my_choice == "Sign off"
    with pytest.raises(NotAllowed, match="Only the chair or the secretariat"):
        vote(started, poll_id, "member", "sign_off", member_id=started.user_id("lived"))


def test_many_concurrent_votes_leave_exactly_one_row_per_member(started: Room, ready_item: int) -> None:
    """Six members each vote from four 'tabs' at once: six rows, and nobody sees an error."""
    poll_id = open_vote(started, ready_item)
    choices = list(option_ids(started).values())
    actors = {who: started.actor(who) for who in VOTERS}
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(VOTERS) * 4)

    def vote_from_a_tab(who: str, option_id: int) -> None:
        barrier.wait()
        try:
            with started.db.unit_of_work() as session:
                cast_vote(session=session, actor=actors[who], poll_id=poll_id, option_id=option_id,
                          reason="Agreed in the room.", now=NOW)
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=vote_from_a_tab, args=(who, choices[n % 2]))
               for who in VOTERS for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _rows(started, poll_id) == len(VOTERS)
    assert view_vote(started, ready_item).progress == "6 of 6 eligible members have voted"
