"""What the review pages ask, one function per intent: reading a review, writing it up, the clock's pauses,
comments, escalations and amendments. Each opens and commits its own unit of work (rolled back if
anything raises), so no page or component holds a session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from db.session import Database
from features.panel_settings.panels import list_themes
from features.reviews.comments import CommentRow, CommentSections, add_comment, change_comment, review_comments
from features.reviews.em_lead import EmLeadOverview, em_lead_overview
from features.reviews.escalations import (
    REGIONAL_COORDINATOR,
    EscalationRow,
    escalate,
    escalation_log,
    record_response,
)
from features.reviews.importing import ImportPreview, ImportResult, Progress, import_reviews, preview_import
from features.reviews.jargon import jargon_pairs
from features.reviews.reviews import (
    ReviewDetail,
    ReviewSummary,
    add_finding,
    add_pause,
    count_reviews,
    create_review,
    end_pause,
    list_reviews,
    mark_ready_for_panel,
    review_choices,
    review_detail,
    review_references,
    reviewer_choices,
    update_easy_read_summary,
    update_summary,
)
from features.reviews.versions import VersionRow, amend_signed_off_review, review_versions
from features.voting.decisions import DecisionView, decisions_for_review
from rules.actors import Actor
from rules.easy_read import EasyReadCheck, check_easy_read
from rules.vocabulary import EscalationStatus, Feeling, FindingKind, PauseReason


@dataclass(frozen=True)
class ReviewPage:
    """One review as its page shows it: the facts and findings, and the comments by stage."""

    review: ReviewDetail
    comments: CommentSections


@dataclass(frozen=True)
class ReviewList:
    total: int
    rows: list[ReviewSummary]  # one page of the list, newest first
    choices: dict[int, str]  # every review, for the box that opens one


@dataclass(frozen=True)
class ReviewRecord:
    """What happened to a review after the panel: its decisions and its versions."""

    decisions: list[DecisionView]
    versions: list[VersionRow]


def reference_choices(db: Database, *, actor: Actor) -> dict[int, str]:
    with db.unit_of_work(read_only=True) as session:
        return review_references(session=session, actor=actor)


def count_of_reviews(db: Database, *, actor: Actor) -> int:
    with db.unit_of_work(read_only=True) as session:
        return count_reviews(session=session, actor=actor)


def review_list(db: Database, *, actor: Actor, total: int, offset: int, limit: int | None) -> ReviewList:
    with db.unit_of_work(read_only=True) as session:
        rows = list_reviews(session=session, actor=actor, today=dt.date.today(), newest_first=True, offset=offset,
                            limit=limit)
        return ReviewList(total=total, rows=rows, choices=review_choices(session=session, actor=actor) if total else {})


def review_page(db: Database, *, actor: Actor, review_id: int) -> ReviewPage:
    with db.unit_of_work(read_only=True) as session:
        detail = review_detail(session=session, actor=actor, review_id=review_id, today=dt.date.today())
        return ReviewPage(review=detail,
                          comments=review_comments(session=session, actor=actor, review_id=review_id))


def review_record(db: Database, *, actor: Actor, review_id: int) -> ReviewRecord:
    with db.unit_of_work(read_only=True) as session:
        return ReviewRecord(decisions=decisions_for_review(session=session, actor=actor, review_id=review_id),
                            versions=review_versions(session=session, actor=actor, review_id=review_id))


def reviewers_to_choose(db: Database, *, actor: Actor) -> dict[int, str]:
    with db.unit_of_work(read_only=True) as session:
        return reviewer_choices(session=session, actor=actor)


def theme_choices(db: Database, *, actor: Actor) -> dict[int, str]:
    with db.unit_of_work(read_only=True) as session:
        return {t.id: t.name for t in list_themes(session=session, actor=actor)}


def add_review(db: Database, *, actor: Actor, reference: str, notified_on: dt.date, age_band: str, setting_type: str,
               ethnic_minority: bool, reviewer_id: int | None, senior_reviewer_id: int | None) -> None:
    with db.unit_of_work() as session:
        create_review(session=session, actor=actor, reference=reference, notified_on=notified_on, age_band=age_band,
                      setting_type=setting_type, ethnic_minority=ethnic_minority, reviewer_id=reviewer_id,
                      senior_reviewer_id=senior_reviewer_id, today=dt.date.today())


def check_import_file(db: Database, *, actor: Actor, file_name: str, data: bytes) -> ImportPreview:
    """Every problem in an export, row by row, before anything is written."""
    with db.unit_of_work(read_only=True) as session:
        return preview_import(session, actor, file_name=file_name, data=data, today=dt.date.today())


def import_review_file(db: Database, *, actor: Actor, file_name: str, data: bytes, only_clean: bool,
                       fingerprint: str | None, progress: Progress) -> ImportResult:
    """The whole file (or only its clean rows) in one transaction: all of it lands, or none."""
    with db.unit_of_work() as session:
        return import_reviews(session, actor, file_name=file_name, data=data, today=dt.date.today(),
                              only_clean=only_clean, expected_fingerprint=fingerprint, progress=progress)


def save_summary(db: Database, *, actor: Actor, review: ReviewDetail, summary: str, ethnic_minority: bool) -> None:
    with db.unit_of_work() as session:
        update_summary(session=session, actor=actor, review_id=review.id, summary=summary,
                       ethnic_minority=ethnic_minority, expected_version=review.version_id)


def save_finding(db: Database, *, actor: Actor, review: ReviewDetail, kind: FindingKind, text: str,
                 theme_ids: Iterable[int]) -> None:
    with db.unit_of_work() as session:
        add_finding(session=session, actor=actor, review_id=review.id, kind=kind, text=text, theme_ids=theme_ids)


def pause_clock(db: Database, *, actor: Actor, review: ReviewDetail, starts_on: dt.date, ends_on: dt.date | None,
                reason: PauseReason) -> None:
    with db.unit_of_work() as session:
        add_pause(session=session, actor=actor, review_id=review.id, starts_on=starts_on, ends_on=ends_on,
                  reason=reason, today=dt.date.today())


def restart_clock(db: Database, *, actor: Actor, review: ReviewDetail, pause_id: int, ends_on: dt.date) -> None:
    with db.unit_of_work() as session:
        end_pause(session=session, actor=actor, review_id=review.id, pause_id=pause_id, ends_on=ends_on,
                  today=dt.date.today())


def send_to_panel(db: Database, *, actor: Actor, review: ReviewDetail) -> None:
    with db.unit_of_work() as session:
        mark_ready_for_panel(session=session, actor=actor, review_id=review.id)


def check_easy_read_text(db: Database, *, actor: Actor, text: str) -> EasyReadCheck:
    """The Easy Read check against the panel's own jargon list, as the writer types."""
    with db.unit_of_work(read_only=True) as session:
        return check_easy_read(text, jargon_pairs(session, actor.panel_id))


def save_easy_read(db: Database, *, actor: Actor, review: ReviewDetail, text: str) -> None:
    with db.unit_of_work() as session:
        update_easy_read_summary(session=session, actor=actor, review_id=review.id, text=text,
                                 expected_version=review.version_id)


def say_what_i_think(db: Database, *, actor: Actor, review_id: int, mine: CommentRow | None, body: str,
                     feeling: Feeling | None = None, supported_by: str | None = None) -> None:
    """A member's comment on a review: a new one, or a change to the one they wrote."""
    with db.unit_of_work() as session:
        if mine is None:
            add_comment(session=session, actor=actor, review_id=review_id, body=body, feeling=feeling,
                        supported_by=supported_by)
        else:
            change_comment(session=session, actor=actor, comment_id=mine.id, body=body, feeling=feeling,
                           supported_by=supported_by, now=dt.datetime.now(dt.UTC))


def comment_on_review(db: Database, *, actor: Actor, review_id: int, body: str,
                      would_vote_option_id: int | None = None) -> None:
    """A panel member's comment; before the meeting it may say how they would vote if they cannot come."""
    with db.unit_of_work() as session:
        add_comment(session=session, actor=actor, review_id=review_id, body=body,
                    vote_option_id=would_vote_option_id)


def amend_review(db: Database, *, actor: Actor, review_id: int, texts: dict[int, str], reason: str,
                 latest: int) -> None:
    with db.unit_of_work() as session:
        amend_signed_off_review(session=session, actor=actor, review_id=review_id, texts=texts, reason=reason,
                                now=dt.datetime.now(dt.UTC), expected_version=latest)


def escalations(db: Database, *, actor: Actor) -> list[EscalationRow]:
    with db.unit_of_work(read_only=True) as session:
        return escalation_log(session=session, actor=actor)


def escalate_concern(db: Database, *, actor: Actor, review_id: int | None, what: str,
                     to_whom: str = REGIONAL_COORDINATOR) -> None:
    with db.unit_of_work() as session:
        escalate(session=session, actor=actor, what=what, review_id=review_id, to_whom=to_whom, today=dt.date.today())


def respond_to_escalation(db: Database, *, actor: Actor, row: EscalationRow, response: str,
                          status: EscalationStatus) -> None:
    with db.unit_of_work() as session:
        record_response(session=session, actor=actor, escalation_id=row.id, response=response, status=status,
                        expected_version=row.version_id)


def em_lead_page(db: Database, *, actor: Actor) -> EmLeadOverview:
    with db.unit_of_work(read_only=True) as session:
        return em_lead_overview(session=session, actor=actor)
