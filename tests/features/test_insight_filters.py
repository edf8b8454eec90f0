"""The insight filters on the hand-counted panel of test_insight_figures.py (its counts are in that file's
docstring). Which reviews carry which theme there:
  theme A: R1 (learning, concern) and R2 (learning); theme B: R1 and R3; theme C: R2 (good practice) and R7.
  Every action (X1 to X6) belongs to R1; 'Health checks' is the priority of X1, X2 and X4.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.models import StrategicPriority, Theme
from db.session import Database
from features.insight.figures import Count, Figures, Filters, figures
from features.insight.use_cases import insight, insight_choices, local_action_plan
from features.panel_settings.panels import create_panel
from features.people.actors import load_actor
from features.people.users import create_user_in_panel
from rules.periods import Period, date_range, financial_year
from rules.vocabulary import Role
from tests.features import test_insight_figures as hand_counted
from tests.features.test_insight_figures import TODAY, Built

panel = hand_counted.panel  # the hand-counted panel, as a fixture of this module too
D = dt.date


def _theme_id(db: Database, built: Built, letter: str) -> int:
    name = built.themes["ABC".index(letter)]
    with db.unit_of_work(read_only=True) as session:
        found = session.scalar(select(Theme.id).where(Theme.panel_id == built.chair.panel_id, Theme.name == name))
    assert found is not None
    return found


def _priority_id(db: Database, built: Built) -> int:
    with db.unit_of_work(read_only=True) as session:
        found = session.scalar(select(StrategicPriority.id).where(StrategicPriority.panel_id == built.chair.panel_id,
                                                                  StrategicPriority.title == "Health checks"))
    assert found is not None
    return found


def _figures(db: Database, built: Built, filters: Filters, period: Period | None = None) -> Figures:
    with db.unit_of_work(read_only=True) as session:
        return figures(session=session, actor=built.chair, period=period or financial_year(2026), today=TODAY,
                       filters=filters)


def test_a_theme_narrows_the_reviews_to_those_tagged_with_it(db: Database, panel: Built) -> None:
    """Theme A: R1 (Apr, signed off Jun in time) and R2 (May, signed off Dec in time); R3, R4, R5, R7 drop out,
    R5's past clock with them. R1 is flagged with the lead's view."""
    found = _figures(db, panel, Filters(theme_id=_theme_id(db, panel, "A")))
    assert [(q.received, q.signed_off, q.signed_off_in_time) for q in found.quarters] == [
        (2, 1, 1), (0, 0, 0), (0, 1, 1), (0, 0, 0)]
    assert found.past_clock_now == 0
    assert (found.flagged_received, found.flagged_with_lead_view) == (1, 1)
    assert found.actions_by_status == (Count("Not started", 1), Count("In progress", 1), Count("Completed", 2),
                                       Count("Closed by the panel", 0))  # every action is R1's


def test_a_theme_whose_reviews_have_no_actions_shows_none(db: Database, panel: Built) -> None:
    """Theme C: R2 (received May, signed off Dec) and R7 (received Oct, returned); neither has an action."""
    found = _figures(db, panel, Filters(theme_id=_theme_id(db, panel, "C")))
    assert [(q.received, q.signed_off) for q in found.quarters] == [(1, 0), (0, 0), (1, 1), (0, 0)]
    assert sum(c.count for c in found.actions_by_status) == 0 and found.overdue_now == 0
    assert (found.flagged_received, found.flagged_with_lead_view) == (1, 0)


def test_a_priority_narrows_the_actions_only(db: Database, panel: Built) -> None:
    """Health checks: X1 (completed in time), X2 (completed late), X4 (not started, due Feb 2027): none overdue.
    The review figures are those of the whole panel."""
    found = _figures(db, panel, Filters(priority_id=_priority_id(db, panel)))
    assert found.actions_by_status == (Count("Not started", 1), Count("In progress", 0), Count("Completed", 2),
                                       Count("Closed by the panel", 0))
    assert found.actions_by_priority == (Count("Health checks", 3),)
    assert found.overdue_now == 0 and (found.completed_in_time, found.completed) == (1, 2)
    assert (found.received, found.signed_off) == (4, 3)


def test_a_range_of_dates_counts_only_its_days(db: Database, panel: Built) -> None:
    """1 May to 31 Aug 2026: received R2 (20 May) and R4 (1 Jul); signed off R1 (1 Jun) and R3 (10 Aug, late)."""
    period = date_range(D(2026, 5, 1), D(2026, 8, 31), today=TODAY, records_begin=D(2026, 1, 15))
    found = _figures(db, panel, Filters(), period)
    assert [q.short for q in found.quarters] == ["May to Jun 2026", "Jul to Aug 2026"]
    assert [(q.received, q.signed_off, q.signed_off_in_time) for q in found.quarters] == [(1, 1, 1), (1, 1, 0)]


def test_a_filter_that_matches_nothing_is_said_in_words(db: Database, panel: Built) -> None:
    """Theme C in 2025/26: R2 and R7 were both notified in 2026/27, and nothing else is tagged C."""
    view = insight(db, actor=panel.chair, year=2025, filters=Filters(theme_id=_theme_id(db, panel, "C")),
                   today=TODAY)
    assert view.figures is None
    assert view.nothing_to_show == ("There is nothing to show for the financial year 2025/26 with the theme or "
                                    "priority chosen: no reviews were received or signed off and no actions were "
                                    "agreed.")


def test_the_page_says_what_the_figures_are_narrowed_to(db: Database, panel: Built) -> None:
    view = insight(db, actor=panel.chair, year=2026, filters=Filters(priority_id=_priority_id(db, panel)),
                   today=TODAY)
    assert view.narrowed_to == "Showing only actions serving the priority 'Health checks'."


def test_another_panels_theme_is_refused(db: Database, panel: Built) -> None:
    with db.unit_of_work() as session:
        other = create_panel(session=session, icb_code="QYY", icb_name="Otherby ICB (fictional)",
                             panel_name="Otherby LeDeR Panel")
        create_user_in_panel(session=session, panel_id=other.id, username="ochair", name="Other Chair",
                             email="ochair@example.org", roles=[Role.CHAIR], password_hash="x")
    with db.unit_of_work(read_only=True) as session:
        outsider = load_actor(session=session, username="ochair")
    view = insight(db, actor=outsider, year=2026, filters=Filters(theme_id=_theme_id(db, panel, "A")), today=TODAY)
    assert view.figures is None
    assert view.nothing_to_show == "That theme is not one of this panel's. Choose another."


def test_the_choices_offer_the_years_with_records_and_the_panels_themes_and_priorities(db: Database,
                                                                                      panel: Built) -> None:
    """The first review (R3) was notified on 15 Jan 2026: financial years 2025/26 and 2026/27, calendar 2026."""
    choices = insight_choices(db, actor=panel.chair, today=TODAY)
    assert choices.financial_years == [2026, 2025] and choices.calendar_years == [2026]
    assert choices.records_begin == D(2026, 1, 15)
    assert set(panel.themes) <= set(choices.themes.values())
    assert list(choices.priorities.values()) == ["Health checks"]


@pytest.mark.parametrize("narrowed", [True, False])
def test_the_local_action_plan_follows_the_priority_chosen(db: Database, panel: Built, narrowed: bool) -> None:
    with db.unit_of_work() as session:
        session.add(StrategicPriority(panel_id=panel.chair.panel_id, title="Annual health checks",
                                      plan_start=D(2026, 4, 1), plan_end=D(2029, 3, 31)))
    chosen = _priority_id(db, panel) if narrowed else None
    plans = local_action_plan(db, actor=panel.chair, priority_id=chosen)
    assert [p.title for p in plans] == (["Health checks"] if narrowed else ["Health checks", "Annual health checks"])
