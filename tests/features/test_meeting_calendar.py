"""Calendar invites (.ics) read back with a real iCalendar parser: time and place in UK time, the same UID
with a higher SEQUENCE after a change, a cancellation that calendars act on, and no case detail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from db.models import FocusedReview, Meeting
from db.session import Database
from documents.meeting_ics import meeting_ics
from features.meetings.calendar import calendar_entry, cancel_meeting, change_meeting_details
from features.meetings.meetings import list_meetings, next_meeting
from operations.demo import SeedReport
from rules.actors import Actor
from rules.errors import Conflict, Invalid, NotAllowed
from rules.vocabulary import MeetingKind, MeetingStatus, ReviewStatus
from tests.conftest import DEMO_TODAY

APP = "https://leder.example.nhs.uk"
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def _upcoming(db: Database) -> tuple[int, int]:
    with db.unit_of_work(read_only=True) as session:
        meeting = session.scalars(select(Meeting).where(Meeting.kind == MeetingKind.MEETING,
                                                        Meeting.status == MeetingStatus.PAPERS_CIRCULATED)
                                  .order_by(Meeting.meeting_date)).first()
        assert meeting is not None
        return meeting.id, meeting.version_id


def _invite(db: Database, who: Actor, meeting_id: int) -> Calendar:
    with db.unit_of_work(read_only=True) as session:
        entry = calendar_entry(session=session, actor=who, meeting_id=meeting_id)
    raw = meeting_ics(entry, app_url=APP, now=NOW)
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # RFC 5545 folds long lines
    return Calendar.from_ical(raw)


def _event(calendar: Calendar):  # type: ignore[no-untyped-def]
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_an_invite_says_when_and_where_in_uk_time_with_links_and_no_case_detail(
        db: Database, actor: Callable[[str], Actor], demo: SeedReport) -> None:
    meeting_id, _ = _upcoming(db)
    calendar = _invite(db, actor("lived"), meeting_id)
    event = _event(calendar)
    assert str(calendar["METHOD"]) == "PUBLISH" and str(event["STATUS"]) == "CONFIRMED"
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and start.utcoffset() == ZoneInfo("Europe/London").utcoffset(start)
    assert start.time() == dt.time(10, 0) and event.decoded("DTEND") - start == dt.timedelta(hours=2)
    assert str(event["LOCATION"]) == "Room 2, Riverside House (fictional)"
    assert calendar.walk("VTIMEZONE") and str(calendar.walk("VTIMEZONE")[0]["TZID"]) == "Europe/London"
    description = str(event["DESCRIPTION"])
    assert f"{APP}/my-meeting" in description
    with db.unit_of_work(read_only=True) as session:
        references = session.scalars(select(FocusedReview.reference)).all()
    assert not any(reference in calendar.to_ical().decode() for reference in references)
    assert int(event["SEQUENCE"]) == 0 and str(event["UID"]).startswith(f"meeting-{meeting_id}.")


def test_a_change_keeps_the_uid_and_raises_the_sequence(db: Database, actor: Callable[[str], Actor],
                                                        demo: SeedReport) -> None:
    meeting_id, version = _upcoming(db)
    before = _event(_invite(db, actor("member"), meeting_id))
    day = DEMO_TODAY + dt.timedelta(days=40)
    with db.unit_of_work() as session:
        change_meeting_details(session=session, actor=actor("admin"), meeting_id=meeting_id, meeting_date=day,
                               start_time=dt.time(14, 30), location="Room 5, Riverside House (fictional)",
                               online_link="https://meet.example.org/leder", expected_version=version, today=DEMO_TODAY)
    after = _event(_invite(db, actor("member"), meeting_id))
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART").replace(tzinfo=None) == dt.datetime.combine(day, dt.time(14, 30))
    assert str(after["URL"]) == "https://meet.example.org/leder"
    with db.unit_of_work() as session, pytest.raises(Invalid, match="Nothing has changed"):
        change_meeting_details(session=session, actor=actor("admin"), meeting_id=meeting_id, meeting_date=day,
                               start_time=dt.time(14, 30), location="Room 5, Riverside House (fictional)",
                               online_link="https://meet.example.org/leder", expected_version=version + 1,
                               today=DEMO_TODAY)


def test_bad_changes_are_refused_in_words(db: Database, actor: Callable[[str], Actor], demo: SeedReport) -> None:
    meeting_id, version = _upcoming(db)
    cases = [
        (dict(meeting_date=DEMO_TODAY - dt.timedelta(days=1)), Invalid, "into the past"),
        (dict(location="", online_link=""), Invalid, "Give a place, an online link, or both"),
        (dict(expected_version=version + 7), Conflict, "changed"),
    ]
    for change, error, message in cases:
        arguments = {**dict(meeting_date=DEMO_TODAY + dt.timedelta(days=3), start_time=dt.time(10), location="Room 1",
                            online_link="", expected_version=version), **change}
        with db.unit_of_work() as session, pytest.raises(error, match=message):
            change_meeting_details(session=session, actor=actor("admin"), meeting_id=meeting_id, today=DEMO_TODAY,
                                   **arguments)  # type: ignore[arg-type]
    with db.unit_of_work() as session, pytest.raises(NotAllowed):
        cancel_meeting(session=session, actor=actor("member"), meeting_id=meeting_id, reason="x",
                       expected_version=version)


def test_a_cancelled_meeting_sends_a_cancellation_and_frees_its_reviews(db: Database, actor: Callable[[str], Actor],
                                                                        demo: SeedReport) -> None:
    meeting_id, version = _upcoming(db)
    with db.unit_of_work(read_only=True) as session:
        held = session.get_one(Meeting, meeting_id)
        on_it = [i.review_id for i in held.agenda_items if i.review_id is not None]
    with db.unit_of_work() as session, pytest.raises(Invalid, match="Say why"):
        cancel_meeting(session=session, actor=actor("admin"), meeting_id=meeting_id, reason=" ",
                       expected_version=version)
    with db.unit_of_work() as session:
        cancel_meeting(session=session, actor=actor("admin"), meeting_id=meeting_id,
                       reason="Not enough members can come.", expected_version=version)
    calendar = _invite(db, actor("lived"), meeting_id)
    event = _event(calendar)
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1 and "Not enough members can come." in str(event["DESCRIPTION"])
    with db.unit_of_work(read_only=True) as session:
        statuses = {session.get_one(FocusedReview, r).status for r in on_it}
        chair = actor("chair")
        listed = {m.id: m.status_label for m in list_meetings(session=session, actor=chair)}
        upcoming = next_meeting(session=session, actor=chair, today=DEMO_TODAY)
    assert statuses == {ReviewStatus.READY_FOR_PANEL}
    assert listed[meeting_id] == "Cancelled"
    assert upcoming is None or upcoming.id != meeting_id
    with db.unit_of_work() as session, pytest.raises(Invalid, match="has not started"):
        cancel_meeting(session=session, actor=actor("admin"), meeting_id=meeting_id, reason="Again.",
                       expected_version=version + 1)
