"""The insight page on the demo: figures with a table beside every chart, Easy Read first for a
lived-experience member, and a year with nothing to show said in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from db.session import Database
from features.insight.use_cases import insight
from features.people.actors import load_actor
from tests.app.conftest import open_page


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_chair_sees_the_year_in_figures_and_tables(signed_in: Callable[[str], AppTest]) -> None:
    at = open_page(signed_in("chair"), "insight")
    assert not at.exception
    assert [t.value for t in at.title] == ["Insight"]
    text = _markdown(at)
    assert "reviews received;" in text and "actions are overdue today" in text
    assert "**Table: reviews received, signed off and signed off in time, by quarter**" in text
    assert [s.value for s in at.subheader][:2] == ["Reviews by quarter", "Themes in the reviews signed off"]
    assert len(at.get("vega_lite_chart")) >= 2  # the quarters and the actions by status, at least
    assert "Local action plan" in [h.value for h in at.header]
    assert any(m.value.startswith("**Table: ") and "learning, action and outcome" in m.value for m in at.markdown)


def test_a_lived_experience_member_reads_the_year_in_easy_read(signed_in: Callable[[str], AppTest]) -> None:
    at = open_page(signed_in("lived"), "insight")
    assert not at.exception
    assert "This year in Easy Read" in [s.value for s in at.subheader]
    assert any(m.value.startswith("We looked at **") for m in at.markdown)


def test_a_year_with_nothing_to_show_is_said_in_words(app_env: str) -> None:
    database = Database.from_url(app_env)
    try:
        with database.unit_of_work(read_only=True) as session:
            chair = load_actor(session=session, username="chair")
        future = insight(database, actor=chair, year=dt.date.today().year + 2)
        past = insight(database, actor=chair, year=2001)
    finally:
        database.dispose()
    assert future.figures is None and "it has not started yet" in (future.nothing_to_show or "")
    assert past.figures is None and "records begin on" in (past.nothing_to_show or "")


def test_dates_chosen_instead_of_a_year(signed_in: Callable[[str], AppTest]) -> None:
    at = open_page(signed_in("chair"), "insight")
    at.radio(key="insight_period").set_value("range").run()
    assert not at.exception
    today = dt.date.today()
    at.date_input(key="insight_from").set_value(today - dt.timedelta(days=90)).run()
    assert not at.exception
    brief = [h.value for h in at.header if h.value.endswith(" in brief")]
    assert brief and not brief[0].startswith("The year") and str(today.year) in brief[0]


def test_a_priority_narrows_the_actions_and_the_plan(signed_in: Callable[[str], AppTest]) -> None:
    at = open_page(signed_in("chair"), "insight")
    plan_titles = [s.value for s in at.subheader if s.value.startswith(("Fewer", "Reasonable", "Fair"))]
    assert len(plan_titles) == 3  # the demo's three priorities
    box = at.selectbox(key="insight_priority")
    box.set_value(box.options and next(o for o in box.options if o != "All priorities")).run()
    assert not at.exception
    assert any(m.value.startswith("Showing only actions serving the priority") for m in at.markdown)
    assert len([s.value for s in at.subheader if s.value.startswith(("Fewer", "Reasonable", "Fair"))]) == 1


def test_the_report_pack_is_prepared_on_request(signed_in: Callable[[str], AppTest]) -> None:
    at = open_page(signed_in("admin"), "insight")
    assert not at.get("download_button")  # built only when asked
    next(b for b in at.button if b.label == "Prepare the annual report").click().run(timeout=60)
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download the annual report (Word)", "Download the figures (CSV)"]
