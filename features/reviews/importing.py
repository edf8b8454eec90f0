"""Importing reviews from the review platform's export: what the database knows for the checks, and the
writing of the clean rows in one transaction (all of them, or none).

Re-importing the same file changes nothing: a row whose content equals the review's is left alone, so the
review's version and history stay as they were.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from db.models import FindingTheme, FocusedReview, ReviewFinding, Theme, User, UserRole
from features.audit.audit import record_events
from features.reviews.import_file import read_table
from rules.actors import Actor
from rules.errors import Invalid
from rules.formatting import plural
from rules.permissions import Permission, require
from rules.review_import import (
    FINDING_COLUMNS,
    CheckedRow,
    ExistingReview,
    ImportCheck,
    KnownRecords,
    ReviewContent,
    RowAction,
    check_file,
    numbered_findings,
    references_in,
)
from rules.vocabulary import ReviewStatus, Role

Progress = Callable[[float, str], None]
_CHUNK = 500  # references per IN (...) list, and reviews per flush


def _no_progress(_fraction: float, _words: str) -> None:
    return None


@dataclass(frozen=True)
class ImportPreview:
    file_name: str
    fingerprint: str  # sha256 of the bytes: the import refuses a file other than the one previewed
    check: ImportCheck


@dataclass(frozen=True)
class ImportResult:
    new: int
    updated: int
    unchanged: int
    left_out: int  # rows with problems, when only the clean rows were imported

    def sentence(self) -> str:
        said = [f"{plural(self.new, 'new review')}", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.left_out:
            said.append(f"{plural(self.left_out, 'row')} with problems left out")
        return "Imported: " + ", ".join(said) + "."


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _content_of(review: FocusedReview) -> ReviewContent:
    order = list(FINDING_COLUMNS.values())
    findings = tuple((f.kind, f.text, tuple(sorted(t.id for t in f.themes)))
                     for f in sorted(review.findings, key=lambda f: (order.index(f.kind), f.position)))
    return ReviewContent(review.notified_on, review.reviewer_id or 0, review.ethnic_minority, review.age_band,
                         review.setting_type, review.summary, findings)


def _reviewers(session: Session, panel_id: int) -> dict[str, tuple[int, ...]]:
    """Each active reviewer by username, email and name (lower case); a name two reviewers share maps to both."""
    found: dict[str, set[int]] = {}
    rows = session.execute(select(User.id, User.username, User.email, User.name)
                           .join(UserRole, UserRole.user_id == User.id)
                           .where(User.panel_id == panel_id, UserRole.role == Role.REVIEWER,
                                  User.is_active.is_(True)))
    for user_id, *names in rows:
        for name in names:
            if name and name.strip():
                found.setdefault(" ".join(name.lower().split()), set()).add(user_id)
    return {key: tuple(sorted(ids)) for key, ids in found.items()}


def _existing(session: Session, panel_id: int, references: list[str]) -> dict[str, FocusedReview]:
    loaded: dict[str, FocusedReview] = {}
    for chunk in _chunks(references):
        reviews = session.scalars(select(FocusedReview)
                                  .where(FocusedReview.panel_id == panel_id, FocusedReview.reference.in_(chunk))
                                  .options(selectinload(FocusedReview.findings).selectinload(ReviewFinding.themes)))
        loaded.update({review.reference: review for review in reviews})
    return loaded


def _held_elsewhere(session: Session, panel_id: int, references: list[str]) -> frozenset[str]:
    """References another panel holds: only the references are read, never another ICB's content."""
    held: set[str] = set()
    for chunk in _chunks(references):
        held.update(session.scalars(select(FocusedReview.reference).where(
            FocusedReview.panel_id != panel_id, FocusedReview.reference.in_(chunk))))
    return frozenset(held)


def check_rows_of(session: Session, actor: Actor, *, file_name: str, data: bytes,
                  today: dt.date) -> tuple[ImportCheck, dict[str, FocusedReview]]:
    """Read the file and check every row against the panel; also the reviews it names, for the writer."""
    require(actor, Permission.IMPORT_REVIEWS)
    table = read_table(file_name, data)
    references = sorted(references_in(table.headings, (cells for _, cells in table.rows)))
    existing = _existing(session, actor.panel_id, references)
    themes = {name.lower(): theme_id for theme_id, name in session.execute(
        select(Theme.id, Theme.name).where(Theme.panel_id == actor.panel_id, Theme.is_active.is_(True)))}
    known = KnownRecords(
        today=today, reviewers=_reviewers(session, actor.panel_id), themes=themes,
        existing={ref: ExistingReview(r.id, r.status, _content_of(r)) for ref, r in existing.items()},
        other_panels=_held_elsewhere(session, actor.panel_id, references))
    return check_file(table.headings, table.rows, known, notes=table.notes), existing


def fingerprint_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def preview_import(session: Session, actor: Actor, *, file_name: str, data: bytes,
                   today: dt.date) -> ImportPreview:
    check, _ = check_rows_of(session, actor, file_name=file_name, data=data, today=today)
    return ImportPreview(file_name, fingerprint_of(data), check)


# --- Writing ----------------------------------------------------------------------------------------------


def _findings(content: ReviewContent, themes: dict[int, Theme]) -> list[ReviewFinding]:
    return [ReviewFinding(kind=kind, text=text, position=position, themes=[themes[i] for i in theme_ids])
            for kind, text, position, theme_ids in numbered_findings(content)]


def _new_review_values(actor: Actor, row: CheckedRow) -> dict[str, object]:
    """Complete reviews (a summary and at least one finding) go straight to 'ready for the panel', so the
    secretariat can put them on an agenda; others wait with their reviewer."""
    content = row.content
    assert content is not None
    status = ReviewStatus.READY_FOR_PANEL if content.summary and content.findings else ReviewStatus.IN_PROGRESS
    return {"panel_id": actor.panel_id, "reference": row.reference, "reviewer_id": content.reviewer_id,
            "notified_on": content.notified_on, "age_band": content.age_band, "setting_type": content.setting_type,
            "ethnic_minority": content.ethnic_minority, "summary": content.summary, "easy_read_summary": "",
            "status": status}


def _insert_new_reviews(session: Session, actor: Actor, rows: list[CheckedRow]) -> None:
    """New reviews as three bulk inserts (reviews, findings, their themes) rather than one ORM object
    each: thousands of reviews, each with several findings, land in about a second."""
    if not rows:
        return
    review_ids = session.scalars(insert(FocusedReview).returning(FocusedReview.id, sort_by_parameter_order=True),
                                 [_new_review_values(actor, row) for row in rows]).all()
    findings: list[dict[str, object]] = []
    themes_of: list[tuple[int, ...]] = []
    for review_id, row in zip(review_ids, rows, strict=True):
        assert row.content is not None
        for kind, text, position, theme_ids in numbered_findings(row.content):
            findings.append({"review_id": review_id, "kind": kind, "text": text, "position": position})
            themes_of.append(theme_ids)
    if not findings:
        return
    finding_ids = session.scalars(insert(ReviewFinding).returning(ReviewFinding.id, sort_by_parameter_order=True),
                                  findings).all()
    links = [{"finding_id": finding_id, "theme_id": theme_id}
             for finding_id, theme_ids in zip(finding_ids, themes_of, strict=True) for theme_id in theme_ids]
    if links:
        session.execute(insert(FindingTheme), links)


def _update(review: FocusedReview, content: ReviewContent, themes: dict[int, Theme]) -> None:
    review.notified_on, review.reviewer_id = content.notified_on, content.reviewer_id
    review.ethnic_minority, review.age_band = content.ethnic_minority, content.age_band
    review.setting_type, review.summary = content.setting_type, content.summary
    review.findings = _findings(content, themes)


def _rows_to_write(check: ImportCheck, *, only_clean: bool) -> list[CheckedRow]:
    if check.file_problems:
        raise Invalid("Nothing was imported: " + check.file_problems[0].message)
    if check.problems and not only_clean:
        raise Invalid(f"Nothing was imported: the file has {plural(len(check.problems), 'problem')} in "
                      f"{plural(check.rows_with_problems, 'row')}. Mend the file, or import only the clean rows.")
    if not check.clean_rows:
        raise Invalid("Nothing was imported: no row is free of problems.")
    return check.rows_to_write


def import_reviews(session: Session, actor: Actor, *, file_name: str, data: bytes, today: dt.date,
                   only_clean: bool, expected_fingerprint: str | None = None,
                   progress: Progress = _no_progress) -> ImportResult:
    """Check the file again inside this transaction (the panel may have changed since the preview) and
    write every clean row, each with its line in the audit log; any failure writes nothing."""
    if expected_fingerprint is not None and fingerprint_of(data) != expected_fingerprint:
        raise Invalid("This is not the file that was checked. Check it again before importing.")
    progress(0.05, "Checking the file again")
    check, existing = check_rows_of(session, actor, file_name=file_name, data=data, today=today)
    writing = _rows_to_write(check, only_clean=only_clean)
    themes = {t.id: t for t in session.scalars(select(Theme).where(Theme.panel_id == actor.panel_id))}
    new = [row for row in writing if row.action == RowAction.NEW]
    for done in range(0, len(new), _CHUNK):
        _insert_new_reviews(session, actor, new[done:done + _CHUNK])
        saved = min(done + _CHUNK, len(new))
        progress(round(0.1 + 0.8 * saved / len(writing), 3), f"Saved {saved:,} of {len(writing):,} reviews")
    events = [("review imported", f"review {row.reference}", f"Imported the review from {file_name}.")
              for row in new]
    for row in writing:
        if row.action == RowAction.UPDATE and row.content is not None:
            _update(existing[row.reference], row.content, themes)
            events.append(("review edited", f"review {row.reference}", f"Updated the review from {file_name}."))
    progress(0.9, "Saved the updated reviews")
    result = ImportResult(check.count(RowAction.NEW), check.count(RowAction.UPDATE),
                          check.count(RowAction.UNCHANGED), check.rows_with_problems if only_clean else 0)
    events.append(("reviews imported", f"file {file_name}"[:64],
                   f"{result.sentence()} File fingerprint {fingerprint_of(data)[:12]}."))
    progress(0.95, "Writing the audit log")
    record_events(session, actor, events=events)
    progress(1.0, "Done")
    return result
