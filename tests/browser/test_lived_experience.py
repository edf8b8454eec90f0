"""A lived-experience member, using only a keyboard, reads the Easy Read summary on My meeting, says what
they think before the meeting and votes in it once the chair opens the vote; what they type is shown as
typed, never as links or pictures.

The member's page is driven with Tab, Shift+Tab, Space, Enter, the arrow keys and typing only: no mouse
clicks and no filling of fields behind the keyboard's back.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe_scan import AxeScanner
from tests.browser.support import (
    WAIT_MS,
    click_and_wait,
    open_page,
    page_at,
    rerun_expected,
    save_screenshots,
    sign_in,
    wait_ready,
)
from tests.browser.test_meeting_room import (
    _alerts,
    _focus_is_visible,
    _no_blocking_axe_findings,
    _open_the_vote_on_item_5,
    _second_browser,
    _tab_to,
)

pytestmark = pytest.mark.browser

MY_MEETING = page_at("my-meeting")
YEAR = dt.date.today().year
FEELING_GROUP = "What do you think about review LDR-{year}-{number}?"
VOTE_GROUP = "Your vote on signing off this review"
CHOOSE_A_FEELING = "Choose one: I agree, I am not sure, or I am worried."
SAVED_COMMENT = "Thank you. We have saved what you think."


def _reference(number: str) -> str:
    return f"LDR-{YEAR}-{number}"


def _js(text: str) -> str:
    """`text` as a JavaScript string literal, for the expressions `_tab_to` evaluates."""
    return json.dumps(text)


def _is_button(label: str) -> str:
    """A `_tab_to` test: the focused element is the button whose words are `label` (after its icon)."""
    return f"el.tagName === 'BUTTON' && el.innerText.trim().endsWith({_js(label)})"


def _is_in_radio_group(group: str) -> str:
    """A `_tab_to` test: the focused element is a radio button of the group labelled `group`."""
    return (f"el.type === 'radio' && el.closest('[role=radiogroup]')?.getAttribute('aria-label') === {_js(group)}")


def _is_field(tag: str, label: str) -> str:
    """A `_tab_to` test: the focused element is the `tag` field whose accessible label starts with `label`."""
    return (f"el.tagName === {_js(tag)} && (el.getAttribute('aria-label') || '').startsWith({_js(label)})")


def _open_review_with_the_keyboard(page: Page, number: str) -> None:
    """From the top of the page, Tab to "Read about review …" and press Enter."""
    page.locator("body").focus()
    _tab_to(page, f"The button to read about review {_reference(number)}",
            _is_button(f"Read about review {_reference(number)}"))
    assert _focus_is_visible(page), "the focused review button shows no focus outline"
    with rerun_expected(page):
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"Review {_reference(number)}: about this review")).to_be_visible(
        timeout=WAIT_MS)


def _send_with_the_keyboard(page: Page, button: str) -> None:
    """Press the button with Enter; the caller waits for what it shows (a vote reruns only its own part of the
    page, so there is no new full run to wait for)."""
    _tab_to(page, f"The {button!r} button", _is_button(button))
    assert _focus_is_visible(page), f"the focused {button!r} button shows no focus outline"
    page.keyboard.press("Enter")


def _open_my_meeting(page: Page, base: str, username: str) -> None:
    sign_in(page, base, username)
    open_page(page, base, MY_MEETING, interactive=True)
    expect(page.get_by_role("heading", name="The next meeting")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("heading", name="Reviews at this meeting")).to_be_visible()


def test_a_lived_experience_member_reads_and_comments_with_the_keyboard_only(
    page: Page, fresh_server: str, axe_scanner: AxeScanner
) -> None:
    """Jo Bennett reads the Easy Read summary of review 0110 and says she is worried, all with the keyboard;
    sending nothing first is explained in words."""
    _open_my_meeting(page, fresh_server, "lived2")
    for number in ("0108", "0109", "0110"):
        expect(page.get_by_role("button", name=f"Read about review {_reference(number)}")).to_be_visible()

    _open_review_with_the_keyboard(page, "0110")
    expect(page.get_by_role("heading", name=f"Review {_reference('0110')}: about this review")).to_be_visible()
    expect(page.get_by_text("This review is about a man who lived in a nursing home.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Review {_reference('0110')}: what do you think?")).to_be_visible()

    # Sending with nothing chosen and nothing written is explained in words, in the form, as an alert.
    _send_with_the_keyboard(page, "Send what I think")
    expect(page.get_by_test_id("stForm").get_by_role("alert").filter(has_text=CHOOSE_A_FEELING)).to_be_visible(
        timeout=WAIT_MS)
    wait_ready(page)  # that run has finished drawing before the keyboard moves on

    group = FEELING_GROUP.format(year=YEAR, number="0110")
    _tab_to(page, "The first answer to 'What do you think?'", _is_in_radio_group(group))
    feelings = page.get_by_role("radiogroup", name=group)
    page.keyboard.press("Space")
    expect(feelings.get_by_role("radio", name="I agree")).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(feelings.get_by_role("radio", name="I am not sure")).to_be_checked()
    page.keyboard.press("ArrowDown")
    worried = feelings.get_by_role("radio", name="I am worried")
    expect(worried).to_be_checked()
    expect(worried).to_be_focused()
    # Streamlit alone marks a focused choice with a pale background; the app adds a 3 px outline.
    assert page.evaluate("getComputedStyle(document.activeElement.closest('label')).outlineWidth") == "3px"
    page.keyboard.press("ArrowUp")
    expect(feelings.get_by_role("radio", name="I am not sure")).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(worried).to_be_checked()

    reason = "The ward did not get his passport."
    _tab_to(page, "The box to say why", _is_field("TEXTAREA", "Say why, in your own words"))
    page.keyboard.type(reason)
    expect(page.get_by_role("textbox", name="Say why, in your own words (you do not have to)")).to_have_value(reason)
    # Shift+Tab goes back to the answers without changing the choice.
    page.keyboard.press("Shift+Tab")
    expect(worried).to_be_focused()
    expect(worried).to_be_checked()

    _send_with_the_keyboard(page, "Send what I think")
    expect(page.get_by_role("status").filter(has_text=SAVED_COMMENT)).to_be_visible(timeout=WAIT_MS)
    expect(_alerts(page).filter(has_text=CHOOSE_A_FEELING)).to_have_count(0)
    expect(page.get_by_text(f"You said: I am worried. {reason}")).to_be_visible(timeout=WAIT_MS)

    save_screenshots(page, "my-meeting-commented")
    _no_blocking_axe_findings(axe_scanner, page, "my-meeting-commented", "lived2")


def test_a_lived_experience_member_votes_on_my_meeting_with_the_keyboard_only(
    page: Page, fresh_server: str, browser: Browser, axe_scanner: AxeScanner
) -> None:
    """The chair opens the named vote on item 5 (review 0109); Sam Taylor, who is in the room, votes from
    My meeting with the keyboard only."""
    _open_the_vote_on_item_5(page, fresh_server)
    with _second_browser(browser) as voter:
        _open_my_meeting(voter, fresh_server, "lived")
        _open_review_with_the_keyboard(voter, "0109")
        expect(voter.get_by_role("heading", name=f"Review {_reference('0109')}: vote")).to_be_visible()
        expect(_alerts(voter).filter(has_text="The vote is open now.")).to_be_visible()
        # Comments can be changed only until the vote opens: the form is gone, and the page says why.
        expect(voter.get_by_role("button", name="Change what I said")).to_have_count(0)
        expect(voter.get_by_role("button", name="Send what I think")).to_have_count(0)
        expect(voter.get_by_text("The vote has opened, so what you said can no longer be changed.")).to_be_visible()

        _tab_to(voter, "The first answer of the vote", _is_in_radio_group(VOTE_GROUP))
        voter.keyboard.press("Space")
        expect(voter.get_by_role("radiogroup", name=VOTE_GROUP).get_by_role("radio", name="Sign off", exact=True)
               ).to_be_checked()
        _send_with_the_keyboard(voter, "Send my vote")
        expect(_alerts(voter).filter(has_text="Your vote is saved: Sign off.")).to_be_visible(timeout=WAIT_MS)

        save_screenshots(voter, "my-meeting-voted")
        _no_blocking_axe_findings(axe_scanner, voter, "my-meeting-voted", "lived")

    page.reload()  # the chair's meeting room counts the vote sent from My meeting
    wait_ready(page)
    expect(page.get_by_text("1 of 5 eligible members has voted")).to_be_visible(timeout=WAIT_MS)


def test_typed_markdown_is_shown_as_text(page: Page, fresh_server: str) -> None:
    """What a member types is shown exactly as typed: no links, no pictures, no HTML."""
    typed = "[click me](javascript:alert(1)) <b>bold</b> ![x](data:image/png;base64,AAAA)"
    _open_my_meeting(page, fresh_server, "lived2")
    click_and_wait(page, f"Read about review {_reference('0108')}")
    group = page.get_by_role("radiogroup", name=FEELING_GROUP.format(year=YEAR, number="0108"))
    group.get_by_text("I am not sure").click()
    expect(group.get_by_role("radio", name="I am not sure")).to_be_checked()
    page.get_by_role("textbox", name="Say why, in your own words (you do not have to)").fill(typed)
    click_and_wait(page, "Send what I think")
    expect(_alerts(page).filter(has_text=SAVED_COMMENT)).to_be_visible(timeout=WAIT_MS)

    main = page.get_by_test_id("stMain")
    shown = main.get_by_test_id("stMarkdownContainer")  # not the text box, which still holds what was typed
    expect(shown.get_by_text("[click me](javascript:alert(1))")).to_be_visible(timeout=WAIT_MS)
    expect(shown.get_by_text("You said: I am not sure.")).to_have_text(f"You said: I am not sure. {typed}")
    expect(main.locator('a[href^="javascript:"]')).to_have_count(0)
    expect(main.locator('a[href^="data:"]')).to_have_count(0)
    expect(main.locator('img[src^="data:"]')).to_have_count(0)
    expect(main.locator("b, strong").filter(has_text="bold")).to_have_count(0)
