"""The demo is complete (every role, three meetings), fictional, and only goes into an empty database."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from db.models import Decision, FocusedReview, Meeting, ReviewFinding, ReviewVersion, UserRole
from db.session import Database
from operations.demo import database_is_empty, demo_meeting_month, seed_demo
from rules.errors import Conflict
from rules.vocabulary import MeetingStatus, ReviewStatus, Role
from tests.conftest import BCRYPT_ROUNDS, DEMO_PASSWORD, DEMO_TODAY

STABLE_ACCOUNTS = {"chair", "member", "lived", "emlead", "reviewer", "admin"}
TEN_DIGITS = re.compile(r"\d{3}[ -]?\d{3}[ -]?\d{4}")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b", re.IGNORECASE)
TITLE_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.? [A-Z][a-z]+")


def test_demo_covers_every_role_and_the_documented_accounts(db: Database, demo: object) -> None:
    assert set(demo.usernames) >= STABLE_ACCOUNTS
    with db.unit_of_work(read_only=True) as session:
        roles = set(session.scalars(select(UserRole.role)))
    assert roles == set(Role)


def test_demo_has_three_meetings_in_the_documented_states(db: Database, demo: object) -> None:
    first_panel = select(Meeting.panel_id).order_by(Meeting.id).limit(1).scalar_subquery()
    with db.unit_of_work(read_only=True) as session:
        north = session.execute(
            select(Meeting.status, Meeting.meeting_date).where(Meeting.panel_id == first_panel)
        ).all()
    states = {status for status, _ in north}
    assert states == {MeetingStatus.MINUTES_APPROVED, MeetingStatus.HELD, MeetingStatus.PAPERS_CIRCULATED}
    upcoming = next(day for status, day in north if status == MeetingStatus.PAPERS_CIRCULATED)
    assert upcoming > DEMO_TODAY


def test_demo_text_carries_no_personal_identifiers(db: Database, demo: object) -> None:
    with db.unit_of_work(read_only=True) as session:
        texts = list(session.scalars(select(ReviewFinding.text)))
        texts += list(session.scalars(select(FocusedReview.summary)))
        references = list(session.scalars(select(FocusedReview.reference)))
    assert texts
    for value in texts:
        assert not TEN_DIGITS.search(value), value
        assert not POSTCODE.search(value), value
        assert not TITLE_NAME.search(value), value
    assert all(re.fullmatch(r"LDR-\d{4}-\d{4}", r) for r in references)


def test_seeding_twice_is_refused(db: Database, demo: object) -> None:
    with db.unit_of_work(read_only=True) as session:
        assert not database_is_empty(session=session)
    with pytest.raises(Conflict), db.unit_of_work() as session:
        seed_demo(session=session, password=DEMO_PASSWORD, today=DEMO_TODAY, bcrypt_rounds=BCRYPT_ROUNDS)


def test_every_signed_off_demo_review_has_its_decision_and_locked_version(db: Database, demo: object) -> None:
    """So the review page shows how each was decided, and an amendment has a signed-off text to compare with."""
    with db.unit_of_work(read_only=True) as session:
        signed_off = set(session.scalars(select(FocusedReview.id)
                                         .where(FocusedReview.status == ReviewStatus.SIGNED_OFF)))
        decided = set(session.scalars(select(Decision.review_id).where(Decision.quorum_met.is_(True))))
        versioned = set(session.scalars(select(ReviewVersion.review_id).where(ReviewVersion.number == 1)))
    assert len(signed_off) == 7
    assert signed_off == decided == versioned


def test_tests_can_name_the_demo_meetings_by_their_state(db: Database, demo: object) -> None:
    """The demo's dates move with the day it is seeded; pages and browser tests find a meeting by the month
    demo_meeting_month gives, so they pass on any day of the year."""
    first_panel = select(Meeting.panel_id).order_by(Meeting.id).limit(1).scalar_subquery()
    with db.unit_of_work(read_only=True) as session:
        titles = dict(session.execute(select(Meeting.status, Meeting.title)
                                      .where(Meeting.panel_id == first_panel)).all())
    assert titles == {status: f"LeDeR Governance Panel, {demo_meeting_month(status, seeded_on=DEMO_TODAY)}"
                      for status in (MeetingStatus.MINUTES_APPROVED, MeetingStatus.HELD,
                                     MeetingStatus.PAPERS_CIRCULATED)}
    assert demo_meeting_month(MeetingStatus.HELD, seeded_on=DEMO_TODAY) == "November 2026"
