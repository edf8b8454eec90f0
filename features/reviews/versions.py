"""Locked, versioned conclusions. When the panel signs a review off, its findings are frozen as version 1.
After that nobody (the secretariat included) edits them in place: a change is a new version with its
author, date and reason, shown as a difference against the signed-off text and written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.conflicts import flush_or_conflict
from db.models import FocusedReview, ReviewFinding, ReviewVersion, User
from features.audit.audit import record_event
from features.reviews.reviews import load_review, ordered_findings
from rules.actors import Actor
from rules.errors import Invalid, NotFound, changed_by_someone_else
from rules.labels import FINDING_KIND_LABELS
from rules.limits import MAX_FINDING_CHARS
from rules.permissions import Permission, require
from rules.plain_text import clean_text
from rules.vocabulary import FindingKind, ReviewStatus, VersionKind

VERSION_KIND_LABELS = {VersionKind.SIGNED_OFF: "Signed off by the panel", VersionKind.AMENDMENT: "Amendment"}


@dataclass(frozen=True)
class FindingText:
    kind: FindingKind
    text: str
    themes: tuple[str, ...] = ()

    @property
    def line(self) -> str:
        return f"{FINDING_KIND_LABELS[self.kind]}: {self.text}"


@dataclass(frozen=True)
class VersionRow:
    number: int
    kind: VersionKind
    kind_label: str
    author: str
    created_at: dt.datetime
    reason: str
    findings: tuple[FindingText, ...]
    changes: tuple[str, ...]  # against the signed-off version, in words; empty for the signed-off version


def findings_of(review: FocusedReview) -> tuple[FindingText, ...]:
    return tuple(FindingText(f.kind, f.text, tuple(t.name for t in f.themes)) for f in ordered_findings(review))


def _dump(findings: tuple[FindingText, ...]) -> str:
    return json.dumps([{"kind": f.kind.value, "text": f.text, "themes": list(f.themes)} for f in findings])


def _load(content: str) -> tuple[FindingText, ...]:
    return tuple(FindingText(FindingKind(d["kind"]), d["text"], tuple(d.get("themes", ())))
                 for d in json.loads(content))


def changes_between(before: tuple[FindingText, ...], after: tuple[FindingText, ...]) -> tuple[str, ...]:
    """The difference in words, not colour: what was removed, added or changed, one line each."""
    old, new = [f.line for f in before], [f.line for f in after]
    lines: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        removed, added = old[i1:i2], new[j1:j2]
        if tag == "replace" and len(removed) == len(added):
            lines += [f"Changed. Was: {a} Now: {b}" for a, b in zip(removed, added, strict=True)]
            continue
        lines += [f"Removed: {a}" for a in removed] + [f"Added: {b}" for b in added]
    return tuple(lines)


def _next_number(session: Session, review_id: int) -> int:
    latest = session.scalar(select(func.max(ReviewVersion.number)).where(ReviewVersion.review_id == review_id))
    return (latest or 0) + 1


def freeze_signed_off(session: Session, actor: Actor, review: FocusedReview, *, decision_id: int, reason: str,
                      now: dt.datetime) -> None:
    """Called by the decision: the findings as the panel signed them off become a version nobody can edit."""
    session.add(ReviewVersion(review_id=review.id, number=_next_number(session, review.id),
                              kind=VersionKind.SIGNED_OFF, content=_dump(findings_of(review)), reason=reason,
                              decision_id=decision_id, created_by_id=actor.user_id, created_at=now))


def amend_signed_off_review(*, session: Session, actor: Actor, review_id: int, texts: dict[int, str],
                            reason: str, now: dt.datetime, expected_version: int) -> int:
    """Change the wording of a signed-off review's findings as a new version. An empty text removes that
    finding. `expected_version` is the latest version number the writer saw. Returns the new number."""
    require(actor, Permission.AMEND_SIGNED_OFF)
    review = load_review(session, actor, review_id)
    if review.status != ReviewStatus.SIGNED_OFF:
        raise Invalid("Only a signed-off review is amended this way. Edit this review on its page as usual.")
    why = clean_text(reason, what="The reason for the change")
    if not why:
        raise Invalid("Say why the signed-off review is being changed. The reason is kept with the new version.")
    by_id = {f.id: f for f in review.findings}
    unknown = set(texts) - set(by_id)
    if unknown:
        raise NotFound("One of those findings is not part of this review.")
    cleaned = {finding_id: clean_text(text, what="A finding", limit=MAX_FINDING_CHARS)
               for finding_id, text in texts.items()}
    if all(not cleaned.get(f.id, f.text) for f in review.findings):
        raise Invalid("A signed-off review keeps at least one finding.")
    latest = latest_version(session, review.id)
    if latest is None:
        raise Invalid("This review has no signed-off version to amend. Ask the secretariat.")
    if latest.number != expected_version:
        raise changed_by_someone_else("this review")
    _apply(session, review, by_id, cleaned)
    new = findings_of(review)
    if new == _load(latest.content):
        raise Invalid("Nothing has changed, so no new version was made.")
    number = latest.number + 1
    session.add(ReviewVersion(review_id=review.id, number=number, kind=VersionKind.AMENDMENT, content=_dump(new),
                              reason=why, created_by_id=actor.user_id, created_at=now))
    flush_or_conflict(session, "this review", duplicates=True)
    first = first_signed_off(session, review.id)
    changed = changes_between(_load(first.content), new) if first else ()
    record_event(session, actor, action="review amended", subject=f"review {review.reference}",
                 description=f"Version {number}: {why} ({len(changed)} change{'s' if len(changed) != 1 else ''} "
                             "against the signed-off text).", at=now)
    return number


def _apply(session: Session, review: FocusedReview, by_id: dict[int, ReviewFinding], texts: dict[int, str]) -> None:
    for finding_id, text in texts.items():
        finding = by_id[finding_id]
        if not text:
            review.findings.remove(finding)
        elif text != finding.text:
            finding.text = text
    session.flush()


def latest_version(session: Session, review_id: int) -> ReviewVersion | None:
    return session.scalars(select(ReviewVersion).where(ReviewVersion.review_id == review_id)
                           .order_by(ReviewVersion.number.desc()).limit(1)).first()


def first_signed_off(session: Session, review_id: int) -> ReviewVersion | None:
    return session.scalars(select(ReviewVersion).where(ReviewVersion.review_id == review_id,
                                                       ReviewVersion.kind == VersionKind.SIGNED_OFF)
                           .order_by(ReviewVersion.number.desc()).limit(1)).first()


def review_versions(*, session: Session, actor: Actor, review_id: int) -> list[VersionRow]:
    """Every version, oldest first, each amendment with its changes against the signed-off text."""
    require(actor, Permission.VIEW_REVIEWS)
    review = load_review(session, actor, review_id)
    rows = session.execute(select(ReviewVersion, User.name).join(User, User.id == ReviewVersion.created_by_id)
                           .where(ReviewVersion.review_id == review.id).order_by(ReviewVersion.number)).all()
    base: tuple[FindingText, ...] = ()
    versions: list[VersionRow] = []
    for version, author in rows:
        content = _load(version.content)
        if version.kind == VersionKind.SIGNED_OFF:
            base = content
        changes = () if version.kind == VersionKind.SIGNED_OFF else changes_between(base, content)
        versions.append(VersionRow(version.number, version.kind, VERSION_KIND_LABELS[version.kind], author,
                                   version.created_at, version.reason, content, changes))
    return versions
