"""Focused reviews of the actor's panel, by pseudonymised reference only: listing, detail and editing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from db.conflicts import flush_or_conflict
from db.models import FocusedReview, ReviewFinding, ReviewPause, Theme, User, UserRole
from features.audit.audit import record_event
from features.panel_settings.panels import panel_rules
from features.reviews.jargon import jargon_pairs
from rules.actors import Actor
from rules.clock import ClockSettings, PausePeriod, ReviewClock, review_clock
from rules.easy_read import check_easy_read
from rules.errors import Conflict, Invalid, NotFound, changed_by_someone_else
from rules.labels import FINDING_KIND_LABELS, PAUSE_REASON_LABELS, REVIEW_STATUS_LABELS
from rules.limits import MAX_FINDING_CHARS, MAX_SUMMARY_CHARS, MAX_WORD_CHARS
from rules.permissions import Permission, require
from rules.plain_text import clean_text
from rules.vocabulary import AGE_BANDS, REFERENCE_PATTERN, FindingKind, PauseReason, ReviewStatus, Role


@dataclass(frozen=True)
class ReviewSummary:
    id: int
    reference: str
    age_band: str
    ethnic_minority: bool
    notified_on: dt.date
    status: ReviewStatus
    status_label: str
    clock: ReviewClock
    learning_count: int
    good_practice_count: int
    concern_count: int


@dataclass(frozen=True)
class FindingRow:
    id: int
    kind: FindingKind
    kind_label: str
    text: str
    themes: tuple[str, ...]


@dataclass(frozen=True)
class PauseRow:
    id: int
    starts_on: dt.date
    ends_on: dt.date | None
    reason: PauseReason
    reason_label: str


@dataclass(frozen=True)
class ReviewDetail:
    id: int
    reference: str
    summary: str
    age_band: str
    setting_type: str
    ethnic_minority: bool
    reviewer_name: str
    senior_reviewer_name: str
    notified_on: dt.date
    presented_on: dt.date | None
    status: ReviewStatus
    status_label: str
    clock: ReviewClock
    findings: tuple[FindingRow, ...]
    pauses: tuple[PauseRow, ...]
    themes: tuple[str, ...]
    version_id: int
    easy_read_summary: str = ""

    def findings_of(self, kind: FindingKind) -> list[FindingRow]:
        return [f for f in self.findings if f.kind == kind]


def _pause_periods(review: FocusedReview) -> list[PausePeriod]:
    return [PausePeriod(p.starts_on, p.ends_on, PAUSE_REASON_LABELS[p.reason]) for p in review.pauses]


def clock_for(review: FocusedReview, *, today: dt.date, settings: ClockSettings) -> ReviewClock:
    return review_clock(notified_on=review.notified_on, pauses=_pause_periods(review), today=today,
                        finished_on=review.finished_on, settings=settings)


def list_reviews(*, session: Session, actor: Actor, today: dt.date, status: ReviewStatus | None = None,
                 newest_first: bool = False, offset: int = 0, limit: int | None = None) -> list[ReviewSummary]:
    """Reviews with their clock and counts of each kind of finding, in three queries whatever the number:
    only the columns the list shows (not the summaries' text), the pauses, and the counts. A panel with
    years of reviews makes this list on every click of several pages (docs/performance.md)."""
    require(actor, Permission.VIEW_REVIEWS)
    settings = panel_rules(session=session, panel_id=actor.panel_id).clock
    query = (select(FocusedReview.id, FocusedReview.reference, FocusedReview.age_band, FocusedReview.ethnic_minority,
                    FocusedReview.notified_on, FocusedReview.status, FocusedReview.finished_on)
             .where(FocusedReview.panel_id == actor.panel_id)
             .order_by(FocusedReview.reference.desc() if newest_first else FocusedReview.reference)
             .offset(offset).limit(limit))
    if status is not None:
        query = query.where(FocusedReview.status == status)
    reviews = session.execute(query).all()
    only = [r.id for r in reviews] if limit is not None else None  # a page: read just its pauses and counts
    pauses = pauses_by_review(session, actor.panel_id, only)
    counts = _finding_counts(session, actor.panel_id, only)
    return [
        ReviewSummary(
            id=r.id, reference=r.reference, age_band=r.age_band, ethnic_minority=r.ethnic_minority,
            notified_on=r.notified_on, status=r.status, status_label=REVIEW_STATUS_LABELS[r.status],
            clock=review_clock(notified_on=r.notified_on, pauses=pauses.get(r.id, []), today=today,
                               finished_on=r.finished_on, settings=settings),
            learning_count=counts.get((r.id, FindingKind.LEARNING), 0),
            good_practice_count=counts.get((r.id, FindingKind.GOOD_PRACTICE), 0),
            concern_count=counts.get((r.id, FindingKind.CONCERN), 0),
        )
        for r in reviews
    ]


def count_reviews(*, session: Session, actor: Actor) -> int:
    require(actor, Permission.VIEW_REVIEWS)
    return session.scalar(select(func.count(FocusedReview.id)).where(FocusedReview.panel_id == actor.panel_id)) or 0


def review_choices(*, session: Session, actor: Actor) -> dict[int, str]:
    """Id -> "reference: status", newest first, for the list box that opens a review: one narrow query."""
    require(actor, Permission.VIEW_REVIEWS)
    return {review_id: f"{reference}: {REVIEW_STATUS_LABELS[status]}"
            for review_id, reference, status in session.execute(
                select(FocusedReview.id, FocusedReview.reference, FocusedReview.status)
                .where(FocusedReview.panel_id == actor.panel_id).order_by(FocusedReview.reference.desc()))}


def review_references(*, session: Session, actor: Actor) -> dict[int, str]:
    """Id -> reference of the panel's reviews, for choosing one in a list: one narrow query."""
    require(actor, Permission.VIEW_REVIEWS)
    return dict(session.execute(select(FocusedReview.id, FocusedReview.reference)
                                .where(FocusedReview.panel_id == actor.panel_id)
                                .order_by(FocusedReview.reference)).all())


def pauses_by_review(session: Session, panel_id: int, only: list[int] | None) -> dict[int, list[PausePeriod]]:
    """review id -> its pauses in date order, for the panel's reviews (or only those given): one query."""
    pauses: dict[int, list[PausePeriod]] = {}
    query = (select(ReviewPause.review_id, ReviewPause.starts_on, ReviewPause.ends_on, ReviewPause.reason)
             .join(FocusedReview, FocusedReview.id == ReviewPause.review_id)
             .where(FocusedReview.panel_id == panel_id).order_by(ReviewPause.review_id, ReviewPause.starts_on))
    if only is not None:
        query = query.where(ReviewPause.review_id.in_(only))
    for review_id, starts, ends, reason in session.execute(query):
        pauses.setdefault(review_id, []).append(PausePeriod(starts, ends, PAUSE_REASON_LABELS[reason]))
    return pauses


def _finding_counts(session: Session, panel_id: int, only: list[int] | None) -> dict[tuple[int, FindingKind], int]:
    query = (select(ReviewFinding.review_id, ReviewFinding.kind, func.count())
             .join(FocusedReview, FocusedReview.id == ReviewFinding.review_id)
             .where(FocusedReview.panel_id == panel_id)
             .group_by(ReviewFinding.review_id, ReviewFinding.kind))
    if only is not None:
        query = query.where(ReviewFinding.review_id.in_(only))
    return {(review_id, kind): n for review_id, kind, n in session.execute(query)}


def load_review(session: Session, actor: Actor, review_id: int) -> FocusedReview:
    """The review if it belongs to the actor's panel; otherwise NotFound (never say it exists elsewhere)."""
    review = session.scalars(
        select(FocusedReview).where(FocusedReview.id == review_id, FocusedReview.panel_id == actor.panel_id)
        .options(
            selectinload(FocusedReview.findings).selectinload(ReviewFinding.themes),
            selectinload(FocusedReview.pauses),
            selectinload(FocusedReview.reviewer),
            selectinload(FocusedReview.senior_reviewer),
        )
    ).one_or_none()
    if review is None:
        raise NotFound("That review is not on your panel's list.")
    return review


def ordered_findings(review: FocusedReview) -> list[ReviewFinding]:
    """Learning, then good practice, then concerns, each in the order written: how every page, version and
    export lists them."""
    order = list(FindingKind)
    return sorted(review.findings, key=lambda f: (order.index(f.kind), f.position, f.id))


def review_detail(*, session: Session, actor: Actor, review_id: int, today: dt.date) -> ReviewDetail:
    require(actor, Permission.VIEW_REVIEWS)
    review = load_review(session, actor, review_id)
    settings = panel_rules(session=session, panel_id=actor.panel_id).clock
    findings = tuple(
        FindingRow(f.id, f.kind, FINDING_KIND_LABELS[f.kind], f.text, tuple(t.name for t in f.themes))
        for f in ordered_findings(review)
    )
    themes = tuple(dict.fromkeys(name for f in findings for name in f.themes))
    return ReviewDetail(
        id=review.id, reference=review.reference, summary=review.summary, age_band=review.age_band,
        setting_type=review.setting_type, ethnic_minority=review.ethnic_minority,
        reviewer_name=review.reviewer.name if review.reviewer else "Not assigned",
        senior_reviewer_name=review.senior_reviewer.name if review.senior_reviewer else "Not assigned",
        notified_on=review.notified_on, presented_on=review.presented_on, status=review.status,
        status_label=REVIEW_STATUS_LABELS[review.status],
        clock=clock_for(review, today=today, settings=settings),
        findings=findings,
        pauses=tuple(PauseRow(p.id, p.starts_on, p.ends_on, p.reason, PAUSE_REASON_LABELS[p.reason])
                     for p in review.pauses),
        themes=themes,
        version_id=review.version_id,
        easy_read_summary=review.easy_read_summary,
    )


def reviewer_choices(*, session: Session, actor: Actor) -> dict[int, str]:
    """People on the panel who hold the reviewer role, for the reviewer and senior reviewer pickers."""
    rows = session.execute(
        select(User.id, User.name).join(UserRole, UserRole.user_id == User.id)
        .where(User.panel_id == actor.panel_id, UserRole.role == Role.REVIEWER, User.is_active.is_(True))
        .order_by(User.name)
    ).all()
    return dict(rows)


def _check_reviewer(session: Session, actor: Actor, user_id: int | None, what: str) -> None:
    if user_id is not None and user_id not in reviewer_choices(session=session, actor=actor):
        raise Invalid(f"The {what} must be someone on your panel with the reviewer role.")


def create_review(
    *, session: Session, actor: Actor, reference: str, notified_on: dt.date, age_band: str,
    setting_type: str, ethnic_minority: bool, reviewer_id: int | None, senior_reviewer_id: int | None,
    today: dt.date,
) -> int:
    require(actor, Permission.EDIT_REVIEW)
    clean = reference.strip().upper()
    if not REFERENCE_PATTERN.fullmatch(clean):
        raise Invalid("The reference must look like LDR-2026-0147. Never use the person's name.")
    if age_band not in AGE_BANDS:
        raise Invalid(f"Choose an age band: {', '.join(AGE_BANDS)}.")
    if notified_on > today:
        raise Invalid("The notification date cannot be in the future.")
    setting = " ".join(clean_text(setting_type, what="The type of setting", limit=MAX_WORD_CHARS).split())
    _check_reviewer(session, actor, reviewer_id, "reviewer")
    _check_reviewer(session, actor, senior_reviewer_id, "senior reviewer")
    taken = session.scalar(select(func.count()).select_from(FocusedReview).where(
        FocusedReview.panel_id == actor.panel_id, FocusedReview.reference == clean))
    if taken:
        raise Conflict(f"There is already a review {clean} on your panel.")
    review = FocusedReview(
        panel_id=actor.panel_id, reference=clean, notified_on=notified_on, age_band=age_band,
        setting_type=setting, ethnic_minority=ethnic_minority,
        reviewer_id=reviewer_id, senior_reviewer_id=senior_reviewer_id, summary="",
    )
    session.add(review)
    session.flush()
    _audit(session, actor, review, "review created", f"Created the review {clean}.")
    return review.id


def _editable(session: Session, actor: Actor, review_id: int, expected_version: int | None) -> FocusedReview:
    require(actor, Permission.EDIT_REVIEW)
    review = load_review(session, actor, review_id)
    if review.status == ReviewStatus.SIGNED_OFF:
        raise Invalid("This review has been signed off and is locked.")
    if expected_version is not None and review.version_id != expected_version:
        raise changed_by_someone_else("this review")
    return review


def _flush(session: Session) -> None:
    flush_or_conflict(session, "this review")


def _audit(session: Session, actor: Actor, review: FocusedReview, action: str, description: str) -> None:
    """Every change to a review goes in the audit log, said in words; never the words written, which could
    identify someone."""
    record_event(session, actor, action=action, subject=f"review {review.reference}", description=description)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def update_summary(
    *, session: Session, actor: Actor, review_id: int, summary: str, ethnic_minority: bool,
    expected_version: int,
) -> None:
    review = _editable(session, actor, review_id, expected_version)
    flag_changed = review.ethnic_minority != ethnic_minority
    review.summary = clean_text(summary, what="The summary", limit=MAX_SUMMARY_CHARS)
    review.ethnic_minority = ethnic_minority
    _flush(session)
    flag = f" Ethnic minority flag {'set' if ethnic_minority else 'removed'}." if flag_changed else ""
    _audit(session, actor, review, "review edited", f"Saved the plain summary.{flag}")


def update_easy_read_summary(
    *, session: Session, actor: Actor, review_id: int, text: str, expected_version: int,
) -> None:
    """Save the Easy Read summary only when the checker finds nothing: long sentences, unexplained jargon
    or acronyms, and identifiers are each refused with what to change."""
    review = _editable(session, actor, review_id, expected_version)
    value = clean_text(text, what="The Easy Read summary", limit=MAX_SUMMARY_CHARS)
    check = check_easy_read(value, jargon_pairs(session, actor.panel_id))
    if not check.ok:
        problems = len(check.issues)
        raise Invalid(f"Not saved: {problems} thing{'s' if problems != 1 else ''} to change. "
                      + " ".join(issue.message for issue in check.issues))
    review.easy_read_summary = value
    _flush(session)
    _audit(session, actor, review, "review edited", "Saved the Easy Read summary.")


def add_finding(
    *, session: Session, actor: Actor, review_id: int, kind: FindingKind, text: str, theme_ids: Iterable[int],
) -> None:
    review = _editable(session, actor, review_id, None)
    clean = " ".join(clean_text(text, what="The finding", limit=MAX_FINDING_CHARS).split())
    if not clean:
        raise Invalid("Write the finding in a sentence or two.")
    wanted = set(theme_ids)
    themes = list(session.scalars(select(Theme).where(Theme.panel_id == actor.panel_id, Theme.id.in_(wanted))))
    if len(themes) != len(wanted):
        raise Invalid("One of the chosen themes is not on your panel's list.")
    position = 1 + max((f.position for f in review.findings if f.kind == kind), default=0)
    review.findings.append(ReviewFinding(kind=kind, text=clean, position=position, themes=themes))
    _flush(session)
    _audit(session, actor, review, "review edited", f"Added a finding: {FINDING_KIND_LABELS[kind].lower()}.")


def remove_finding(*, session: Session, actor: Actor, review_id: int, finding_id: int) -> None:
    review = _editable(session, actor, review_id, None)
    finding = next((f for f in review.findings if f.id == finding_id), None)
    if finding is None:
        raise NotFound("That finding is not part of this review.")
    review.findings.remove(finding)
    _flush(session)
    _audit(session, actor, review, "review edited", f"Removed a finding: {FINDING_KIND_LABELS[finding.kind].lower()}.")


def validate_pause(
    *, notified_on: dt.date, starts_on: dt.date, ends_on: dt.date | None, others: Iterable[PausePeriod],
    today: dt.date,
) -> None:
    """A pause starts on or after notification, not in the future, ends after it starts, overlaps no other."""
    if starts_on < notified_on:
        raise Invalid("A pause cannot start before the death was notified.")
    if starts_on > today:
        raise Invalid("A pause cannot start in the future. Add it on the day it starts.")
    if ends_on is not None and ends_on < starts_on:
        raise Invalid("The pause must end on or after the day it starts.")
    far_future = dt.date.max
    for other in others:
        if starts_on <= (other.ends_on or far_future) and other.starts_on <= (ends_on or far_future):
            ending = f"to {other.ends_on:%d %B %Y}" if other.ends_on else "with no end date yet"
            raise Invalid(f"This pause overlaps another one from {other.starts_on:%d %B %Y} {ending}.")


def add_pause(
    *, session: Session, actor: Actor, review_id: int, starts_on: dt.date, ends_on: dt.date | None,
    reason: PauseReason, today: dt.date,
) -> None:
    review = _editable(session, actor, review_id, None)
    validate_pause(notified_on=review.notified_on, starts_on=starts_on, ends_on=ends_on,
                   others=_pause_periods(review), today=today)
    review.pauses.append(ReviewPause(starts_on=starts_on, ends_on=ends_on, reason=reason))
    _flush(session)
    until = f" to {_day(ends_on)}" if ends_on else ""
    _audit(session, actor, review, "review clock paused",
           f"Paused the review clock from {_day(starts_on)}{until}: {PAUSE_REASON_LABELS[reason].lower()}.")


def end_pause(*, session: Session, actor: Actor, review_id: int, pause_id: int, ends_on: dt.date,
              today: dt.date) -> None:
    review = _editable(session, actor, review_id, None)
    pause = next((p for p in review.pauses if p.id == pause_id), None)
    if pause is None:
        raise NotFound("That pause is not part of this review.")
    if ends_on > today:
        raise Invalid("A pause cannot end in the future. End it on the day the other process finishes.")
    others = [PausePeriod(p.starts_on, p.ends_on) for p in review.pauses if p.id != pause_id]
    validate_pause(notified_on=review.notified_on, starts_on=pause.starts_on, ends_on=ends_on, others=others,
                   today=today)
    pause.ends_on = ends_on
    _flush(session)
    _audit(session, actor, review, "review clock paused",
           f"Ended the pause that started on {_day(pause.starts_on)}, on {_day(ends_on)}.")


def mark_ready_for_panel(*, session: Session, actor: Actor, review_id: int) -> None:
    """The reviewer says the review can go to the panel: it needs a summary and at least one finding."""
    review = _editable(session, actor, review_id, None)
    if review.status not in (ReviewStatus.IN_PROGRESS, ReviewStatus.RETURNED):
        raise Invalid(f"This review is already {REVIEW_STATUS_LABELS[review.status].lower()}.")
    if not review.summary.strip():
        raise Invalid("Write a plain summary before sending the review to the panel.")
    if not review.findings:
        raise Invalid("Add at least one area of learning, good practice or concern first.")
    review.status = ReviewStatus.READY_FOR_PANEL
    _flush(session)
    _audit(session, actor, review, "review status", "Sent the review to the panel: ready for the panel.")
