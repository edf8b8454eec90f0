"""The "Decisions by circulation" page through AppTest, signed in as the chair and as members."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_page, sign_in


def _texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.subheader, *at.header, *at.success, *at.warning, *at.error, *at.caption]
    return " ".join(str(p.value) for p in parts)


def test_only_the_chair_is_offered_the_form_to_send_reviews(app_env: str) -> None:
    member = open_page(sign_in("member"), "circulations")
    assert not member.exception
    assert "Nothing is waiting for answers." in _texts(member)
    assert not [b for b in member.button if b.label == "Send for a decision"]
    chair = open_page(sign_in("chair"), "circulations")
    assert "Send reviews for a decision" in _texts(chair)
    assert chair.multiselect[0].label.startswith("Reviews to send")


def test_the_chair_circulates_a_review_and_a_member_answers(app_env: str) -> None:
    chair = open_page(sign_in("chair"), "circulations")
    send = chair.multiselect[0]
    reference = send.options[-1]  # the last review offered
    send.select(reference)
    next(b for b in chair.button if b.label == "Send for a decision").click().run()
    assert not chair.exception
    assert any("Sent to the panel for a decision" in s.value for s in chair.success), _texts(chair)
    assert "Answers by" in _texts(chair)

    lived = open_page(sign_in("lived"), "circulations")
    assert "Open for answers." in _texts(lived)
    assert "Not quorate: 0 voting members responded" in _texts(lived)
    vote = next(r for r in lived.radio if r.label == "Your vote on signing off this review")
    vote.set_value(vote.options[0])
    next(b for b in lived.button if b.label == "Send my vote").click().run()
    assert not lived.exception
    assert any("Your vote is saved" in s.value for s in lived.success), _texts(lived)
    assert "1 voting member responded" in _texts(lived)
