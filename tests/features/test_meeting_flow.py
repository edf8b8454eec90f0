"""Running the demo's upcoming meeting: agenda, attendance, declarations, comments, quorum, readiness."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from db.session import Database
from features.meetings.attendance import attendance_rows, record_attendance
from features.meetings.declarations import record_declaration
from features.meetings.meetings import (
    add_review_to_agenda,
    advance_status,
    create_meeting,
    remove_review_from_agenda,
)
from features.reviews.comments import add_comment, review_comments
from features.reviews.reviews import list_reviews
from rules.actors import Actor
from rules.errors import Conflict, Invalid, NotAllowed
from rules.vocabulary import AttendanceStatus, DeclarationOutcome, ItemStatus, MeetingStatus
from tests.conftest import DEMO_TODAY
from tests.features.conftest import PRESENT, Room


def test_full_panel_makes_every_review_ready_for_the_vote(started: Room) -> None:
    for line in started.review_items():
        started.go_to(line.id)
        item = started.room(item_id=line.id).item
        assert item is not None and item.quorum.quorate
        if item.checkpoint and not item.checkpoint.met:
            started.comment("emlead", line.review_id, "Interpreting was not offered; the family felt unheard.")
        quorum = started.ready(line.id)
        assert quorum.summary == "Quorate: yes (6 voting members present)"
    statuses = {line.status for line in started.review_items()}
    assert statuses == {ItemStatus.READY_FOR_VOTE}
    stored = started.room(item_id=started.review_items()[0].id).item
    assert stored is not None and stored.stored_quorum_summary == (
        "Quorate: yes (6 voting members present), including the chair, a lived-experience member and the ethnic "
        "minority lead")


def test_observers_and_people_in_attendance_never_count(started: Room) -> None:
    assert started.room().quorum.voting_present == 6


def test_not_quorate_without_a_lived_experience_member_says_why(started: Room) -> None:
    started.attend("lived", AttendanceStatus.APOLOGIES)
    line = started.review_items()[0]
    item = started.room(item_id=line.id).item
    assert item is not None
    assert item.quorum.summary == "Not quorate: no lived-experience member present"
    assert not item.readiness.ready
    with pytest.raises(Invalid, match="no lived-experience member present"):
        started.ready(line.id)


def test_recusal_changes_the_quorum_for_that_item_only(started: Room) -> None:
    first, second = started.review_items()[:2]
    with started.db.unit_of_work() as session:
        record_declaration(session=session, actor=started.actor("chair"), item_id=first.id,
                           user_id=started.user_id("lived"), interest="Knew the family",
                           outcome=DeclarationOutcome.RECUSED)
    blocked = started.room(item_id=first.id).item
    other = started.room(item_id=second.id).item
    assert blocked is not None and other is not None
    assert "no lived-experience member present" in blocked.quorum.shortfalls
    assert blocked.declarations[0].outcome_label == "Stepped out of this item"
    assert other.quorum.quorate
    started.go_to(first.id)
    with pytest.raises(NotAllowed, match="stepped out"):
        started.comment("lived", first.review_id)


def test_declared_only_keeps_the_member_in(started: Room) -> None:
    first = started.review_items()[0]
    with started.db.unit_of_work() as session:
        record_declaration(session=session, actor=started.actor("chair"), item_id=first.id,
                           user_id=started.user_id("member2"), interest="Works for the provider",
                           outcome=DeclarationOutcome.DECLARED_ONLY)
    item = started.room(item_id=first.id).item
    assert item is not None and item.quorum.voting_present == 6


def test_ethnicity_flag_blocks_until_the_lead_has_a_view(started: Room) -> None:
    with started.db.unit_of_work(read_only=True) as session:
        flagged = {r.id for r in list_reviews(session=session, actor=started.actor("chair"), today=DEMO_TODAY)
                   if r.ethnic_minority}
    line = next(li for li in started.review_items() if li.review_id in flagged)
    item = started.room(item_id=line.id).item
    assert item is not None and item.checkpoint is not None and not item.checkpoint.met
    with pytest.raises(Invalid, match="ethnic minority lead"):
        started.ready(line.id)
    started.comment("member", line.review_id, "A panel member's view does not meet the checkpoint.")
    assert not started.room(item_id=line.id).item.checkpoint.met
    started.comment("emlead", line.review_id)
    assert started.room(item_id=line.id).item.checkpoint.met


def test_a_deputy_for_the_lead_counts_for_quorum_and_checkpoint(upcoming: Room) -> None:
    meeting = upcoming.room().meeting
    with upcoming.db.unit_of_work() as session:
        advance_status(session=session, actor=upcoming.actor("admin"), meeting_id=upcoming.meeting_id,
                       expected_version=meeting.version_id)
    for name in ("chair", "member", "lived", "lived2"):
        upcoming.attend(name)
    upcoming.attend("emlead", AttendanceStatus.APOLOGIES)
    assert "neither the ethnic minority lead nor their deputy is present" in upcoming.room().quorum.shortfalls
    upcoming.attend("member2", deputy_for="emlead")
    assert upcoming.room().quorum.quorate
    line = upcoming.review_items()[0]
    upcoming.comment("member2", line.review_id)
    with upcoming.db.unit_of_work(read_only=True) as session:
        sections = review_comments(session=session, actor=upcoming.actor("chair"), review_id=line.review_id)
    assert sections.ethnic_minority_lead[-1].voice == "Deputy for the ethnic minority lead"


@pytest.mark.parametrize(
    ("who", "status", "deputy_for", "message"),
    [
        ("member2", PRESENT, "chair", "is present, so no one can deputise"),
        ("member2", PRESENT, "member2", "cannot deputise for themselves"),
        ("member2", AttendanceStatus.APOLOGIES, "emlead", "A deputy must be present"),
        ("member2", PRESENT, "reviewer", "not a voting member"),
    ],
)
def test_bad_deputies_are_refused_in_words(started: Room, who: str, status: AttendanceStatus,
                                           deputy_for: str, message: str) -> None:
    started.attend("emlead", AttendanceStatus.APOLOGIES)
    with pytest.raises(Invalid, match=message):
        started.attend(who, status, deputy_for=deputy_for)


def test_a_member_with_a_deputy_cannot_also_be_present(started: Room) -> None:
    started.attend("emlead", AttendanceStatus.APOLOGIES)
    started.attend("member2", deputy_for="emlead")
    with pytest.raises(Invalid, match="deputising for"):
        started.attend("emlead")
    with pytest.raises(Invalid, match="already deputising"):
        started.attend("vicechair", deputy_for="emlead")


def test_attendance_is_fixed_once_held(started: Room) -> None:
    meeting = started.room().meeting
    with started.db.unit_of_work() as session:
        advance_status(session=session, actor=started.actor("admin"), meeting_id=started.meeting_id,
                       expected_version=meeting.version_id)
    with pytest.raises(Invalid, match="fixed once the meeting has been held"):
        started.attend("lived2")


def test_only_chairs_and_secretariat_run_the_meeting(started: Room) -> None:
    with pytest.raises(NotAllowed), started.db.unit_of_work() as session:
        record_attendance(session=session, actor=started.actor("member"), meeting_id=started.meeting_id,
                          user_id=started.user_id("member"), status=PRESENT)


def test_comments_open_when_papers_go_out(db: Database, actor: Callable[[str], Actor]) -> None:
    with db.unit_of_work(read_only=True) as session:
        ready = next(r for r in list_reviews(session=session, actor=actor("chair"), today=DEMO_TODAY)
                     if r.status_label == "Ready for panel")
    with pytest.raises(Invalid, match="papers for the meeting are sent out"), db.unit_of_work() as session:
        add_comment(session=session, actor=actor("member"), review_id=ready.id, body="Too early")


@pytest.mark.parametrize("who", ["observer", "reviewer", "admin"])
def test_only_panel_members_comment(upcoming: Room, who: str) -> None:
    with pytest.raises(NotAllowed):
        upcoming.comment(who, upcoming.review_items()[0].review_id or 0)


def test_lived_experience_comments_are_their_own_section(upcoming: Room) -> None:
    review_id = upcoming.review_items()[0].review_id
    with upcoming.db.unit_of_work(read_only=True) as session:
        sections = review_comments(session=session, actor=upcoming.actor("chair"), review_id=review_id or 0)
    assert [c.voice for c in sections.lived_experience] == ["Lived-experience member"]
    assert sections.panel and all(c.voice == "Panel member" for c in sections.panel)


def test_readiness_needs_the_meeting_to_have_started(upcoming: Room) -> None:
    line = upcoming.review_items()[0]
    item = upcoming.room(item_id=line.id).item
    assert item is not None and "The meeting has not started." in item.readiness.reasons


def test_observer_sees_the_agenda_but_not_case_detail(started: Room) -> None:
    item = started.room("observer", started.review_items()[0].id).item
    assert item is not None and item.review is None and item.comments is None
    assert started.room("member", started.review_items()[0].id).item.review is not None


def test_agenda_building(db: Database, actor: Callable[[str], Actor], upcoming: Room) -> None:
    admin = actor("admin")
    with db.unit_of_work(read_only=True) as session:
        reviews = list_reviews(session=session, actor=admin, today=DEMO_TODAY)
    ready = [r for r in reviews if r.status_label == "Ready for panel"]
    on_agenda = next(r for r in reviews if r.status_label == "On a meeting agenda")
    with db.unit_of_work() as session:
        new_id = create_meeting(session=session, actor=admin, meeting_date=DEMO_TODAY + dt.timedelta(days=60),
                                start_time=dt.time(14, 0), location="", online_link="https://example.org/m",
                                today=DEMO_TODAY)
    with db.unit_of_work() as session:
        add_review_to_agenda(session=session, actor=admin, meeting_id=new_id, review_id=ready[0].id)
        add_review_to_agenda(session=session, actor=admin, meeting_id=new_id, review_id=ready[1].id)
    new_room = Room(db, actor, new_id)
    titles = [line.title for line in new_room.room().agenda]
    assert titles[-1] == "Any other business"
    assert titles[3:5] == [f"Focused review {ready[0].reference}", f"Focused review {ready[1].reference}"]
    with pytest.raises(Conflict, match="already on the agenda"), db.unit_of_work() as session:
        add_review_to_agenda(session=session, actor=admin, meeting_id=new_id, review_id=on_agenda.id)
    first_review_item = new_room.review_items()[0]
    with db.unit_of_work() as session:
        remove_review_from_agenda(session=session, actor=admin, meeting_id=new_id, item_id=first_review_item.id)
    assert [line.position for line in new_room.room().agenda] == [1, 2, 3, 4, 5]
    with pytest.raises(NotAllowed), db.unit_of_work() as session:
        add_review_to_agenda(session=session, actor=actor("member"), meeting_id=new_id, review_id=ready[0].id)


@pytest.mark.parametrize(
    ("days", "location", "link", "message"),
    [(-1, "Room 1", "", "cannot be in the past"), (5, "", "", "place, an online link"),
     (5, "", "zoom.example", "must start with https://")],
)
def test_bad_meeting_details(db: Database, actor: Callable[[str], Actor], days: int, location: str, link: str,
                             message: str) -> None:
    with pytest.raises(Invalid, match=message), db.unit_of_work() as session:
        create_meeting(session=session, actor=actor("admin"), meeting_date=DEMO_TODAY + dt.timedelta(days=days),
                       start_time=None, location=location, online_link=link, today=DEMO_TODAY)


def test_status_moves_one_step_and_refuses_a_stale_form(upcoming: Room) -> None:
    version = upcoming.room().meeting.version_id
    with upcoming.db.unit_of_work() as session:
        assert advance_status(session=session, actor=upcoming.actor("admin"), meeting_id=upcoming.meeting_id,
                              expected_version=version) == MeetingStatus.IN_PROGRESS
    with pytest.raises(Conflict, match="Someone else changed"), upcoming.db.unit_of_work() as session:
        advance_status(session=session, actor=upcoming.actor("chair"), meeting_id=upcoming.meeting_id,
                       expected_version=version)


def test_attendance_rows_list_everyone_once(started: Room) -> None:
    with started.db.unit_of_work(read_only=True) as session:
        rows = attendance_rows(session=session, actor=started.actor("chair"), meeting_id=started.meeting_id)
    assert len(rows) == 10 and len({r.user_id for r in rows}) == 10
    assert {r.name for r in rows if r.status is None} == {"Jo Bennett", "Morgan Ellis"}


def test_a_lead_who_stepped_out_does_not_meet_the_checkpoint(started: Room) -> None:
    with started.db.unit_of_work(read_only=True) as session:
        flagged = {r.id for r in list_reviews(session=session, actor=started.actor("chair"), today=DEMO_TODAY)
                   if r.ethnic_minority}
    line = next(li for li in started.review_items() if li.review_id in flagged)
    started.comment("emlead", line.review_id)
    assert started.room(item_id=line.id).item.checkpoint.met
    with started.db.unit_of_work() as session:
        record_declaration(session=session, actor=started.actor("chair"), item_id=line.id,
                           user_id=started.user_id("emlead"), interest="Related to the family",
                           outcome=DeclarationOutcome.RECUSED)
    assert not started.room(item_id=line.id).item.checkpoint.met
