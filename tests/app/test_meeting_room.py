"""The meeting room page for each role: the chair runs it, others read it, observers see no case detail."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_page


def labels(at: AppTest) -> set[str]:
    return {b.label for b in at.button}


def headers(at: AppTest) -> list[str]:
    return [h.value for h in at.header]


def choose(at: AppTest, label: str, shown_part: str, *, run: bool = True) -> AppTest:
    """Pick a selectbox option by the text people see (options are shown through format_func).

    Inside a form, pass run=False: AppTest, like a browser, sends form values only with the submit.
    """
    box = next(s for s in at.selectbox if s.label == label)
    index = next(i for i, shown in enumerate(box.options) if shown_part in shown)
    box.select_index(index)
    return at.run() if run else at


@pytest.fixture
def room(signed_in: Callable[[str], AppTest]) -> Callable[[str], AppTest]:
    def open_as(username: str) -> AppTest:
        return open_page(signed_in(username), "meeting")
    return open_as


def test_chair_sees_the_controls(room: Callable[[str], AppTest]) -> None:
    at = room("chair")
    assert not at.exception
    assert {"Move the meeting on to: In progress", "Save attendance"} <= labels(at)
    assert headers(at)[:2] == ["Attendance", "Agenda"]
    assert any("Not quorate" in w.value for w in at.warning)


@pytest.mark.parametrize("username", ["member", "lived", "emlead", "reviewer", "observer"])
def test_other_roles_read_without_controls(room: Callable[[str], AppTest], username: str) -> None:
    at = room(username)
    assert not at.exception
    assert not {"Move the meeting on to: In progress", "Save attendance", "Ready for the vote"} & labels(at)
    assert "Attendance" in headers(at) and "Agenda" in headers(at)


def test_chair_runs_an_item_to_ready_for_vote(room: Callable[[str], AppTest]) -> None:
    at = room("chair")
    next(b for b in at.button if b.label == "Move the meeting on to: In progress").click()
    at.run()
    assert any("The meeting is now: In progress" in s.value for s in at.success)
    for name in ("Priya Shah", "Tom Reilly", "Grace Mensah", "Sam Taylor", "Farah Qureshi"):
        label = next(s.label for s in at.selectbox if s.label.startswith(f"{name} ("))
        choose(at, label, "Present in the room", run=False)
    next(b for b in at.button if b.label == "Save attendance").click()
    at.run()
    assert any("Attendance saved (5 changes)" in s.value for s in at.success)
    assert any("Quorate: yes (5 voting members present)" in s.value for s in at.success)
    assert any("Quorate: yes (5 voting members present), including the chair, a lived-experience member and the "
               "ethnic minority lead." in s.value
               for s in at.success)
    choose(at, "Agenda item to look at", "Focused review LDR-")
    next(b for b in at.button if b.label == "Make this the current item").click()
    at.run()
    assert any(h.startswith("Item 4: Focused review") for h in headers(at))
    assert [s.value for s in at.subheader][:2] == ["Declarations of interest", "Summary"]
    next(b for b in at.button if b.label == "Ready for the vote").click()
    at.run()
    assert not at.exception
    # The demo's first upcoming review is flagged for the ethnic minority lead, who has not commented yet.
    assert any("Waiting for the ethnic minority lead" in e.value for e in at.error)


def test_observer_sees_no_case_detail(room: Callable[[str], AppTest]) -> None:
    at = choose(room("observer"), "Agenda item to look at", "Focused review LDR-")
    assert not at.exception
    subheaders = [s.value for s in at.subheader]
    assert "Summary" not in subheaders and "What members said" not in subheaders
    assert any("Quorum for this item" in box.value for box in [*at.warning, *at.success])


def test_chair_opens_a_vote_member_votes_chair_closes(room: Callable[[str], AppTest], app_env: str) -> None:
    """The module shares one database, so each step tolerates what earlier tests already did."""
    chair = room("chair")
    if "Move the meeting on to: In progress" in labels(chair):
        next(b for b in chair.button if b.label == "Move the meeting on to: In progress").click()
        chair.run()
    for name in ("Priya Shah", "Tom Reilly", "Grace Mensah", "Sam Taylor", "Farah Qureshi"):
        label = next(s.label for s in chair.selectbox if s.label.startswith(f"{name} ("))
        choose(chair, label, "Present in the room", run=False)
    next(b for b in chair.button if b.label == "Save attendance").click()
    chair.run()
    choose(chair, "Agenda item to look at", "5. Focused review")
    if "Make this the current item" in labels(chair):
        next(b for b in chair.button if b.label == "Make this the current item").click()
        chair.run()
    next(b for b in chair.button if b.label == "Ready for the vote").click()
    chair.run()
    next(b for b in chair.button if b.label == "Open the vote").click()
    chair.run()
    assert any("The named vote is open." in s.value for s in chair.success)
    assert any("0 of 5 eligible members have voted" in m.value for m in chair.info)

    member = choose(room("member"), "Agenda item to look at", "5. Focused review")
    next(b for b in member.button if b.label == "Send my vote").click()
    member.run()
    assert any("Choose one answer" in e.value for e in member.error)  # nothing chosen: said in words
    vote = next(r for r in member.radio if r.label == "Your vote on signing off this review")
    vote.set_value("Sign off")  # AppTest maps the label people see to the option behind it
    next(b for b in member.button if b.label == "Send my vote").click()
    member.run()
    assert not member.exception
    assert any("Your vote is saved: Sign off." in s.value for s in member.success)

    chair.run()
    next(b for b in chair.button if b.label == "Close the vote").click()
    chair.run()
    assert any("The named vote is closed." in m.value for m in chair.markdown)
    assert "Grace Mensah" in " ".join(str(t.value) for t in chair.table)

    decision = next(r for r in chair.radio if r.label == "The panel's decision")
    decision.set_value("Returned to the reviewer")
    next(b for b in chair.button if b.label == "Record the decision").click()
    chair.run()
    assert any("Give the panel's reasons for 'Returned to the reviewer'" in e.value for e in chair.error)
    decision = next(r for r in chair.radio if r.label == "The panel's decision")
    decision.set_value("Signed off")
    next(b for b in chair.button if b.label == "Record the decision").click()
    chair.run()
    assert not chair.exception
    assert any("Decision recorded: Signed off." in s.value for s in chair.success)
    assert any("Decision: Signed off. The review's findings are locked." in s.value for s in chair.success)
    assert "Record the decision" not in labels(chair)

