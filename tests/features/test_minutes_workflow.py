"""The minutes' workflow: draft → circulated → approved and locked; corrections as reasoned versions; the
approved text is what leaves the app, whatever changes in the record afterwards."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from docx import Document
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from db.models import AgendaItem, Meeting, MinutesNarrative, ReviewFinding
from db.session import Database
from documents.minutes_docx import minutes_docx
from features.minutes.minutes import Minutes
from features.minutes.workflow import (
    approve_minutes,
    circulate_minutes,
    comment_on_minutes,
    correct_minutes,
    minutes_for_export,
    minutes_state,
    save_narrative,
)
from features.panel_settings.panels import panel_rules, update_panel_rules
from rules.actors import Actor
from rules.errors import Conflict, Invalid, NotAllowed
from rules.vocabulary import ApprovalRoute, MeetingStatus, MinutesStatus
from tests.conftest import DEMO_TODAY
from tests.features.conftest import meeting_with_status

NOW = dt.datetime(2026, 11, 23, 17, 0, tzinfo=dt.UTC)



def _held(db: Database) -> int:
    return meeting_with_status(db, MeetingStatus.HELD)


def _state(db: Database, who: Actor, meeting_id: int):
    with db.unit_of_work(read_only=True) as session:
        return minutes_state(session=session, actor=who, meeting_id=meeting_id)


def _write(db: Database, who: Actor, meeting_id: int, words: str, position: int = 1) -> None:
    """Save the minute of one agenda item, as the form would (with the version the writer saw)."""
    with db.unit_of_work() as session:
        item_id = session.scalars(select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id,
                                                              AgendaItem.position == position)).one()
        seen = session.scalar(select(MinutesNarrative.version_id).where(MinutesNarrative.agenda_item_id == item_id))
        save_narrative(session=session, actor=who, item_id=item_id, text=words, expected_version=seen or 0, now=NOW)


def _circulate(db: Database, who: Actor, meeting_id: int) -> None:
    with db.unit_of_work() as session:
        circulate_minutes(session=session, actor=who, meeting_id=meeting_id,
                          expected_version=minutes_state(session=session, actor=who, meeting_id=meeting_id).version_id,
                          now=NOW)


def _approve(db: Database, who: Actor, meeting_id: int, route: ApprovalRoute = ApprovalRoute.BY_CHAIR,
             at_meeting_id: int | None = None) -> None:
    with db.unit_of_work() as session:
        version = minutes_state(session=session, actor=who, meeting_id=meeting_id).version_id
        approve_minutes(session=session, actor=who, meeting_id=meeting_id, route=route, at_meeting_id=at_meeting_id,
                        expected_version=version, now=NOW)


def _export(db: Database, who: Actor, meeting_id: int) -> Minutes:
    with db.unit_of_work(read_only=True) as session:
        return minutes_for_export(session=session, actor=who, meeting_id=meeting_id, today=DEMO_TODAY)


def _narrative_of(minutes: Minutes, heading_start: str) -> str:
    return next(s.narrative for s in minutes.sections if s.heading.startswith(heading_start))


def test_the_held_meeting_goes_from_draft_to_approved_and_locked(db: Database,
                                                                   actor: Callable[[str], Actor]) -> None:
    admin, chair, member = actor("admin"), actor("chair"), actor("lived")
    meeting_id = _held(db)
    assert _state(db, admin, meeting_id).status is None
    _write(db, admin, meeting_id, "The chair welcomed everyone.")
    state = _state(db, admin, meeting_id)
    assert state.status == MinutesStatus.DRAFT
    drafted = meeting_with_status(db, MeetingStatus.MINUTES_DRAFTED)
    assert drafted == meeting_id, "the meeting now shows 'Minutes drafted'"
    with pytest.raises(NotAllowed, match="still a draft"):
        _export(db, member, meeting_id)
    assert _export(db, admin, meeting_id).status_line == "Draft: these minutes are not yet approved."

    _circulate(db, admin, meeting_id)
    assert _state(db, member, meeting_id).status == MinutesStatus.CIRCULATED
    with db.unit_of_work() as session:
        comment_on_minutes(session=session, actor=member, meeting_id=meeting_id,
                           body="Please say the families' views were heard.", now=NOW)
    assert [c.body for c in _state(db, admin, meeting_id).comments] == ["Please say the families' views were heard."]
    circulated = _export(db, member, meeting_id)
    assert circulated.status_line.startswith("Draft circulated to the panel")
    assert _narrative_of(circulated, "Welcome") == "The chair welcomed everyone."

    _approve(db, chair, meeting_id)
    state = _state(db, admin, meeting_id)
    assert state.status == MinutesStatus.APPROVED and state.locked and state.latest_version == 1
    with db.unit_of_work(read_only=True) as session:
        assert session.get(Meeting, meeting_id).status == MeetingStatus.MINUTES_APPROVED
    approved = _export(db, member, meeting_id)
    assert approved.status_line.startswith("Approved by Priya Shah, chair, on Monday 23 November 2026")
    assert approved.history[0].startswith("Version 1: approved by Priya Shah")
    with pytest.raises(Invalid, match="approved and locked"):
        _write(db, admin, meeting_id, "A change after approval.")
    with pytest.raises(Invalid, match="Comments are taken while"), db.unit_of_work() as session:
        comment_on_minutes(session=session, actor=member, meeting_id=meeting_id, body="Too late.", now=NOW)


def test_approved_minutes_export_what_was_approved_not_the_changed_record(
        db: Database, actor: Callable[[str], Actor]) -> None:
    approved_meeting = meeting_with_status(db, MeetingStatus.MINUTES_APPROVED)
    before = _export(db, actor("chair"), approved_meeting)
    with db.unit_of_work() as session:
        for finding in session.scalars(select(ReviewFinding)):
            finding.text = "Reworded after approval."
    after = _export(db, actor("chair"), approved_meeting)
    assert after == before
    assert "Reworded after approval." not in " ".join(t for _, t in after.lines())
    assert after.status_line.startswith("Approved at the meeting on Monday 16 November 2026")


def test_approval_needs_circulation_a_started_later_meeting_or_the_panels_rule(
        db: Database, actor: Callable[[str], Actor]) -> None:
    admin, chair = actor("admin"), actor("chair")
    meeting_id = _held(db)
    _write(db, admin, meeting_id, "Notes.")
    with pytest.raises(Invalid, match="Circulate the draft"):
        _approve(db, chair, meeting_id)
    _circulate(db, admin, meeting_id)
    upcoming = meeting_with_status(db, MeetingStatus.PAPERS_CIRCULATED)
    with pytest.raises(Invalid, match="later meeting of the panel that has started"):
        _approve(db, chair, meeting_id, ApprovalRoute.AT_MEETING, upcoming)
    with pytest.raises(Invalid, match="Choose the meeting"):
        _approve(db, chair, meeting_id, ApprovalRoute.AT_MEETING, None)
    with db.unit_of_work() as session:
        rules = panel_rules(session=session, panel_id=admin.panel_id)
        update_panel_rules(session=session, actor=admin, quorum=rules.quorum, clock=rules.clock,
                           require_em_lead_view=rules.require_em_lead_view, expected_version=rules.version_id,
                           chair_may_approve_minutes=False)
    with pytest.raises(Invalid, match="approves minutes at its next meeting"):
        _approve(db, chair, meeting_id)
    for not_the_chair in ("admin", "member", "lived"):
        with pytest.raises(NotAllowed):
            _approve(db, actor(not_the_chair), meeting_id)
    assert _state(db, admin, meeting_id).status == MinutesStatus.CIRCULATED


def test_a_correction_is_a_new_version_with_its_reason(db: Database, actor: Callable[[str], Actor]) -> None:
    admin = actor("admin")
    meeting_id = meeting_with_status(db, MeetingStatus.MINUTES_APPROVED)
    approved = _export(db, admin, meeting_id)
    welcome = next(s for s in approved.sections if s.heading.startswith("Welcome"))

    def correct(words: str, reason: str, expected: int) -> int:
        with db.unit_of_work() as session:
            return correct_minutes(session=session, actor=admin, meeting_id=meeting_id, section_key=welcome.key,
                                   narrative=words, reason=reason, expected_version=expected, now=NOW)

    with pytest.raises(Invalid, match="Say why"):
        correct("The vice chair welcomed members.", "  ", 1)
    with pytest.raises(Invalid, match="Nothing has changed"):
        correct(welcome.narrative, "No change really.", 1)
    with pytest.raises(Invalid, match="personal data"):
        correct("Mrs Jones welcomed members.", "Name the host.", 1)
    assert correct("The vice chair welcomed members.", "The chair was delayed.", 1) == 2
    with pytest.raises(Conflict, match="Someone else changed these minutes"):
        correct("Another change.", "Stale form.", 1)
    corrected = _export(db, admin, meeting_id)
    assert _narrative_of(corrected, "Welcome") == "The vice chair welcomed members."
    assert corrected.history[-1].endswith("Reason: The chair was delayed.")
    assert corrected.status_line.endswith("Version 2, corrected.")
    assert [v.number for v in _state(db, admin, meeting_id).versions] == [1, 2]
    document = Document(io.BytesIO(minutes_docx(corrected)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[-1] == "Versions of these minutes"
    assert any("Reason: The chair was delayed." in p.text for p in document.paragraphs)


def test_the_database_refuses_to_edit_an_approved_version(db: Database, demo) -> None:
    for statement in ("UPDATE minutes_versions SET content = '{}'", "DELETE FROM minutes_versions"):
        with pytest.raises(DBAPIError, match="append-only"), db.unit_of_work() as session:
            session.execute(text(statement))


def test_narrative_rules(db: Database, actor: Callable[[str], Actor]) -> None:
    admin = actor("admin")
    meeting_id = _held(db)
    with pytest.raises(NotAllowed):
        _write(db, actor("member"), meeting_id, "A member's own minute.")
    with pytest.raises(Invalid, match=r"personal data.*a person.s name.*still in the box"):
        _write(db, admin, meeting_id, "Mr Smith's sister joined the meeting.")
    with pytest.raises(Invalid, match="hidden control characters"):
        _write(db, admin, meeting_id, "Pasted\x1b[31m text")
    assert _state(db, admin, meeting_id).status is None, "nothing was saved"
    _write(db, admin, meeting_id, "First words.")
    row = _state(db, admin, meeting_id).narratives[0]
    with pytest.raises(Conflict), db.unit_of_work() as session:
        save_narrative(session=session, actor=admin, item_id=row.item_id, text="Overwrite", expected_version=0,
                       now=NOW)
    upcoming = meeting_with_status(db, MeetingStatus.PAPERS_CIRCULATED)
    with pytest.raises(Invalid, match="once the meeting has started"):
        _write(db, admin, upcoming, "Too early.")
    with pytest.raises(Invalid, match="once the meeting has ended"):
        _circulate(db, admin, upcoming)


def test_the_next_meetings_minutes_record_the_approval(db: Database, actor: Callable[[str], Actor]) -> None:
    minutes = _export(db, actor("admin"), _held(db))
    previous = next(s for s in minutes.sections if s.heading.lower().startswith("minutes of the last meeting")
                    or "previous" in s.heading.lower() or "last meeting" in s.heading.lower())
    assert previous.paragraphs[0] == ("The minutes of the meeting on Monday 21 September 2026 were approved as a "
                                      "true record.")


def test_minutes_survive_a_round_trip_through_json(db: Database, actor: Callable[[str], Actor]) -> None:
    minutes = _export(db, actor("admin"), _held(db))
    assert Minutes.from_json(minutes.to_json()) == minutes


def test_each_members_words_stand_under_their_name(db: Database, actor: Callable[[str], Actor]) -> None:
    from db.models import FocusedReview, ReviewComment
    from rules.vocabulary import CommentStage, Role

    with db.unit_of_work() as session:
        review_id = session.scalars(select(FocusedReview.id).where(FocusedReview.reference == "LDR-2026-0105")).one()
        for who, words in (("lived", "I am worried about the letters."), ("lived2", "I agree with the review.")):
            session.add(ReviewComment(review_id=review_id, meeting_id=_held(db), author_id=actor(who).user_id,
                                      stage=CommentStage.BEFORE_MEETING, as_role=Role.LIVED_EXPERIENCE_MEMBER,
                                      body=words, created_at=NOW))
    review = next(s for s in _export(db, actor("admin"), _held(db)).sections if s.heading.endswith("0105"))
    assert ("Lived-experience members. Sam Taylor: I am worried about the letters. Jo Bennett: I agree with the "
            "review.") in review.paragraphs
    # The minutes say which roles made the item quorate, as recorded when it was made ready.
    assert ("Quorate: yes (7 voting members present), including the chair, 2 lived-experience members and the "
            "ethnic minority lead.") in review.paragraphs
