"""Sign-in and role-based navigation through Streamlit's AppTest, on app.py itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from db.models import User
from db.session import Database
from tests.app.conftest import fresh_app, nav_paths, open_page, sign_in, titles

MEMBER_PAGES = ["home", "my-meeting", "meeting", "meetings", "circulations", "minutes", "reviews", "actions",
                "insight", "interests"]
STAFF_PAGES = ["home", "meeting", "meetings", "circulations", "minutes", "reviews", "actions", "insight",
               "interests"]
EXPECTED_PAGES = {
    "chair": [*MEMBER_PAGES, "em-lead", "audit", "reading", "accessibility"],
    "vicechair": [*MEMBER_PAGES, "em-lead", "audit", "reading", "accessibility"],
    "member": [*MEMBER_PAGES, "reading", "accessibility"],
    "lived": [*MEMBER_PAGES, "reading", "accessibility"],
    "emlead": [*MEMBER_PAGES, "em-lead", "reading", "accessibility"],
    "reviewer": [*STAFF_PAGES, "reading", "accessibility"],
    "admin": [*STAFF_PAGES[:7], "import", *STAFF_PAGES[7:], "people", "settings", "em-lead", "audit", "reading",
              "accessibility"],
    "observer": ["home", "meeting", "meetings", "circulations", "minutes", "interests", "reading", "accessibility"],
}
TITLES = {"meeting": "Meeting room", "meetings": "Meetings", "reviews": "Focused reviews", "actions": "Actions",
          "insight": "Insight",
          "interests": "Register of interests", "people": "People and roles", "settings": "Panel settings",
          "audit": "Audit log", "my-meeting": "My meeting", "em-lead": "Ethnic minority lead",
          "reading": "My reading settings", "accessibility": "Accessibility", "minutes": "Minutes",
          "circulations": "Decisions by circulation", "import": "Import reviews"}


def test_anonymous_visitor_sees_only_the_sign_in_form(app_env: str) -> None:
    at = fresh_app().run()
    assert not at.exception
    assert titles(at) == ["LeDeR governance panel"]
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    assert [b.label for b in at.button] == ["Login"]
    assert {info.get("page_name") for info in at._registered_pages.values()} == {"Sign in"}


def test_wrong_password_is_explained_and_nothing_opens(app_env: str) -> None:
    at = sign_in("chair", "not-the-password-at-all")
    assert not at.exception
    assert any("username or password is not right" in e.value for e in at.error)
    assert titles(at) == ["LeDeR governance panel"]


@pytest.mark.parametrize("username", list(EXPECTED_PAGES))
def test_each_role_sees_exactly_its_pages(app_env: str, username: str) -> None:
    at = sign_in(username)
    assert not at.exception
    assert titles(at)[0].startswith("Welcome, ")
    assert nav_paths(at) == EXPECTED_PAGES[username]
    for path in EXPECTED_PAGES[username][1:]:
        open_page(at, path)
        assert not at.exception, (username, path)
        assert titles(at) == [TITLES[path]]


def test_a_page_outside_your_role_says_so_and_shows_nothing(app_env: str) -> None:
    at = sign_in("lived")
    hidden = next(h for h, info in at._registered_pages.items() if info.get("url_pathname") == "people")
    at._page_hash = hidden
    at.run()
    assert not at.exception
    assert titles(at) == ["Not available"]
    assert not at.table and not at.text_input


def test_tenancy_south_secretariat_sees_only_south_people(app_env: str) -> None:
    at = open_page(sign_in("southadmin"), "people")
    names = " ".join(str(t.value) for t in at.table)
    assert "southchair" in names and "southadmin" in names
    assert "Priya Shah" not in names


def test_log_out_returns_to_the_sign_in_form(app_env: str) -> None:
    at = sign_in("member")
    next(b for b in at.button if b.label == "Log out").click()
    at.run()
    assert not at.exception
    assert any("You have logged out" in i.value for i in at.info)
    at.run()  # in a browser the cookie component's own rerun does this
    assert titles(at) == ["LeDeR governance panel"]


def test_account_switched_off_mid_session_is_signed_out(app_env: str) -> None:
    at = sign_in("lived2")
    database = Database.from_url(app_env)
    try:
        with database.unit_of_work() as session:
            session.execute(update(User).where(User.username == "lived2").values(is_active=False))
        at.run()
        assert titles(at) == ["LeDeR governance panel"]
    finally:
        with database.unit_of_work() as session:
            session.execute(update(User).where(User.username == "lived2").values(is_active=True))
        database.dispose()


def test_missing_cookie_key_stops_the_app_with_a_reason(
    app_env: str, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    monkeypatch.delenv("LEDER_COOKIE_KEY")
    at = fresh_app()
    at.secrets["auth"] = {"cookie_key": ""}
    at.run()
    assert not at.exception
    assert any("No cookie key is set" in e.value for e in at.error)
    assert not at.text_input


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("LEDER_IDLE_MINUTES", "ten", "LEDER_IDLE_MINUTES must be a whole number of minutes from 1 to 1440"),
    ("DATABASE_URL", "not-a-database-url", "DATABASE_URL is not a database address this app can use"),
    ("DATABASE_URL", "sqlite:///{folder}", "DATABASE_URL points at a database that cannot be reached"),
])
def test_a_bad_setting_stops_the_app_with_a_reason_not_a_traceback(
    app_env: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value.format(folder=tmp_path))
    at = fresh_app()
    at.run()
    assert not at.exception
    assert [e.value for e in at.error if message in e.value]
    assert not at.text_input


def test_people_page_adds_a_person_and_keeps_input_on_error(signed_in: Callable[[str], AppTest]) -> None:
    at = open_page(signed_in("admin"), "people")
    fields = {t.label: t for t in at.text_input}
    fields["Username"].input("newmember")
    fields["Full name"].input("Nia Roberts")
    fields["Email address"].input("not-an-email")
    at.multiselect[0].set_value(["panel_member"])
    next(b for b in at.button if b.label == "Add this person").click()
    at.run()
    assert any("Enter an email address" in e.value for e in at.error)
    assert {t.label: t.value for t in at.text_input}["Full name"] == "Nia Roberts"  # nothing lost
    next(t for t in at.text_input if t.label == "Email address").input("nia@example.org")
    next(b for b in at.button if b.label == "Add this person").click()
    at.run()
    assert not at.exception
    assert any("Added Nia Roberts as newmember" in s.value for s in at.success)
    assert "newmember" in " ".join(str(t.value) for t in at.table)
