"""Editing a focused review: reference rules, pauses that cannot overlap, findings tagged with the panel's
own themes, locking after sign-off, and stale forms refused. Plus the panel's editable rules and themes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from db.session import Database
from features.panel_settings.panels import (
    add_theme,
    list_themes,
    panel_rules,
    set_theme_active,
    update_panel_rules,
)
from features.reviews.reviews import (
    add_finding,
    add_pause,
    create_review,
    end_pause,
    list_reviews,
    mark_ready_for_panel,
    review_detail,
    reviewer_choices,
    update_summary,
)
from rules.actors import Actor
from rules.clock import ClockSettings
from rules.errors import Conflict, Invalid, NotAllowed, NotFound
from rules.quorum import QuorumRule
from rules.vocabulary import FindingKind, PauseReason
from tests.conftest import DEMO_TODAY

D = dt.date


@pytest.fixture
def new_review(db: Database, actor: Callable[[str], Actor]) -> int:
    reviewer = actor("reviewer")
    with db.unit_of_work() as session:
        return create_review(session=session, actor=reviewer, reference="ldr-2026-0999",
                             notified_on=D(2026, 6, 1), age_band="45-54", setting_type="Supported living",
                             ethnic_minority=False, reviewer_id=reviewer.user_id, senior_reviewer_id=None,
                             today=DEMO_TODAY)


def detail(db: Database, actor: Callable[[str], Actor], review_id: int, who: str = "reviewer"):
    with db.unit_of_work(read_only=True) as session:
        return review_detail(session=session, actor=actor(who), review_id=review_id, today=DEMO_TODAY)


def test_new_review_is_stored_by_reference_in_capitals(db: Database, actor: Callable[[str], Actor],
                                                       new_review: int) -> None:
    assert detail(db, actor, new_review).reference == "LDR-2026-0999"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reference": "Jane Smith"}, "must look like LDR-2026-0147"),
        ({"reference": "LDR-2026-0101"}, "already a review LDR-2026-0101"),
        ({"age_band": "52"}, "Choose an age band"),
        ({"notified_on": DEMO_TODAY + dt.timedelta(days=1)}, "cannot be in the future"),
    ],
)
def test_create_review_refuses_bad_input(db: Database, actor: Callable[[str], Actor], changes: dict,
                                         message: str) -> None:
    fields = {"reference": "LDR-2026-0998", "notified_on": D(2026, 6, 1), "age_band": "45-54",
              "setting_type": "", "ethnic_minority": False, "reviewer_id": None, "senior_reviewer_id": None}
    with pytest.raises((Invalid, Conflict), match=message), db.unit_of_work() as session:
        create_review(session=session, actor=actor("reviewer"), today=DEMO_TODAY, **{**fields, **changes})


def test_only_reviewers_may_be_assigned(db: Database, actor: Callable[[str], Actor]) -> None:
    with db.unit_of_work(read_only=True) as session:
        assert set(reviewer_choices(session=session, actor=actor("admin")).values()) == {"Chris Walker"}
    with pytest.raises(Invalid, match="reviewer role"), db.unit_of_work() as session:
        create_review(session=session, actor=actor("admin"), reference="LDR-2026-0997", notified_on=D(2026, 6, 1),
                      age_band="45-54", setting_type="", ethnic_minority=False,
                      reviewer_id=actor("member").user_id, senior_reviewer_id=None, today=DEMO_TODAY)


def test_members_cannot_edit_reviews(db: Database, actor: Callable[[str], Actor], new_review: int) -> None:
    with pytest.raises(NotAllowed), db.unit_of_work() as session:
        update_summary(session=session, actor=actor("member"), review_id=new_review, summary="x",
                       ethnic_minority=False, expected_version=1)


def test_another_icb_cannot_see_or_edit_the_review(db: Database, actor: Callable[[str], Actor],
                                                   new_review: int) -> None:
    with pytest.raises(NotFound):
        detail(db, actor, new_review, "southchair")


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (D(2026, 5, 1), None, "before the death was notified"),
        (D(2026, 7, 10), D(2026, 7, 1), "end on or after the day it starts"),
        (D(2026, 12, 1), None, "cannot start in the future"),
        (D(2026, 7, 20), D(2026, 8, 5), "overlaps another one from 01 July 2026"),
        (D(2026, 6, 20), D(2026, 7, 1), "overlaps another one"),
    ],
)
def test_pause_rules(db: Database, actor: Callable[[str], Actor], new_review: int, start: dt.date,
                     end: dt.date | None, message: str) -> None:
    with db.unit_of_work() as session:
        add_pause(session=session, actor=actor("reviewer"), review_id=new_review, starts_on=D(2026, 7, 1),
                  ends_on=D(2026, 7, 31), reason=PauseReason.CORONER, today=DEMO_TODAY)
    with pytest.raises(Invalid, match=message), db.unit_of_work() as session:
        add_pause(session=session, actor=actor("reviewer"), review_id=new_review, starts_on=start, ends_on=end,
                  reason=PauseReason.POLICE, today=DEMO_TODAY)
    assert len(detail(db, actor, new_review).pauses) == 1


def test_a_pause_stops_the_clock_and_can_be_ended(db: Database, actor: Callable[[str], Actor],
                                                  new_review: int) -> None:
    before = detail(db, actor, new_review).clock
    with db.unit_of_work() as session:
        add_pause(session=session, actor=actor("reviewer"), review_id=new_review, starts_on=D(2026, 10, 1),
                  ends_on=None, reason=PauseReason.SAFEGUARDING, today=DEMO_TODAY)
    paused = detail(db, actor, new_review)
    assert paused.clock.paused_now and "Safeguarding adults review" in paused.clock.label
    assert paused.clock.elapsed_days == before.elapsed_days - 53
    with db.unit_of_work() as session:
        end_pause(session=session, actor=actor("reviewer"), review_id=new_review, pause_id=paused.pauses[0].id,
                  ends_on=D(2026, 10, 31), today=DEMO_TODAY)
    ended = detail(db, actor, new_review).clock
    assert not ended.paused_now and ended.paused_days == 31


def test_findings_carry_the_panels_own_themes(db: Database, actor: Callable[[str], Actor], new_review: int) -> None:
    with db.unit_of_work(read_only=True) as session:
        themes = {t.name: t.id for t in list_themes(session=session, actor=actor("reviewer"))}
        south = {t.name: t.id for t in list_themes(session=session, actor=actor("southadmin"))}
    with db.unit_of_work() as session:
        add_finding(session=session, actor=actor("reviewer"), review_id=new_review, kind=FindingKind.CONCERN,
                    text="Rescue medicine was not taken on an outing.", theme_ids=[themes["Epilepsy"]])
    review = detail(db, actor, new_review)
    assert [(f.kind_label, f.themes) for f in review.findings] == [("Area of concern", ("Epilepsy",))]
    with pytest.raises(Invalid, match="not on your panel's list"), db.unit_of_work() as session:
        add_finding(session=session, actor=actor("reviewer"), review_id=new_review, kind=FindingKind.LEARNING,
                    text="Borrowed theme", theme_ids=[south["Sepsis"]])
    with pytest.raises(Invalid, match="Write the finding"), db.unit_of_work() as session:
        add_finding(session=session, actor=actor("reviewer"), review_id=new_review, kind=FindingKind.LEARNING,
                    text="   ", theme_ids=[])


def test_ready_for_panel_needs_a_summary_and_a_finding(db: Database, actor: Callable[[str], Actor],
                                                       new_review: int) -> None:
    reviewer = actor("reviewer")
    with pytest.raises(Invalid, match="plain summary"), db.unit_of_work() as session:
        mark_ready_for_panel(session=session, actor=reviewer, review_id=new_review)
    with db.unit_of_work() as session:
        update_summary(session=session, actor=reviewer, review_id=new_review, summary="A short plain summary.",
                       ethnic_minority=True, expected_version=1)
    with pytest.raises(Invalid, match="at least one area"), db.unit_of_work() as session:
        mark_ready_for_panel(session=session, actor=reviewer, review_id=new_review)
    with db.unit_of_work() as session:
        add_finding(session=session, actor=reviewer, review_id=new_review, kind=FindingKind.GOOD_PRACTICE,
                    text="The family were involved throughout.", theme_ids=[])
        mark_ready_for_panel(session=session, actor=reviewer, review_id=new_review)
    assert detail(db, actor, new_review).status_label == "Ready for panel"


def test_second_save_of_a_stale_summary_is_refused(db: Database, actor: Callable[[str], Actor],
                                                   new_review: int) -> None:
    with db.unit_of_work() as session:
        update_summary(session=session, actor=actor("reviewer"), review_id=new_review, summary="First",
                       ethnic_minority=False, expected_version=1)
    with pytest.raises(Conflict, match="Someone else changed this review"), db.unit_of_work() as session:
        update_summary(session=session, actor=actor("admin"), review_id=new_review, summary="Second",
                       ethnic_minority=False, expected_version=1)
    assert detail(db, actor, new_review).summary == "First"


def test_signed_off_reviews_are_locked(db: Database, actor: Callable[[str], Actor]) -> None:
    with db.unit_of_work(read_only=True) as session:
        signed = next(r for r in list_reviews(session=session, actor=actor("reviewer"), today=DEMO_TODAY)
                      if r.status_label == "Signed off")
    with pytest.raises(Invalid, match="locked"), db.unit_of_work() as session:
        update_summary(session=session, actor=actor("reviewer"), review_id=signed.id, summary="Rewritten",
                       ethnic_minority=False, expected_version=1)


def test_panel_rules_are_data_the_secretariat_edits(db: Database, actor: Callable[[str], Actor]) -> None:
    admin = actor("admin")
    with db.unit_of_work(read_only=True) as session:
        rules = panel_rules(session=session, panel_id=admin.panel_id)
    assert rules.quorum == QuorumRule() and rules.clock == ClockSettings()
    new_quorum = QuorumRule(min_voting_members=3, require_chair_or_vice=False, min_lived_experience=2,
                            require_ethnic_minority_lead=False)
    with db.unit_of_work() as session:
        update_panel_rules(session=session, actor=admin, quorum=new_quorum, clock=ClockSettings(6, 14),
                           require_em_lead_view=False, expected_version=rules.version_id)
    with db.unit_of_work(read_only=True) as session:
        saved = panel_rules(session=session, panel_id=admin.panel_id)
        south = panel_rules(session=session, panel_id=actor("southadmin").panel_id)
    assert (saved.quorum, saved.clock.amber_within_days, saved.require_em_lead_view) == (new_quorum, 14, False)
    assert south.quorum == QuorumRule()
    with pytest.raises(Conflict), db.unit_of_work() as session:
        update_panel_rules(session=session, actor=admin, quorum=new_quorum, clock=ClockSettings(),
                           require_em_lead_view=True, expected_version=rules.version_id)
    with pytest.raises(Invalid, match="between 0 and the number"), db.unit_of_work() as session:
        update_panel_rules(session=session, actor=admin, quorum=QuorumRule(min_voting_members=2,
                           min_lived_experience=3), clock=ClockSettings(), require_em_lead_view=True,
                           expected_version=saved.version_id)
    with pytest.raises(NotAllowed), db.unit_of_work() as session:
        update_panel_rules(session=session, actor=actor("chair"), quorum=new_quorum, clock=ClockSettings(),
                           require_em_lead_view=True, expected_version=saved.version_id)


def test_themes_start_national_and_can_be_extended_or_switched_off(db: Database,
                                                                  actor: Callable[[str], Actor]) -> None:
    admin = actor("admin")
    with db.unit_of_work() as session:
        names = [t.name for t in list_themes(session=session, actor=admin)]
        added = add_theme(session=session, actor=admin, name="  Dysphagia   care ")
        set_theme_active(session=session, actor=admin, theme_id=added.id, active=False)
    assert len(names) == 10 and "STOMP" in names
    with db.unit_of_work(read_only=True) as session:
        active = [t.name for t in list_themes(session=session, actor=admin)]
        everything = [t.name for t in list_themes(session=session, actor=admin, include_inactive=True)]
    assert "Dysphagia care" not in active and "Dysphagia care" in everything
    with pytest.raises(Conflict, match="already a theme"), db.unit_of_work() as session:
        add_theme(session=session, actor=admin, name="stomp")
