"""Shared constants and helpers for the browser tests: who sees which page, signing in, screenshots.

Kept out of conftest.py so test modules can import them by name (`from tests.browser.support import ...`).
"""

from __future__ import annotations

import ast
import contextlib
import re
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from rules.permissions import ALLOWED_ROLES, Permission
from rules.vocabulary import Role

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"  # git-ignored
SCREENSHOT_DIR = ARTIFACTS_DIR / "screenshots"

DEMO_PASSWORD = "correct-horse-battery-staple"
WAIT_MS = 20_000
VIEWPORT = {"width": 1280, "height": 900}
MOBILE_BREAKPOINT = 640
AUTH_COOKIE = "leder_panel_auth"  # components/auth.py COOKIE_NAME
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# Streamlit marks what an earlier run drew and the current run has not yet redrawn with data-stale="true"
# (index.js: "data-stale" on stElementContainer); such an element is on its way out.
STALE = '[data-testid="stElementContainer"][data-stale="true"]'
FRESH = '[data-testid="stElementContainer"]:not([data-stale="true"])'
# components/ready.py draws <div class="leder-run" data-run=N data-cookies=read|waiting> last in every full run.
_MARKERS = "[...document.querySelectorAll('.leder-run')].filter(e => !e.closest('[data-stale=\"true\"]'))"
_LAST_RUN_JS = f"() => Math.max(0, ...{_MARKERS}.map(e => Number(e.dataset.run)))"
# Running animations and transitions with an end (an expander opening); endless ones (a spinner) do not count.
_MOVEMENT_OVER_JS = ("() => document.getAnimations().every(a => a.playState !== 'running'"
                     " || a.effect?.getComputedTiming().iterations === Infinity)")
_COOKIES_READ_JS = f"() => {_MARKERS}.some(e => e.dataset.cookies === 'read')"

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
    """Wait until Streamlit has finished its current script run, nothing an earlier run drew is left stale
    on the page (a stale sign-in form beside the new one was once seen after Log out), and nothing is moving:
    a select box's list opened while an expander is still sliding open closes again at once."""
    page.wait_for_selector(IDLE, timeout=WAIT_MS)
    expect(page.locator(STALE)).to_have_count(0, timeout=WAIT_MS)
    page.wait_for_function(_MOVEMENT_OVER_JS, timeout=WAIT_MS)


def run_number(page: Page) -> int:
    """The number of the last full run the page has finished drawing (components/ready.py), 0 before one."""
    return int(page.evaluate(_LAST_RUN_JS))


def wait_ready(page: Page) -> None:
    """Wait for the page's own ready marker: a finished run after the cookie component has reported (its
    rerun would redraw what a test is about to use), with the app idle and nothing stale left."""
    page.wait_for_function(_COOKIES_READ_JS, timeout=WAIT_MS)
    wait_idle(page)


@contextmanager
def rerun_expected(page: Page) -> Iterator[None]:
    """Around something that makes the app run again (a click, a choice, leaving an edited box): return once
    a full run newer than the one before it has finished drawing, and the page is idle."""
    before = run_number(page)
    yield
    page.wait_for_function(f"() => ({_LAST_RUN_JS})() > {before}", timeout=WAIT_MS)
    wait_ready(page)


def rerun_on_change(page: Page, widget: Locator) -> AbstractContextManager[None]:
    """Around a change to this widget: rerun_expected outside a form; inside one nothing runs until its
    button is pressed, so there is no run to wait for."""
    in_form = widget.locator("xpath=ancestor::*[@data-testid='stForm']").count() > 0
    return nullcontext() if in_form else rerun_expected(page)


def choose(page: Page, combobox_name: str, option: str) -> None:
    """Pick an option the way a keyboard user does: focus the select box, type to filter, press Enter; then
    wait for the run that choice starts (the list can open below the fold, where a mouse click would miss).

    Enter picks the option the list has highlighted (the box's aria-activedescendant), so that is made this
    option first; while typing, the box shows the typed words whether or not a choice is made, so the choice
    counts only once the list has closed on it.
    """
    box = page.get_by_role("combobox", name=combobox_name)
    wait_ready(page)
    if re.search(re.escape(option), box.input_value()):
        return  # already chosen: nothing would run
    box.click()
    page.keyboard.type(option)  # typing opens the list, filtered to what is typed
    expect(box).to_have_value(option, timeout=WAIT_MS)
    expect(box).to_have_attribute("aria-expanded", "true", timeout=WAIT_MS)
    _highlight(page, box, page.get_by_role("option", name=option).first)
    with rerun_on_change(page, box):
        page.keyboard.press("Enter")
    expect(box).to_have_attribute("aria-expanded", "false", timeout=WAIT_MS)
    expect(box).to_have_value(re.compile(re.escape(option)), timeout=WAIT_MS)


def _highlight(page: Page, box: Locator, option: Locator) -> None:
    """Move the list's highlight to the option with the arrow keys, as a keyboard user would: the filtered
    list highlights its first option by itself only sometimes."""
    expect(option).to_be_attached(timeout=WAIT_MS)
    target = option.get_attribute("id")
    for _ in range(page.get_by_role("option").count()):
        current = box.get_attribute("aria-activedescendant")
        if current == target:
            return
        page.keyboard.press("ArrowDown")
        if current is None:
            expect(box).to_have_attribute("aria-activedescendant", re.compile(".+"), timeout=WAIT_MS)
        else:
            expect(box).not_to_have_attribute("aria-activedescendant", current, timeout=WAIT_MS)
    expect(box).to_have_attribute("aria-activedescendant", target or "", timeout=WAIT_MS)


def click_and_wait(page: Page, button: str) -> None:
    """Press a button and wait for the full run it starts to finish drawing."""
    with rerun_expected(page):
        page.get_by_role("button", name=button).click()


def type_and_leave(page: Page, label: str, text: str) -> None:
    """Type into a box and leave it (Tab), which is when Streamlit sends the edit; wait for the run."""
    box = page.get_by_label(label)
    with rerun_on_change(page, box):
        box.fill(text)
        page.keyboard.press("Tab")


def sign_in_box(page: Page, name: str) -> Locator:
    """The sign-in form's Username or Password box, the one the current run drew (get_by_label("Password")
    would also match the "Show password" button, and a stale copy is on its way out)."""
    return page.locator(FRESH).get_by_role("textbox", name=name)


def h1(page: Page) -> Locator:
    """The h1 of the page body (not of a Streamlit dialog such as "Page not found")."""
    return page.get_by_test_id("stMain").get_by_role("heading", level=1)


def expect_h1(page: Page, text: str | re.Pattern[str]) -> None:
    """The page's own h1 shows `text`, then the run is over (the h1 first: the idle flag may be stale)."""
    expect(h1(page)).to_have_text(text, timeout=WAIT_MS)
    wait_idle(page)


def expect_sign_in_form(page: Page) -> None:
    expect_h1(page, SIGN_IN_HEADING)
    expect(sign_in_box(page, "Username")).to_have_count(1, timeout=WAIT_MS)
    expect(sign_in_box(page, "Password")).to_have_count(1, timeout=WAIT_MS)
    expect(page.get_by_role("button", name="Login")).to_be_visible(timeout=WAIT_MS)


def submit_sign_in(page: Page, username: str, password: str) -> None:
    sign_in_box(page, "Username").fill(username)
    sign_in_box(page, "Password").fill(password)
    page.get_by_role("button", name="Login").click()


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
    # at once (the form just stays there); waiting for the page's ready marker first makes the press count.
    wait_ready(page)
    submit_sign_in(page, username, password)
    expect_h1(page, WELCOME)
    expect_auth_cookie(page)


def open_page(page: Page, base: str, app_page: AppPage, *, interactive: bool = False) -> None:
    """Open a page by its address and wait for its h1 and tab title.

    interactive: also wait for the page's ready marker: the cookie component reruns the app after every page
    load, which would otherwise re-render (and close) a dropdown the test has just opened.
    """
    page.goto(f"{base}/{app_page.url_path}")
    expect_h1(page, app_page.heading)
    expect(page).to_have_title(app_page.title, timeout=WAIT_MS)
    if interactive:
        wait_ready(page)


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
