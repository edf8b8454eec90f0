"""AppTest fixtures: app.py against a real seeded SQLite file, signed in the way a person signs in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import manage
from tests.conftest import DEMO_PASSWORD

APP = str(Path(__file__).resolve().parents[2] / "app.py")
COOKIE_KEY = "test-cookie-key-" + "x" * 40


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('apptest') / 'app.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEDER_DEMO_PASSWORD", DEMO_PASSWORD)
        assert manage.run(["init-db"], url=url) == 0
        assert manage.run(["seed-demo"], url=url) == 0
    return url


@pytest.fixture
def app_env(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", seeded_url)
    monkeypatch.setenv("LEDER_COOKIE_KEY", COOKIE_KEY)
    return seeded_url


def fresh_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=30)


def sign_in(username: str, password: str = DEMO_PASSWORD) -> AppTest:
    at = fresh_app().run()
    username_box = next(t for t in at.text_input if t.label == "Username")
    password_box = next(t for t in at.text_input if t.label == "Password")
    username_box.input(username)
    password_box.input(password)
    next(b for b in at.button if b.label == "Login").click()
    at.run()
    at.run()  # in a browser the cookie component triggers this rerun
    return at


def open_page(at: AppTest, url_path: str) -> AppTest:
    """AppTest.switch_page only knows file pages; ours are callables registered by url_path."""
    for page_hash, info in at._registered_pages.items():
        if (info.get("url_pathname") or "home") == url_path:
            at._page_hash = page_hash
            return at.run()
    raise AssertionError(f"page {url_path!r} is not in this user's navigation")


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def nav_paths(at: AppTest) -> list[str]:
    """The pages in this user's menu; addresses they may not use are hidden "Not available" pages."""
    return [(info.get("url_pathname") or "home") for info in at._registered_pages.values()
            if info.get("page_name") != "Not available"]


@pytest.fixture
def signed_in(app_env: str) -> Callable[[str], AppTest]:
    return sign_in
