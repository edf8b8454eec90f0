"""Easy Read and the pages for members: the checker, identifiers, comments with a feeling and a helper,
'My meeting', reading preferences and the ethnic minority lead's view."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from db.models import ReviewComment
from features.meetings.my_meeting import my_meeting
from features.people.preferences import ReadingPreferences, reading_preferences, save_reading_preferences
from features.reviews.comments import add_comment, change_comment, my_comment, review_comments
from features.reviews.em_lead import em_lead_overview
from features.reviews.jargon import add_jargon_term, jargon_terms, remove_jargon_term
from features.reviews.reviews import review_detail, update_easy_read_summary
from rules.easy_read import check_easy_read
from rules.errors import Conflict, Invalid, NotAllowed, NotFound
from rules.pii import find_identifiers
from rules.vocabulary import Feeling
from tests.conftest import DEMO_TODAY
from tests.features.conftest import NOW, Room, open_vote

# The checker -----------------------------------------------------------------------------------------------

def test_sentences_over_fifteen_words_are_shown_with_their_length() -> None:
    text = ("He liked music. The staff at the day service did not follow the eating and drinking plan "
            "that the speech therapist wrote.")
    issues = check_easy_read(text).issues
    assert [i.kind for i in issues] == ["long sentence"]
    assert "has 19 words. Use 15 or fewer" in issues[0].message
    assert check_easy_read("He liked music. He went to the day service on Mondays.").ok


def test_jargon_is_flagged_unless_explained() -> None:
    assert [i.found for i in check_easy_read("A DNACPR was made.").issues] == ["DNACPR"]
    assert "Say: a decision not to try to restart the heart" in check_easy_read("A DNACPR was made.").issues[0].message
    assert check_easy_read("A DNACPR (a decision not to try to restart the heart) was made.").ok
    assert [i.found for i in check_easy_read("He had aspiration pneumonia.").issues] == ["aspiration pneumonia"]


def test_acronyms_need_explaining_but_everyday_ones_do_not() -> None:
    issues = check_easy_read("The SALT team came. The GP and the NHS helped.").issues
    assert [(i.kind, i.found) for i in issues] == [("acronym", "SALT")]
    assert check_easy_read("SALT means the speech and language team. The SALT team came.").ok


def test_identifiers_are_refused_in_easy_read() -> None:
    kinds = {i.kind for i in find_identifiers(
        "Mr Jones, NHS number 943 476 5919, of 12 Oak Tree Road, AB1 2CD, born 3 May 1961.")}
    assert kinds == {"a person's name", "an NHS number", "an address", "a postcode", "a full date", "a date of birth"}
    assert find_identifiers("He died in May 2026 in a hospital. Review LDR-2026-0109.") == []
    assert [i.kind for i in check_easy_read("Mrs Patel was kind.").issues] == ["identifier"]


def test_a_summary_with_problems_is_not_saved_and_a_clean_one_is(demo: object, db, actor) -> None:
    reviewer = actor("reviewer")
    with db.unit_of_work(read_only=True) as session:
        review = review_detail(session=session, actor=reviewer, review_id=_review_id(session, "0111"),
                               today=DEMO_TODAY)
    with pytest.raises(Invalid, match=r"Not saved: 2 things to change. Identifier: .*Jargon: 'STOMP'"), \
            db.unit_of_work() as session:
        update_easy_read_summary(session=session, actor=reviewer, review_id=review.id,
                                 text="Mr Smith had STOMP.", expected_version=review.version_id)
    with db.unit_of_work() as session:
        update_easy_read_summary(session=session, actor=reviewer, review_id=review.id,
                                 text="He lived at home. His family loved him.", expected_version=review.version_id)
    with pytest.raises(NotAllowed), db.unit_of_work() as session:
        update_easy_read_summary(session=session, actor=actor("lived"), review_id=review.id, text="Fine.",
                                 expected_version=review.version_id + 1)


def test_the_jargon_list_is_the_panels_own(demo: object, db, actor) -> None:
    admin = actor("admin")
    with db.unit_of_work() as session:
        add_jargon_term(session=session, actor=admin, term="SALT", plain="the speech and language team")
    with db.unit_of_work(read_only=True) as session:
        north = {t.term for t in jargon_terms(session=session, panel_id=admin.panel_id)}
        south = {t.term for t in jargon_terms(session=session, panel_id=actor("southadmin").panel_id)}
    assert {"SALT", "DNACPR", "STOMP", "ICB", "LeDeR", "aspiration pneumonia"} <= north
    assert "SALT" not in south
    with pytest.raises(Conflict, match="already on the list"), db.unit_of_work() as session:
        add_jargon_term(session=session, actor=admin, term="salt", plain="again")
    with pytest.raises(NotAllowed), db.unit_of_work() as session:
        add_jargon_term(session=session, actor=actor("reviewer"), term="MDT", plain="the team")
    with db.unit_of_work(read_only=True) as session:
        salt = next(t.id for t in jargon_terms(session=session, panel_id=admin.panel_id) if t.term == "SALT")
    with pytest.raises(NotFound), db.unit_of_work() as session:
        remove_jargon_term(session=session, actor=actor("southadmin"), term_id=salt)
    with db.unit_of_work() as session:
        remove_jargon_term(session=session, actor=admin, term_id=salt)
    with db.unit_of_work(read_only=True) as session:
        assert "SALT" not in {t.term for t in jargon_terms(session=session, panel_id=admin.panel_id)}


def _review_id(session, number: str) -> int:
    from db.models import FocusedReview

    return session.scalars(select(FocusedReview.id).where(FocusedReview.reference.endswith(number))).first()


# Comments with a feeling ------------------------------------------------------------------------------------

def _second_review(room: Room) -> int:
    return room.review_items()[1].review_id


def _comment(room: Room, who: str = "lived2", **kwargs: object) -> None:
    with room.db.unit_of_work() as session:
        add_comment(session=session, actor=room.actor(who), review_id=_second_review(room),
                    **{"body": "", **kwargs})


def test_a_feeling_with_a_helper_is_a_supported_comment(upcoming: Room) -> None:
    _comment(upcoming, feeling=Feeling.WORRIED, supported_by="Pat, support worker")
    with upcoming.db.unit_of_work(read_only=True) as session:
        mine = my_comment(session=session, actor=upcoming.actor("lived2"), review_id=_second_review(upcoming))
        panel = review_comments(session=session, actor=upcoming.actor("chair"), review_id=_second_review(upcoming))
    assert (mine.feeling_label, mine.body, mine.supported_by) == ("I am worried", "", "Pat, support worker")
    assert mine in panel.lived_experience  # the panel sees it in the lived-experience section


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({}, "Choose I agree, I am not sure or I am worried"),
     ({"body": "x" * 100_000}, "too long"),
     ({"body": "fine\x00", "feeling": Feeling.AGREE}, "control characters")],
)
def test_bad_comments_are_refused_in_words(upcoming: Room, kwargs: dict, message: str) -> None:
    def comments() -> int:
        with upcoming.db.unit_of_work(read_only=True) as session:
            return session.scalar(select(func.count()).select_from(ReviewComment)) or 0

    before = comments()
    with pytest.raises(Invalid, match=message):
        _comment(upcoming, **kwargs)
    assert comments() == before


def test_emoji_and_right_to_left_text_are_kept_as_written(upcoming: Room) -> None:
    words = "I agree 👍 \u200fأوافق"
    _comment(upcoming, body=words, feeling=Feeling.AGREE)
    with upcoming.db.unit_of_work(read_only=True) as session:
        assert my_comment(session=session, actor=upcoming.actor("lived2"),
                          review_id=_second_review(upcoming)).body == words


def test_a_comment_can_be_changed_until_the_vote_opens(started: Room) -> None:
    line = started.review_items()[1]
    with started.db.unit_of_work() as session:
        add_comment(session=session, actor=started.actor("lived"), review_id=line.review_id, body="",
                    feeling=Feeling.UNSURE)
    with started.db.unit_of_work(read_only=True) as session:
        mine = my_comment(session=session, actor=started.actor("lived"), review_id=line.review_id)

    def change(who: str = "lived") -> None:
        with started.db.unit_of_work() as session:
            change_comment(session=session, actor=started.actor(who), comment_id=mine.id, body="Now I agree.",
                           feeling=Feeling.AGREE, supported_by=None, now=NOW)

    with pytest.raises(NotFound, match="only change your own"):
        change("member")
    change()
    started.go_to(line.id)
    started.ready(line.id)
    open_vote(started, line.id)
    with pytest.raises(Invalid, match="vote on this review has opened"):
        change()
    with started.db.unit_of_work(read_only=True) as session:
        now = my_comment(session=session, actor=started.actor("lived"), review_id=line.review_id)
    assert (now.feeling, now.body) == (Feeling.AGREE, "Now I agree.")


# My meeting, preferences, the lead's view ------------------------------------------------------------------

def test_my_meeting_shows_the_next_meeting_in_easy_read(upcoming: Room) -> None:
    with upcoming.db.unit_of_work(read_only=True) as session:
        mine = my_meeting(session=session, actor=upcoming.actor("lived"), today=DEMO_TODAY)
    assert mine.when == "Monday 7 December 2026 at 10am"
    assert [h.name for h in mine.helpers] == ["Morgan Ellis"]
    assert len(mine.reviews) == 3 and all(r.easy_read_summary for r in mine.reviews)
    first, second, _ = mine.reviews
    assert first.my_comment is not None and first.my_comment.feeling == Feeling.WORRIED
    assert first.next_step.startswith("Thank you for telling us")
    assert second.next_step == "Please read about this review. Then tell us what you think." or second.my_comment
    with upcoming.db.unit_of_work(read_only=True) as session:
        assert my_meeting(session=session, actor=upcoming.actor("lived"),
                          today=DEMO_TODAY + dt.timedelta(days=60)) is None


def test_reading_preferences_are_saved_per_person(db, demo: object, actor) -> None:
    chosen = ReadingPreferences(larger_text=True, high_contrast=True, fewer_things=False, live_updates=False)
    with db.unit_of_work() as session:
        save_reading_preferences(session=session, actor=actor("lived"), preferences=chosen)
    with db.unit_of_work(read_only=True) as session:
        assert reading_preferences(session=session, actor=actor("lived")) == chosen
        assert reading_preferences(session=session, actor=actor("lived2")) == ReadingPreferences()


def test_the_leads_page_lists_flagged_reviews_checkpoints_and_themes(upcoming: Room) -> None:
    with upcoming.db.unit_of_work(read_only=True) as session:
        overview = em_lead_overview(session=session, actor=upcoming.actor("emlead"))
        with pytest.raises(NotAllowed):
            em_lead_overview(session=session, actor=upcoming.actor("member"))
    checkpoints = {r.reference[-4:]: r.checkpoint for r in overview.flagged}
    assert checkpoints["0108"] == "Needed before the vote"
    assert overview.waiting == 2  # 0108 on the agenda, and 0111 ready for a panel
    assert all(f.kind_label == "Area of concern" for f in overview.themed) and overview.themed
    with upcoming.db.unit_of_work() as session:
        add_comment(session=session, actor=upcoming.actor("emlead"), review_id=upcoming.review_items()[0].review_id,
                    body="Information should be offered in the family's language.")
    with upcoming.db.unit_of_work(read_only=True) as session:
        after = em_lead_overview(session=session, actor=upcoming.actor("emlead"))
    assert {r.reference[-4:]: r.checkpoint for r in after.flagged}["0108"] == "View recorded"
    assert after.waiting == 1
