"""Browser fixtures: a seeded SQLite database, a real `streamlit run app.py` server and one Chromium.

`server` is shared by the browser tests. `fresh_server` starts a private server per test: the
anonymous-access test uses it so that its first request reaches a server on which no session has yet
called st.navigation (the state in which Streamlit's old pages/ auto-discovery could serve a page
directly).
Server logs go to test-artifacts/server-*.log; a failing test leaves a screenshot in
test-artifacts/failures/.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from tests.browser.axe_scan import AxeScanner
from tests.browser.support import (
    ARTIFACTS_DIR,
    DEMO_PASSWORD,
    REPO_ROOT,
    VIEWPORT,
    WAIT_MS,
    WELCOME,
    h1,
    sign_in,
    wait_idle,
)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
STARTUP_TIMEOUT_S = 60.0
RESTORE_TIMEOUT_MS = 8_000
AXE_SUMMARY_PATH = ARTIFACTS_DIR / "axe-summary.json"


def chromium_path() -> str | None:
    found = shutil.which("chromium") or "/usr/bin/chromium"
    return found if Path(found).exists() else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _log_tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path


def _prepare_database(env: dict[str, str]) -> None:
    for command in (["init-db"], ["seed-demo"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=REPO_ROOT, env=env,
            capture_output=True, text=True, timeout=120, check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"manage.py {command[0]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")


def _wait_for_health(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    url = f"{server.base_url}/_stcore/health"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"streamlit exited with {server.process.returncode}:\n{_log_tail(server.log_path)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    _stop(server)
    pytest.fail(f"streamlit was not healthy within {STARTUP_TIMEOUT_S:.0f} s:\n{_log_tail(server.log_path)}")


def _stop(server: Server) -> None:
    """End the server's own process group (it was started in a new session), politely first."""
    if server.process.poll() is not None:
        return
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)
    except ProcessLookupError:
        pass


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120]


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (no `chromium` on PATH, no /usr/bin/chromium): "
                    "install the Debian/Ubuntu `chromium` package to run the browser tests")
    return path


@pytest.fixture(scope="session")
def start_server(
    tmp_path_factory: pytest.TempPathFactory, chromium_executable: str
) -> Iterator[Callable[..., Server]]:
    """start_server(name) -> a running, healthy server on its own seeded SQLite file; all stopped at the end.

    extra_args go to `streamlit run` (say, `--secrets.files` for a test's own secrets), extra_env to its
    environment."""
    started: list[tuple[Server, object]] = []
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)

    def start(name: str, *, extra_args: Sequence[str] = (), extra_env: Mapping[str, str] | None = None) -> Server:
        workdir = tmp_path_factory.mktemp(f"server-{name}")
        env = os.environ.copy()
        env.update(
            DATABASE_URL=f"sqlite:///{workdir / 'leder.db'}",
            LEDER_COOKIE_KEY=secrets.token_urlsafe(48),
            LEDER_DEMO_PASSWORD=DEMO_PASSWORD,
            PYTHONUNBUFFERED="1",
        )
        env.update(extra_env or {})
        _prepare_database(env)
        port = _free_port()
        log_path = ARTIFACTS_DIR / f"server-{_safe_name(name)}.log"
        log_file = log_path.open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py",
             "--server.port", str(port), "--server.headless", "true", *extra_args],
            cwd=REPO_ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        server = Server(f"http://127.0.0.1:{port}", process, log_path)
        started.append((server, log_file))
        _wait_for_health(server)
        return server

    yield start
    for server, log_file in started:
        _stop(server)
        log_file.close()


@pytest.fixture(scope="session")
def server(start_server: Callable[[str], Server]) -> str:
    """Base URL of the shared server (seeded demo data) that the normal browser tests use."""
    return start_server("shared").base_url


@pytest.fixture
def fresh_server(start_server: Callable[[str], Server], request: pytest.FixtureRequest) -> str:
    """Base URL of a brand-new server (own freshly seeded database) that no browser has talked to yet.

    The anonymous-access test needs its first request to be the server's first; tests that change data
    can use it to stay out of the shared server's way. Each use costs a server start (a few seconds).
    """
    return start_server(f"fresh-{request.node.name}").base_url


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright, chromium_executable: str) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _new_context(browser: Browser, storage_state: dict | None = None) -> BrowserContext:
    context = browser.new_context(viewport=VIEWPORT, storage_state=storage_state)
    context.set_default_timeout(WAIT_MS)
    context.set_default_navigation_timeout(WAIT_MS)
    return context


def _screenshot_on_failure(request: pytest.FixtureRequest, page: Page) -> None:
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed or page.is_closed():
        return
    failures = ARTIFACTS_DIR / "failures"
    failures.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=failures / f"{_safe_name(request.node.nodeid)}.png", full_page=True)
    except Exception as error:  # noqa: BLE001 - a failed screenshot must not hide the real failure
        print(f"could not save a failure screenshot: {error}")


@pytest.fixture(scope="session", autouse=True)
def _clear_old_failure_screenshots() -> None:
    shutil.rmtree(ARTIFACTS_DIR / "failures", ignore_errors=True)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A new browser context (no cookies) per test."""
    context = _new_context(browser)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    page = context.new_page()
    yield page
    _screenshot_on_failure(request, page)


@pytest.fixture(scope="session")
def axe_scanner() -> Iterator[AxeScanner]:
    """Every axe scan of the session; all findings go to test-artifacts/axe-summary.json at the end."""
    scanner = AxeScanner()
    yield scanner
    if scanner.scans:
        scanner.write_summary(AXE_SUMMARY_PATH)


@pytest.fixture(scope="session")
def signed_in_states() -> dict[str, dict]:
    """username -> Playwright storage state (the auth cookie) of a browser that signed in on `server`."""
    return {}


@pytest.fixture
def page_as(
    browser: Browser, server: str, signed_in_states: dict[str, dict], request: pytest.FixtureRequest
) -> Iterator[Callable[[str], Page]]:
    """page_as(username) -> a page on Home in its own context, signed in as that person on `server`.

    Reuses the cookie of an earlier sign-in through the form when there is one (the navigation tests
    sign in for real); otherwise signs in through the form now.
    """
    pages: list[Page] = []

    def open_as(username: str) -> Page:
        state = signed_in_states.get(username)
        page = _new_context(browser, state).new_page()
        pages.append(page)
        if state is not None:
            page.goto(f"{server}/")
            try:
                expect(h1(page)).to_have_text(WELCOME, timeout=RESTORE_TIMEOUT_MS)
                wait_idle(page)
                return page
            except AssertionError:
                pass  # the cookie no longer signs in (e.g. revoked by Log out): sign in again
        sign_in(page, server, username)
        signed_in_states[username] = page.context.storage_state()
        return page

    yield open_as
    for page in pages:
        _screenshot_on_failure(request, page)
        page.context.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the accessibility tests last: they reuse the scans and sign-ins of the navigation tour."""
    here = Path(__file__).resolve().parent
    last = [i for i in items if i.path.name == "test_accessibility.py" and i.path.resolve().parent == here]
    if last:
        items[:] = [i for i in items if i not in last] + last
