"""The SMART builder and tracker through AppTest: letters checked after each edit, saved only when SMART
(or as a draft), and overdue actions waiting on the next meeting's action log item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_page
from tests.app.test_meeting_room import choose


def _letters(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "**S, Specific:**" in m.value)


def test_a_chair_builds_a_smart_action_letter_by_letter(signed_in: Callable[[str], AppTest]) -> None:
    at = open_page(signed_in("chair"), "actions")
    choose(at, "Review the action comes from", "0109")
    assert _letters(at).count("fix me") == 5
    save = next(b for b in at.button if b.label == "Save the action")
    assert save.disabled
    next(t for t in at.text_area if t.label.startswith("What will be done")).input(
        "Raise awareness of medicine reviews").run()
    assert "'raise awareness' is vague" in _letters(at)
    next(t for t in at.text_area if t.label.startswith("What will be done")).input(
        "Audit psychotropic medicine reviews for everyone in the 12 supported-living homes").run()
    choose(at, "The learning or concern it answers", "Area of concern")
    next(t for t in at.text_input if t.label.startswith("Owner (")).input("Practice pharmacist lead").run()
    next(t for t in at.text_input if t.label == "Owner's organisation").input("Northshire PCN (fictional)").run()
    next(r for r in at.radio if r.label == "Has the owner agreed?").set_value("Yes").run()
    next(t for t in at.text_area if t.label.startswith("How will we know")).input(
        "Audit report: 100% of people reviewed in line with STOMP").run()
    next(d for d in at.date_input if d.label == "Due date").set_value(dt.date.today() + dt.timedelta(days=120)).run()
    assert "fix me" not in _letters(at)
    next(b for b in at.button if b.label == "Save the action").click().run()
    assert not at.exception
    assert any("The action is saved." in s.value for s in at.success)
    assert any(a.startswith("Audit psychotropic medicine reviews") for t in at.table for a in t.value["Action"])


def test_overdue_actions_wait_on_the_next_meetings_action_log(signed_in: Callable[[str], AppTest]) -> None:
    at = choose(open_page(signed_in("chair"), "meeting"), "Agenda item to look at", "3. Minutes")
    assert not at.exception
    assert "Overdue actions brought back to the panel" in [s.value for s in at.subheader]
    statuses = [s for t in at.table for s in t.value["Status"]]
    assert statuses.count("In progress (overdue)") + statuses.count("Not started (overdue)") == 2
