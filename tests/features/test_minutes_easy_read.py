"""The Easy Read minutes: short sentences of plain words, every acronym and piece of jargon explained, a
picture with a text alternative beside each block, and the same refusal of personal data as the minutes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from db.models import Action, FocusedReview
from db.session import Database
from features.minutes.easy_read import ICONS, EasyReadMinutes, build_easy_read_minutes
from rules.actors import Actor
from rules.easy_read import MAX_WORDS_PER_SENTENCE, check_easy_read, word_count
from rules.errors import Invalid, NotAllowed
from rules.vocabulary import MeetingStatus
from tests.conftest import DEMO_TODAY
from tests.features.conftest import meeting_with_status


def _easy_read(db: Database, who: Actor, status: MeetingStatus = MeetingStatus.HELD) -> EasyReadMinutes:
    with db.unit_of_work(read_only=True) as session:
        return build_easy_read_minutes(session=session, actor=who, meeting_id=meeting_with_status(db, status),
                                       today=DEMO_TODAY)


@pytest.mark.parametrize("status", [MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED])
def test_every_sentence_is_short_and_plain(db: Database, actor: Callable[[str], Actor],
                                           status: MeetingStatus) -> None:
    minutes = _easy_read(db, actor("chair"), status)
    sentences = minutes.sentences()
    assert sentences and all(word_count(s) <= MAX_WORDS_PER_SENTENCE for s in sentences), \
        [s for s in sentences if word_count(s) > MAX_WORDS_PER_SENTENCE]
    # Meeting and due dates are meant to be there; everything else the Easy Read check finds is a fault.
    issues = [i for i in check_easy_read(" ".join(sentences)).issues
              if not (i.kind == "identifier" and "full date" in i.advice)]
    assert issues == []
    assert all(block.icon in ICONS and block.alt for s in minutes.sections for block in s.blocks)


def test_it_says_what_was_decided_and_what_happens_next(db: Database, actor: Callable[[str], Actor]) -> None:
    minutes = _easy_read(db, actor("chair"))
    headings = [s.heading for s in minutes.sections]
    assert headings[0] == "About this meeting" and headings[-1] == "What happens next"
    assert headings[1:-1] == ["Review LDR-2026-0105", "Review LDR-2026-0106", "Review LDR-2026-0107"]
    review = minutes.sections[1]
    assert [b.icon for b in review.blocks] == ["review", "good", "improve", "vote", "signed_off", "action"]
    sentences = minutes.sentences()
    assert "The panel agreed the review was done well." in sentences
    assert "There is 1 job to do now." in sentences
    assert "The next meeting is on Monday 7 December 2026." in sentences
    assert minutes.title == "What the panel decided on Monday 16 November 2026"


def test_a_returned_review_and_a_long_organisation_name_stay_easy(db: Database, actor: Callable[[str], Actor]) -> None:
    with db.unit_of_work() as session:
        review_id = session.scalars(select(FocusedReview.id).where(FocusedReview.reference == "LDR-2026-0105")).one()
        action = session.scalars(select(Action).where(Action.review_id == review_id)).first()
        action.owner_organisation = ("Northshire and Southvale Community and Mental Health Services Partnership "
                                     "Trust of the Eastern Counties (fictional)")
    sentences = _easy_read(db, actor("chair")).sentences()
    assert any(s.startswith("A service will do a job by") for s in sentences)
    assert all(word_count(s) <= MAX_WORDS_PER_SENTENCE for s in sentences)


def test_it_needs_attendance_and_a_reader_of_case_detail(db: Database, actor: Callable[[str], Actor]) -> None:
    with pytest.raises(Invalid, match="No attendance has been recorded"):
        _easy_read(db, actor("chair"), MeetingStatus.PAPERS_CIRCULATED)
    with pytest.raises(NotAllowed):
        _easy_read(db, actor("observer"))


def test_a_reviews_own_easy_read_summary_is_used_only_when_it_passes(db: Database,
                                                                       actor: Callable[[str], Actor]) -> None:
    def summary_is(words: str) -> list[str]:
        with db.unit_of_work() as session:
            review = session.scalars(select(FocusedReview).where(FocusedReview.reference == "LDR-2026-0105")).one()
            review.easy_read_summary = words
        return list(_easy_read(db, actor("chair")).sections[1].blocks[0].sentences)

    assert summary_is("He lived in a care home. Staff knew him well.") == [
        "The panel looked at review LDR-2026-0105.", "He lived in a care home.", "Staff knew him well."]
    too_long = ("He lived in a care home for many years and the staff there knew him and his family "
                "very well indeed.")
    assert summary_is(too_long) == ["The panel looked at review LDR-2026-0105."]
