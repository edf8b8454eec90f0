"""A chair runs the demo's upcoming meeting in a real browser: from attendance to a quorate item that is
ready for the vote, and the not-quorate and recusal cases explained in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.axe_scan import AxeScanner
from tests.browser.support import (
    VIEWPORT,
    WAIT_MS,
    choose,
    click_and_wait,
    open_page,
    page_at,
    save_screenshots,
    sign_in,
    wait_ready,
)

pytestmark = pytest.mark.browser

MEETING_ROOM = page_at("meeting")
PRESENT = ["Priya Shah", "Tom Reilly", "Grace Mensah", "Sam Taylor", "Farah Qureshi"]


def _alerts(page: Page) -> Locator:
    return page.get_by_test_id("stAlert")


def _record_attendance(page: Page, names: list[str]) -> None:
    save = page.get_by_role("button", name="Save attendance")
    if not save.is_visible():  # the expander stays open
        page.get_by_text("Record attendance").click()
    expect(save).to_be_visible(timeout=WAIT_MS)  # opened and drawn before its first list is opened
    for name in names:
        choose(page, f"{name} (", "Present in the room")
    click_and_wait(page, "Save attendance")
    changes = f"{len(names)} change{'s' if len(names) != 1 else ''}"
    expect(_alerts(page).filter(has_text=f"Attendance saved ({changes})")).to_be_visible(timeout=WAIT_MS)


def _open_item(page: Page, position: int) -> None:
    choose(page, "Agenda item to look at", f"{position}. Focused review")
    click_and_wait(page, "Make this the current item")
    expect(page.get_by_role("heading", name=f"Item {position}: Focused review")).to_be_visible(timeout=WAIT_MS)


def _start_meeting(page: Page, base: str) -> None:
    sign_in(page, base, "chair")
    open_page(page, base, MEETING_ROOM, interactive=True)
    click_and_wait(page, "Move the meeting on to: In progress")
    expect(_alerts(page).filter(has_text="The meeting is now: In progress")).to_be_visible(timeout=WAIT_MS)


def test_chair_runs_an_item_to_ready_for_vote(page: Page, fresh_server: str) -> None:
    _start_meeting(page, fresh_server)
    _record_attendance(page, PRESENT)
    expect(_alerts(page).filter(has_text="Quorate: yes (5 voting members present)").first).to_be_visible()
    expect(_alerts(page).filter(  # which roles made it so, in words, for the chair to read out
        has_text="Quorate: yes (5 voting members present), including the chair, a lived-experience member and "
                 "the ethnic minority lead.").first).to_be_visible()
    _open_item(page, 5)  # the second review on the agenda: not flagged for the ethnic minority lead
    expect(_alerts(page).filter(has_text="Quorum for this item. Quorate: yes")).to_be_visible()
    save_screenshots(page, "meeting-room-chair-item")
    click_and_wait(page, "Ready for the vote")
    expect(_alerts(page).filter(has_text="The item is ready for the vote.")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("Quorum recorded when the item was made ready: Quorate: yes")).to_be_visible()


def test_not_quorate_and_recusal_are_explained_in_words(page: Page, fresh_server: str) -> None:
    _start_meeting(page, fresh_server)
    _record_attendance(page, [n for n in PRESENT if n != "Sam Taylor"])
    expect(_alerts(page).filter(
        has_text="Not quorate: 4 voting members present, 5 needed; no lived-experience member present"
    ).first).to_be_visible()
    _record_attendance(page, ["Sam Taylor"])
    _open_item(page, 5)
    page.get_by_text("Record a declaration").click()
    wait_ready(page)
    choose(page, "Who is declaring", "Sam Taylor")
    interest = page.get_by_role("textbox", name="Their interest, in a few words")
    interest.fill("Knew the family")
    expect(interest).to_have_value("Knew the family")
    ruling = page.get_by_role("radio", name="Stepped out of this item")
    page.get_by_text("Stepped out of this item").click()
    expect(ruling).to_be_checked()
    click_and_wait(page, "Record the declaration")
    expect(page.get_by_text("Sam Taylor: Knew the family. Stepped out of this item.")).to_be_visible(timeout=WAIT_MS)
    expect(_alerts(page).filter(has_text="Quorum for this item. Not quorate: 4 voting members present, "
                                         "5 needed; no lived-experience member present")).to_be_visible()
    click_and_wait(page, "Ready for the vote")
    expect(_alerts(page).filter(has_text="Not ready for the vote: Not quorate")).to_be_visible(timeout=WAIT_MS)
    save_screenshots(page, "meeting-room-recusal")


def _open_the_vote_on_item_5(page: Page, base: str) -> None:
    """As the chair: start the demo meeting, five voting members present, item 5 ready, a named vote open."""
    _start_meeting(page, base)
    _record_attendance(page, PRESENT)
    _open_item(page, 5)
    click_and_wait(page, "Ready for the vote")
    expect(_alerts(page).filter(has_text="The item is ready for the vote.")).to_be_visible(timeout=WAIT_MS)
    click_and_wait(page, "Open the vote")
    expect(_alerts(page).filter(has_text="The named vote is open.")).to_be_visible(timeout=WAIT_MS)


@contextmanager
def _second_browser(browser: Browser) -> Iterator[Page]:
    """A second person on another computer: their own context (cookies), closed afterwards."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(WAIT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def _tab_to(page: Page, description: str, is_target: str, limit: int = 200) -> None:
    """Press Tab until the focused element matches `is_target` (a JS expression on `el`), as a keyboard-only
    user would; fail if it is never reached."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({is_target}); }})()"):
            return
    raise AssertionError(f"{description} cannot be reached with the Tab key")


def _focus_is_visible(page: Page) -> bool:
    return page.evaluate("""(() => {
        const style = getComputedStyle(document.activeElement);
        return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
    })()""")


def test_a_member_votes_with_the_keyboard_only_and_the_chair_signs_off(
    page: Page, fresh_server: str, browser: Browser, axe_scanner: AxeScanner
) -> None:
    """End to end on the demo meeting: open, a keyboard-only vote, close, decision, and the lock on the
    review page; axe-core scans each new state of the page."""
    _open_the_vote_on_item_5(page, fresh_server)
    with _second_browser(browser) as voter:
        sign_in(voter, fresh_server, "member")
        open_page(voter, fresh_server, MEETING_ROOM, interactive=True)
        expect(voter.get_by_text("0 of 5 eligible members have voted")).to_be_visible(timeout=WAIT_MS)
        voter.locator("body").focus()
        _tab_to(voter, "The first answer",
                "el.type === 'radio' && !!el.closest('[role=radiogroup]')?.getAttribute('aria-label')"
                "?.startsWith('Your vote')")
        voter.keyboard.press("Space")
        expect(voter.get_by_role("radio", name="Sign off", exact=True)).to_be_checked()
        _tab_to(voter, "The reason box", "el.tagName === 'TEXTAREA'")
        voter.keyboard.type("Clear and kind to the family.")
        _tab_to(voter, "The send button", "el.tagName === 'BUTTON' && el.innerText.trim() === 'Send my vote'")
        assert _focus_is_visible(voter), "the focused button shows no focus outline"
        voter.keyboard.press("Enter")
        wait_ready(voter)
        expect(_alerts(voter).filter(has_text="Your vote is saved: Sign off.")).to_be_visible(timeout=WAIT_MS)
        expect(voter.get_by_text("1 of 5 eligible members has voted")).to_be_visible(timeout=WAIT_MS)
        save_screenshots(voter, "meeting-room-member-voted")
        _no_blocking_axe_findings(axe_scanner, voter, "meeting-vote-open", "member")

    page.reload()
    wait_ready(page)
    click_and_wait(page, "Close the vote")
    expect(page.get_by_text("The named vote is closed.")).to_be_visible(timeout=WAIT_MS)
    page.get_by_text("Signed off", exact=True).click()
    click_and_wait(page, "Record the decision")
    expect(_alerts(page).filter(has_text="Decision: Signed off. The review's findings are locked.")).to_be_visible(
        timeout=WAIT_MS)
    expect(page.get_by_text("Quorum when the vote closed: Quorate: yes (5 voting members present)").first
           ).to_be_visible()
    save_screenshots(page, "meeting-room-decided")
    _no_blocking_axe_findings(axe_scanner, page, "meeting-decided", "chair")

    open_page(page, fresh_server, page_at("reviews"), interactive=True)
    choose(page, "Review", f"LDR-{dt.date.today().year}-0109")  # the review on item 5
    expect(_alerts(page).filter(has_text="This review is signed off and locked.")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("Version 1: Signed off by the panel")).to_be_visible()
    _no_blocking_axe_findings(axe_scanner, page, "review-locked", "chair")


def _no_blocking_axe_findings(axe_scanner: AxeScanner, page: Page, key: str, account: str) -> None:
    scan = axe_scanner.scan(page, key=key, label=key.replace("-", " "), account=account, role=account)
    blocking = axe_scanner.blocking(scan)
    assert blocking == [], "serious or critical axe-core findings:\n" + "\n".join(blocking)
