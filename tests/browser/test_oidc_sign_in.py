"""Sign-in with the organisation's account, end to end: a real OpenID Connect provider on this machine
(oidc-provider-mock, whose form lets a test type any subject; its email claim is the subject typed), a real
`streamlit run app.py` with its own secrets.toml pointing at it, and Chromium.

Signing in lands on Home; an email no panel account uses is refused in words; "Log out" ends the session,
and the cookies copied before it, put into a fresh browser, do not sign in. The developer's own
.streamlit/secrets.toml is never read: the server is given the test's file with --secrets.files.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.axe_scan import AxeScanner
from tests.browser.support import (
    ARTIFACTS_DIR,
    SIGN_IN_HEADING,
    VIEWPORT,
    WAIT_MS,
    expect_h1,
    h1,
    save_screenshots,
    wait_ready,
)

pytestmark = pytest.mark.browser

ORGANISATION_BUTTON = "Sign in with your organisation's account"  # components/auth.py
LEAVE_BUTTON = "Sign out of that account"
UNKNOWN = "No panel account uses the email nobody@example.org. Ask the secretariat to add you."
ENDED = "This sign-in with your organisation's account has ended"
IDENTITY_COOKIE = "_streamlit_user"  # Streamlit's identity cookie (starlette_server_config.USER_COOKIE_NAME)
STARTUP_TIMEOUT_S = 30.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_provider(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"oidc-provider-mock exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if json.load(response).get("issuer"):
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
            pass
        time.sleep(0.2)
    pytest.fail(f"oidc-provider-mock did not answer within {STARTUP_TIMEOUT_S:.0f} s")


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The metadata address of a local OpenID Connect provider, run by its own command line (which allows
    plain http on this machine), in its own process group so that it is stopped with everything it started."""
    port = _free_port()
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    log = ARTIFACTS_DIR / "oidc-provider-mock.log"
    with log.open("wb") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
            stdout=stream, stderr=subprocess.STDOUT, start_new_session=True, env={**os.environ, "NO_COLOR": "1"},
        )
        metadata = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
        try:
            _wait_for_provider(metadata, process, log)
            yield metadata
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)


@pytest.fixture(scope="module")
def oidc_server(provider: str, start_server: Callable[..., Any],
                tmp_path_factory: pytest.TempPathFactory) -> str:
    """A server of its own whose secrets.toml sets up [auth] and [auth.icb] for the local provider (the
    layout README.md documents; the local cookie's key still comes from LEDER_COOKIE_KEY)."""
    secrets_file = tmp_path_factory.mktemp("oidc-secrets") / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(48)}"\n\n'
        "[auth.icb]\n"
        'client_id = "leder-panel-test"\n'
        'client_secret = "not-a-real-secret"\n'
        f'server_metadata_url = "{provider}"\n',
        encoding="utf-8",
    )
    server = start_server("oidc", extra_args=["--secrets.files", str(secrets_file)])
    return str(server.base_url)


@pytest.fixture
def fresh_contexts(browser: Browser) -> Iterator[Callable[[], Page]]:
    made: list[BrowserContext] = []

    def new_page() -> Page:
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(WAIT_MS)
        made.append(context)
        return context.new_page()

    yield new_page
    for context in made:
        context.close()


def identity_cookie(page: Page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == IDENTITY_COOKIE), None)


def sign_in_with_provider(page: Page, base: str, email: str) -> None:
    """Press the button, type the subject into the provider's form (its email claim is that subject)."""
    page.goto(f"{base}/")
    expect_h1(page, SIGN_IN_HEADING)
    wait_ready(page)
    page.get_by_role("button", name=ORGANISATION_BUTTON).click()
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()


def end_provider_session(page: Page) -> None:
    """The provider's own sign-out page (the mock asks for a click), then back to the app."""
    page.get_by_role("button", name="End session").click()


def test_signing_in_with_the_organisation_and_logging_out(
    page: Page, oidc_server: str, fresh_contexts: Callable[[], Page]
) -> None:
    sign_in_with_provider(page, oidc_server, "MEMBER@example.org")
    expect_h1(page, "Welcome, Grace Mensah")
    wait_ready(page)
    cookie = identity_cookie(page)
    assert cookie is not None and cookie["httpOnly"] is True
    copied = page.context.cookies()

    page.reload()  # Streamlit's identity cookie brings the person back
    expect_h1(page, "Welcome, Grace Mensah")
    wait_ready(page)

    page.get_by_role("button", name="Log out").click()
    end_provider_session(page)
    expect_h1(page, SIGN_IN_HEADING)
    assert identity_cookie(page) is None

    replay = fresh_contexts()
    replay.context.add_cookies(copied)
    replay.goto(f"{oidc_server}/")
    expect(h1(replay)).to_be_visible(timeout=WAIT_MS)
    wait_ready(replay)
    expect_h1(replay, SIGN_IN_HEADING)
    expect(replay.get_by_text(ENDED)).to_be_visible(timeout=WAIT_MS)
    expect(replay.get_by_text("Welcome, Grace Mensah")).to_have_count(0)


def test_an_unknown_email_is_refused_in_words(page: Page, oidc_server: str, axe_scanner: AxeScanner) -> None:
    sign_in_with_provider(page, oidc_server, "nobody@example.org")
    expect_h1(page, SIGN_IN_HEADING)
    expect(page.get_by_text(UNKNOWN)).to_be_visible(timeout=WAIT_MS)
    wait_ready(page)
    expect(page.get_by_text(UNKNOWN)).to_be_visible()  # still there after the cookie component's rerun
    scan = axe_scanner.scan(page, key="sign-in-organisation-refused", account="nobody", role="none",
                            label="Sign in with the organisation's account, an unknown email refused")
    assert axe_scanner.blocking(scan) == []
    save_screenshots(page, "sign-in-organisation-refused")

    page.get_by_role("button", name=LEAVE_BUTTON).click()
    end_provider_session(page)
    expect_h1(page, SIGN_IN_HEADING)
    wait_ready(page)
    assert identity_cookie(page) is None
    expect(page.get_by_text(UNKNOWN)).to_have_count(0)
    expect(page.get_by_role("button", name=ORGANISATION_BUTTON)).to_be_visible()
