"""Years of an ICB's records: the action tracker and the review list come fifty rows at a time, with a
list box that says which rows each page holds, and the counts still cover everything."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

import manage
from db.models import Action, FocusedReview
from db.session import Database
from rules.vocabulary import ActionStatus
from tests.app.conftest import open_page
from tests.conftest import DEMO_PASSWORD

EXTRA = 70


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo, plus seventy more reviews and seventy more open actions in the north panel."""
    url = f"sqlite:///{tmp_path_factory.mktemp('long') / 'app.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEDER_DEMO_PASSWORD", DEMO_PASSWORD)
        assert manage.run(["init-db"], url=url) == 0
        assert manage.run(["seed-demo"], url=url) == 0
    db = Database.from_url(url)
    with db.unit_of_work() as session:
        model = session.scalars(select(FocusedReview).order_by(FocusedReview.id)).first()
        assert model is not None
        for n in range(EXTRA):
            review = FocusedReview(panel_id=model.panel_id, reference=f"LDR-2020-{n:04d}", summary="Fictional.",
                                   age_band="45-54", setting_type=model.setting_type, ethnic_minority=False,
                                   notified_on=dt.date(2020, 1, 6), status=model.status)
            session.add(review)
            session.flush()
            session.add(Action(panel_id=model.panel_id, review_id=review.id, description=f"Fictional action {n}",
                               owner_name="Owner", owner_organisation="Trust", measure="Audit",
                               due_on=dt.date(2030, 1, 1), status=ActionStatus.NOT_STARTED))
    db.dispose()
    return url


def _rows(at: AppTest, column: str) -> list[str]:
    return [value for table in at.table for value in table.value[column]]


def _action_rows(at: AppTest) -> list[tuple[str, ...]]:
    """Review, action and due date: the demo has the same action agreed on more than one review."""
    columns = ["Review", "Action", "Due"]
    return [tuple(row) for table in at.table for row in table.value[columns].itertuples(index=False)]


def test_the_action_tracker_shows_fifty_at_a_time_and_counts_them_all(signed_in: Callable[[str], AppTest]) -> None:
    at = open_page(signed_in("chair"), "actions")
    assert not at.exception
    shown = next(m.value for m in at.markdown if "actions shown" in m.value)
    total = int(shown.split()[0])
    assert total > 50
    pages = next(s for s in at.selectbox if s.label == "Which actions to show")
    assert pages.options[0] == "Page 1 of 2: actions 1 to 50"
    first = _action_rows(at)
    assert len(first) == len(set(first)) == 50
    pages.set_value(2).run()
    second = _action_rows(at)
    assert len(second) == total - 50 and not set(first) & set(second)


def test_the_review_list_pages_newest_first(signed_in: Callable[[str], AppTest]) -> None:
    at = open_page(signed_in("chair"), "reviews")
    assert not at.exception
    first = _rows(at, "Reference")
    assert len(first) == 50 and first == sorted(first, reverse=True)
    assert not any(r.startswith("LDR-2020-") for r in first[:5])  # this year's reviews come first
    next(s for s in at.selectbox if s.label == "Which reviews to show").set_value(2).run()
    assert all(r.startswith("LDR-2020-") for r in _rows(at, "Reference"))
