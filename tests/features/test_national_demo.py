"""The national-scale demo at a small scale: national proportions, the same rows for the same seed, the
small demo untouched inside it, a whole audit chain, no identifiers, and pages' services working on it."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.migrate import upgrade_to_head
from db.models import Action, Decision, FocusedReview, Meeting, Panel, ReviewFinding, User, Vote
from db.session import Database
from features.actions.actions import ActionFilter, count_actions, list_actions
from features.audit.audit import verify_audit_chain
from features.meetings.meetings import list_meetings
from features.people.actors import load_actor
from features.reviews.reviews import list_reviews
from operations.demo import DEMO_USERNAMES, seed_demo
from operations.national_demo import seed_national
from rules.pii import personal_data_warnings
from tests.conftest import BCRYPT_ROUNDS, DEMO_PASSWORD, DEMO_TODAY

SCALE = 0.1  # 4 ICBs (the demo's two and two more), 20 meetings and 48 reviews each


def _counts(db: Database) -> dict[str, int]:
    with db.unit_of_work(read_only=True) as session:
        return {model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
                for model in (Panel, User, FocusedReview, ReviewFinding, Action, Meeting, Vote)}


def _digest(db: Database) -> str:
    """A fingerprint of the generated history: references, finding texts, action texts, dates and votes."""
    with db.unit_of_work(read_only=True) as session:
        rows = [*session.execute(select(FocusedReview.reference, FocusedReview.age_band, FocusedReview.notified_on)
                                 .order_by(FocusedReview.id)),
                *session.execute(select(ReviewFinding.text).order_by(ReviewFinding.id)),
                *session.execute(select(Action.description, Action.due_on, Action.status).order_by(Action.id)),
                *session.execute(select(Vote.poll_id, Vote.member_id, Vote.option_id).order_by(Vote.id))]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[object]:
    """Fresh SQLite databases on demand (two seeds must each start empty)."""
    made: list[Database] = []

    def make(name: str) -> Database:
        url = f"sqlite:///{tmp_path / name}.db"
        upgrade_to_head(url)
        made.append(Database.from_url(url))
        return made[-1]

    yield make
    for db in made:
        db.dispose()


def _seed(db: Database, seed: int = 7) -> None:
    with db.unit_of_work() as session:
        seed_national(session=session, password=DEMO_PASSWORD, today=DEMO_TODAY, seed=seed, scale=SCALE,
                      bcrypt_rounds=BCRYPT_ROUNDS)


def test_the_national_demo_keeps_national_proportions(db: Database) -> None:
    with db.unit_of_work() as session:
        report = seed_national(session=session, password=DEMO_PASSWORD, today=DEMO_TODAY, scale=SCALE,
                               bcrypt_rounds=BCRYPT_ROUNDS)
    counts = _counts(db)
    assert counts["panels"] == report.icbs == 4  # 42 * 0.1
    history_reviews = report.reviews
    assert history_reviews == 4 * round(476 * SCALE)
    assert report.findings == 3 * history_reviews and report.actions == 3 * history_reviews
    assert report.meetings == 4 * round(200 * SCALE)
    with db.unit_of_work(read_only=True) as session:
        new_panel = session.scalar(select(func.max(Panel.id)))
        per_review = session.execute(
            select(func.count(Vote.id)).join(Decision, Decision.poll_id == Vote.poll_id)
            .join(FocusedReview, FocusedReview.id == Decision.review_id)
            .where(FocusedReview.panel_id == new_panel).group_by(Decision.id)).scalars().all()
    assert per_review and set(per_review) == {15}  # fifteen voting members decide every review
    assert counts["votes"] >= report.votes
    with db.unit_of_work(read_only=True) as session:
        assert verify_audit_chain(session).intact


def test_the_same_seed_gives_the_same_rows_and_another_seed_does_not(fresh) -> None:
    first, again, other = fresh("first"), fresh("again"), fresh("other")
    _seed(first)
    _seed(again)
    _seed(other, seed=8)
    assert _digest(first) == _digest(again)
    assert _digest(first) != _digest(other)


def test_the_small_demo_inside_is_unchanged(fresh) -> None:
    small, national = fresh("small"), fresh("national")
    with small.unit_of_work() as session:
        seed_demo(session=session, password=DEMO_PASSWORD, today=DEMO_TODAY, bcrypt_rounds=BCRYPT_ROUNDS)
    _seed(national)

    def upcoming(db: Database) -> list[tuple[object, ...]]:
        with db.unit_of_work(read_only=True) as session:
            actors = [load_actor(session=session, username=u) for u in DEMO_USERNAMES]
            return [(m.title, m.date, m.status) for m in list_meetings(session=session, actor=actors[0])
                    if m.date >= DEMO_TODAY]

    assert upcoming(national) == upcoming(small) != []


def test_history_carries_no_identifiers_and_the_pages_services_read_it(db: Database) -> None:
    _seed(db)
    with db.unit_of_work(read_only=True) as session:
        texts = list(session.scalars(select(ReviewFinding.text))) + list(session.scalars(select(Action.description)))
        references = list(session.scalars(select(FocusedReview.reference)))
        chair = load_actor(session=session, username="chair")
        reviews = list_reviews(session=session, actor=chair, today=DEMO_TODAY)
        actions = list_actions(session=session, actor=chair, today=DEMO_TODAY)
        open_count = count_actions(session=session, actor=chair, today=DEMO_TODAY,
                                   wanted=ActionFilter())
    assert not [t for t in set(texts) if personal_data_warnings({"text": t})]
    assert all(re.fullmatch(r"LDR-\d{4}-\d{4}", r) for r in references)
    assert len(reviews) > 12 and len(actions) > 8  # the chair's own panel grew with the past
    assert 0 < open_count.shown < len(actions) and open_count.overdue > 0
