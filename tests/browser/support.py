"""Shared constants and helpers for the browser tests: who sees which page, signing in, screenshots.

Kept out of conftest.py so test modules can import them by name (`from tests.browser.support import ...`).
"""

from __future__ import annotations

import ast
import contextlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from db.models import Role
from services.permissions import ALLOWED_ROLES, Permission

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"  # git-ignored
SCREENSHOT_DIR = ARTIFACTS_DIR / "screenshots"

DEMO_PASSWORD = "correct-horse-battery-staple"
WAIT_MS = 20_000
VIEWPORT = {"width": 1280, "height": 900}
MOBILE_BREAKPOINT = 640
AUTH_COOKIE = "leder_panel_auth"  # components/auth.py COOKIE_NAME
COOKIE_COMPONENT_TITLE = "extra_streamlit_components.CookieManager.cookie_manager"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'

SIGN_IN_HEADING = "LeDeR governance panel"
BAD_LOGIN_MESSAGE = "The username or password is not right"
WELCOME = re.compile(r"^Welcome, ")
NORTH_REF = re.compile(r"LDR-\d{4}-01\d\d")
SOUTH_REF = re.compile(r"LDR-\d{4}-02\d\d")
ANY_REF = re.compile(r"LDR-\d{4}-\d{4}")


@dataclass(frozen=True)
class AppPage:
    url_path: str
    title: str
    permission: Permission

    @property
    def heading(self) -> str | re.Pattern[str]:
        """What the page's h1 says: Home greets the person by name, every other page repeats its title."""
        return WELCOME if self.url_path == "home" else self.title


_PAGE_SPEC_FIELDS = ("render", "title", "url_path", "icon", "permission")


def _read_page_registry() -> tuple[AppPage, ...]:
    """The PageSpec(...) entries of app.py, read without running the app (no Streamlit import here).

    The suite follows the app's own registry, so a new page is covered (visited, screenshotted, scanned,
    refused to the wrong roles) without editing the tests. The agreed access to the first five pages
    is pinned separately in test_sign_in_and_navigation.py.
    """
    tree = ast.parse((REPO_ROOT / "app.py").read_text(encoding="utf-8"))
    pages = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "PageSpec"):
            continue
        args: dict[str, ast.expr] = dict(zip(_PAGE_SPEC_FIELDS, node.args, strict=False))
        args.update({k.arg: k.value for k in node.keywords if k.arg})
        permission = args["permission"]
        if not isinstance(permission, ast.Attribute):
            raise AssertionError(f"app.py: cannot read the permission of {ast.unparse(node)}")
        pages.append(AppPage(ast.literal_eval(args["url_path"]), ast.literal_eval(args["title"]),
                             Permission[permission.attr]))
    if not pages:
        raise AssertionError("app.py: no PageSpec(...) entries found")
    return tuple(pages)


ALL_PAGES: tuple[AppPage, ...] = _read_page_registry()
PAGES_BY_PATH = {p.url_path: p for p in ALL_PAGES}


def page_at(url_path: str) -> AppPage:
    return PAGES_BY_PATH[url_path]


def page_label(app_page: AppPage) -> str:
    return f"{app_page.title} (/{app_page.url_path})"


HOME = page_at("home")
MEETINGS = page_at("meetings")
REVIEWS = page_at("reviews")
ACTIONS = page_at("actions")
PEOPLE = page_at("people")

# Streamlit's old multipage mode served pages/<file>.py at /<file>: those addresses must not work either.
LEGACY_PAGE_PATHS: tuple[str, ...] = tuple(
    sorted(f.stem for f in (REPO_ROOT / "pages").glob("*.py") if not f.stem.startswith("_"))
)


@dataclass(frozen=True)
class Account:
    username: str
    name: str
    role: Role

    @property
    def pages(self) -> tuple[AppPage, ...]:
        """The pages this account's role may use, in navigation order."""
        return tuple(p for p in ALL_PAGES if self.role in ALLOWED_ROLES[p.permission])

    @property
    def forbidden(self) -> tuple[AppPage, ...]:
        return tuple(p for p in ALL_PAGES if p not in self.pages)


# One demo account per role (north ICB).
ROLE_ACCOUNTS: tuple[Account, ...] = (
    Account("chair", "Priya Shah", Role.CHAIR),
    Account("vicechair", "Tom Reilly", Role.VICE_CHAIR),
    Account("member", "Grace Mensah", Role.PANEL_MEMBER),
    Account("lived", "Sam Taylor", Role.LIVED_EXPERIENCE_MEMBER),
    Account("emlead", "Farah Qureshi", Role.ETHNIC_MINORITY_LEAD),
    Account("reviewer", "Chris Walker", Role.REVIEWER),
    Account("admin", "Morgan Ellis", Role.SECRETARIAT),
    Account("observer", "Lee Park", Role.OBSERVER),
)
ACCOUNTS_BY_USERNAME = {a.username: a for a in ROLE_ACCOUNTS}


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished its current script run."""
    page.wait_for_selector(IDLE, timeout=WAIT_MS)


def h1(page: Page) -> Locator:
    """The h1 of the page body (not of a Streamlit dialog such as "Page not found")."""
    return page.get_by_test_id("stMain").get_by_role("heading", level=1)


def expect_h1(page: Page, text: str | re.Pattern[str]) -> None:
    """The page's own h1 shows `text`, then the run is over (the h1 first: the idle flag may be stale)."""
    expect(h1(page)).to_have_text(text, timeout=WAIT_MS)
    wait_idle(page)


def expect_sign_in_form(page: Page) -> None:
    expect_h1(page, SIGN_IN_HEADING)
    expect(page.get_by_role("textbox", name="Username")).to_be_visible(timeout=WAIT_MS)
    # get_by_label("Password") would also match the "Show password" button.
    expect(page.get_by_role("textbox", name="Password")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("button", name="Login")).to_be_visible(timeout=WAIT_MS)


def submit_sign_in(page: Page, username: str, password: str) -> None:
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Login").click()


def wait_for_cookie_component(page: Page) -> None:
    """Wait until streamlit-authenticator's cookie component has loaded and reported back.

    The component reruns the app once after every page load; an interaction started before that rerun
    (an open dropdown, a half-typed form) can be re-rendered away.
    """
    frame = page.locator(f'iframe[title="{COOKIE_COMPONENT_TITLE}"]').first
    expect(frame).to_be_attached(timeout=WAIT_MS)
    content = frame.element_handle(timeout=WAIT_MS).content_frame()
    if content is not None:
        content.wait_for_load_state("load", timeout=WAIT_MS)
    settle(page, 700)


def auth_cookie(page: Page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == AUTH_COOKIE), None)


def expect_auth_cookie(page: Page, present: bool = True, timeout_ms: int = 12_000) -> None:
    """Poll the browser's cookie jar for the sign-in cookie (it is set from a component, not a response;
    on a freshly started server under load the component can take several seconds to load)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while (auth_cookie(page) is not None) != present and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    state = "stored" if present else "removed"
    assert (auth_cookie(page) is not None) == present, f"the sign-in cookie {AUTH_COOKIE!r} was not {state}"


def sign_in(page: Page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form at once (no human pause) and return on Home once the auth cookie is
    stored, so that deep links and reloads keep the session.

    Pressing Login before the cookie component has loaded used to lose the cookie now and then (Home
    showed, the next page load was signed out); the cookie check below catches that.
    """
    page.goto(f"{base}/")
    expect_sign_in_form(page)
    # On a newly started server the cookie component's first rerun comes late and swallows a Login pressed
    # at once (the form just stays there); waiting for it first makes the press count.
    wait_for_cookie_component(page)
    submit_sign_in(page, username, password)
    expect_h1(page, WELCOME)
    expect_auth_cookie(page)


def open_page(page: Page, base: str, app_page: AppPage, *, interactive: bool = False) -> None:
    """Open a page by its address and wait for its h1 and tab title.

    interactive: also wait for the rerun the cookie component triggers after every page load, which
    would otherwise re-render (and close) a dropdown the test has just opened.
    """
    page.goto(f"{base}/{app_page.url_path}")
    expect_h1(page, app_page.heading)
    expect(page).to_have_title(app_page.title, timeout=WAIT_MS)
    if interactive:
        wait_for_cookie_component(page)


def nav_titles(page: Page) -> Locator:
    """The page titles in the sidebar navigation (the link text without the icon ligature)."""
    return page.locator('[data-testid="stSidebarNavLink"] [data-testid="stMarkdownContainer"]')


def exactly(text: str) -> re.Pattern[str]:
    """Match the whole text (has_text alone would also match a longer title containing it)."""
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def ensure_sidebar_open(page: Page) -> None:
    """After a narrow screenshot Streamlit may leave the sidebar folded away (or unfold it a moment
    later by itself): make sure it is open, without racing its own unfolding."""
    sidebar = page.get_by_test_id("stSidebar")
    for _ in range(3):
        try:
            expect(sidebar).to_have_attribute("data-collapsed", "false", timeout=1_000)
            return
        except AssertionError:
            pass
        with contextlib.suppress(PlaywrightError):  # it may unfold by itself meanwhile (button gone)
            page.get_by_test_id("stExpandSidebarButton").click(timeout=2_000)
    expect(sidebar).to_have_attribute("data-collapsed", "false", timeout=WAIT_MS)


def click_nav_link(page: Page, app_page: AppPage) -> None:
    ensure_sidebar_open(page)
    nav_titles(page).filter(has_text=exactly(app_page.title)).click()
    expect_h1(page, app_page.heading)
    expect(page).to_have_title(app_page.title, timeout=WAIT_MS)


def _content_height(page: Page) -> int:
    """Streamlit scrolls inside its own containers, so a full-page screenshot needs a taller viewport."""
    return page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight,
            ...[...document.querySelectorAll(
                '[data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stSidebarContent"]'
            )].map(e => e.scrollHeight))"""
    )


def save_screenshots(page: Page, name: str, widths: tuple[int, ...] = (1280, 320)) -> list[Path]:
    """Save `<name>-<width>px.png` under test-artifacts/screenshots/ for each width; restore 1280x900."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    saved = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        if width < MOBILE_BREAKPOINT:  # Streamlit folds the sidebar away on narrow screens
            expect(page.locator('[data-testid="stSidebar"][data-collapsed="false"]')).to_have_count(0)
        height = min(max(_content_height(page), 900), 8000)
        page.set_viewport_size({"width": width, "height": height})
        path = SCREENSHOT_DIR / f"{name}-{width}px.png"
        page.screenshot(path=path, full_page=True, animations="disabled")
        saved.append(path)
    page.set_viewport_size(VIEWPORT)
    return saved


def settle(page: Page, ms: int = 400) -> None:
    """Give a follow-up run (e.g. the cookie component reporting back) time to start, then wait for it."""
    page.wait_for_timeout(ms)
    wait_idle(page)
