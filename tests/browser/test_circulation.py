"""A decision by circulation in a real browser, on a private server (it changes a review's status, which
the shared server's other tests count on): the chair sends one review, three voting members (a
lived-experience member and the ethnic minority lead among them) answer, each on their own computer, and the
chair closes it early and records the decision. Then the chair starts the panel's next meeting and downloads
its Word minutes, which list the review as agreed by circulation. axe-core scans the page as the
lived-experience member with the vote form open and as the chair with the form to send reviews."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Browser, Locator, Page, expect

from operations.demo import demo_meeting_month
from rules.vocabulary import MeetingStatus
from tests.browser.axe_scan import AxeScanner
from tests.browser.support import (
    VIEWPORT,
    WAIT_MS,
    _highlight,
    choose,
    click_and_wait,
    open_page,
    page_at,
    save_screenshots,
    sign_in,
    wait_ready,
)
from tests.browser.test_meeting_room import MEETING_ROOM, _record_attendance
from tests.browser.test_minutes import _download

pytestmark = pytest.mark.browser

CIRCULATIONS = page_at("circulations")
MINUTES = page_at("minutes")
# The demo seed leaves two reviews ready for the panel and on no agenda: 0111 (ethnicity flagged) and 0112.
REFERENCE = f"LDR-{dt.date.today().year}-0112"
SENT = "Sent to the panel for a decision."
VOTE = "Your vote on signing off this review"
ANSWERS_NEEDED = 3
ELIGIBLE = 7  # the north panel's active voting members: chair, vice chair, member, member2, lived, lived2, emlead
ANSWERS = ("Sign off", "Sign off with changes", "Not yet: return to reviewer", "Abstain")  # the panel's defaults
# Who answers, in order, with the quorum line the page shows once they have.
ANSWERERS = (
    ("lived", "Not quorate: 1 voting member responded, 3 needed; the ethnic minority lead has not responded"),
    ("emlead", "Not quorate: 2 voting members responded, 3 needed."),
    ("member", "Quorate: yes (3 voting members responded), including a lived-experience member and the "
               "ethnic minority lead."),
)
AGREED = "Agreed by circulation since the last meeting"  # the next meeting's minutes: this section


def _alerts(page: Page) -> Locator:
    return page.get_by_test_id("stAlert")


@contextmanager
def _own_browser(browser: Browser) -> Iterator[Page]:
    """Another person on another computer: their own context (cookies), closed afterwards."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(WAIT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def _pick_exactly(page: Page, label: str, option: str) -> None:
    """Choose one option of a multiselect the keyboard way: type it, highlight it, Enter (a click can land on
    "Select all" or a neighbour as the list redraws). Inside a form nothing runs until it is sent."""
    box = page.get_by_role("combobox", name=label)
    box.click()
    page.keyboard.type(option)
    expect(box).to_have_attribute("aria-expanded", "true", timeout=WAIT_MS)
    _highlight(page, box, page.get_by_role("option", name=option, exact=True))
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    chosen = page.get_by_test_id("stMultiSelect").filter(has=box).get_by_test_id("stMultiSelectTagsContainer")
    expect(chosen).to_have_text(re.compile(rf"^\s*{re.escape(option)}\s*$"), timeout=WAIT_MS)  # it alone


def _blocking_axe_findings(axe_scanner: AxeScanner, page: Page, key: str, account: str, role: str) -> list[str]:
    scan = axe_scanner.scan(page, key=key, label=f"Decisions by circulation, {key.replace('-', ' ')}",
                            account=account, role=role)
    return axe_scanner.blocking(scan)


def _assert_none(blocking: list[str]) -> None:
    assert blocking == [], "serious or critical axe-core findings:\n" + "\n".join(blocking)


def _send_one_review(page: Page, axe_scanner: AxeScanner | None = None) -> None:
    """As the chair, on the page: send REFERENCE alone, needing ANSWERS_NEEDED answers. With a scanner, axe
    scans the form first, scrolled into view (axe checks the contrast of what is on screen only)."""
    expect(page.get_by_text("Nothing is waiting for answers.")).to_be_visible(timeout=WAIT_MS)
    send = page.get_by_role("button", name="Send for a decision")
    if axe_scanner is not None:
        send.scroll_into_view_if_needed()
        _assert_none(_blocking_axe_findings(axe_scanner, page, "circulation-send-form", "chair", "chair"))
    _pick_exactly(page, "Reviews to send (at most 10)", REFERENCE)
    needed = page.get_by_role("spinbutton", name="Answers needed for a decision")
    needed.fill(str(ANSWERS_NEEDED))
    page.keyboard.press("Tab")
    expect(needed).to_have_value(str(ANSWERS_NEEDED))
    click_and_wait(page, "Send for a decision")
    expect(_alerts(page).filter(has_text=SENT)).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text(f"{ANSWERS_NEEDED} answers needed for each review")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Focused review {REFERENCE}")).to_have_count(1)
    expect(page.get_by_text("Nothing is waiting for answers.")).to_have_count(0)
    expect(_alerts(page).filter(has_text="Answers so far. Not quorate: 0 voting members responded, 3 needed")
           ).to_be_visible()


def _open_as(voter: Page, base: str, username: str) -> Locator:
    """Sign in, open the page with the circulation on it; the vote form's answers."""
    sign_in(voter, base, username)
    open_page(voter, base, CIRCULATIONS, interactive=True)
    expect(voter.get_by_role("heading", name=f"Focused review {REFERENCE}")).to_be_visible(timeout=WAIT_MS)
    return voter.get_by_role("radiogroup", name=VOTE)


def _answer(voter: Page, base: str, username: str, quorum_after: str, axe_scanner: AxeScanner) -> None:
    """Sign in as a voting member, answer the first option, and see the answers so far in words."""
    vote = _open_as(voter, base, username)
    first = vote.get_by_role("radio").first
    first_label = vote.locator("label").first
    expect(first_label).to_contain_text(ANSWERS[0])
    if username == "lived":
        # The demo review has no Easy Read summary, so the lived-experience member gets the plain summary.
        summary = voter.get_by_text(f"Read the summary of {REFERENCE}", exact=True)
        expect(summary).to_be_visible()
        expect(voter.get_by_text(re.compile(f"Easy Read summary of {REFERENCE}"))).to_have_count(0)
        summary.click()
        expect(voter.get_by_text("Focused review (fictional demo).")).to_be_visible(timeout=WAIT_MS)
        wait_ready(voter)
        # The page as it opens (the circulation, its answers so far and the summary): the vote form's answers
        # are scanned on their own in the test below.
        _assert_none(_blocking_axe_findings(axe_scanner, voter, "circulation-open", "lived",
                                            "lived_experience_member"))
    first_label.click()
    expect(first).to_be_checked()
    click_and_wait(voter, "Send my vote")  # in a circulation a vote redraws the whole page, not just the form
    expect(_alerts(voter).filter(has_text=f"Your vote is saved: {ANSWERS[0]}.")).to_be_visible(timeout=WAIT_MS)
    voted = ANSWERERS.index((username, quorum_after)) + 1
    expect(voter.get_by_text(re.compile(rf"^{voted} of {ELIGIBLE} eligible members ha(s|ve) voted\."))
           ).to_be_visible()
    # At once, without a reload: the answers so far above the form count this answer too.
    expect(_alerts(voter).filter(has_text=f"Answers so far. {quorum_after}")).to_be_visible(timeout=WAIT_MS)
    if username == "lived":
        save_screenshots(voter, "circulation-lived-answered", widths=(1280,))


def _start_the_next_meeting(page: Page, base: str) -> None:
    """As the chair, already signed in: the Meeting room opens on the demo's upcoming meeting; start it and
    record one person present (minutes are written only once someone is)."""
    open_page(page, base, MEETING_ROOM, interactive=True)
    click_and_wait(page, "Move the meeting on to: In progress")
    expect(_alerts(page).filter(has_text="The meeting is now: In progress")).to_be_visible(timeout=WAIT_MS)
    _record_attendance(page, ["Priya Shah"])


def _minutes_lines(path: Path) -> list[str]:
    """Every paragraph of a Word document, then the text of every table cell."""
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return [p.text for p in document.paragraphs] + cells


def _next_minutes_list_the_decision(page: Page, base: str, folder: Path) -> None:
    """The Word minutes of the meeting just started (the newest with minutes, so the one chosen) list the
    review under the agreed-by-circulation heading, with its decision and how many answered."""
    open_page(page, base, MINUTES, interactive=True)
    upcoming = demo_meeting_month(MeetingStatus.PAPERS_CIRCULATED, seeded_on=dt.date.today())
    choose(page, "Meeting", f"LeDeR Governance Panel, {upcoming} (In progress)")
    wait_ready(page)
    full = _download(page, "Prepare the minutes as a Word document", "Download the minutes (Word)", folder)
    lines = _minutes_lines(full)
    assert AGREED in lines, f"no {AGREED!r} heading in the minutes: {lines}"
    agreed = [text for text in lines if text.startswith(f"{REFERENCE}: Signed off, on ")]
    assert len(agreed) == 1, f"the minutes should list {REFERENCE} once as signed off: {lines}"
    assert agreed[0].endswith(f"({ANSWERS_NEEDED} of {ELIGIBLE} eligible members answered)."), agreed[0]
    # Under its own heading: after it, before the next section's.
    assert lines.index(AGREED) < lines.index(agreed[0]) < lines.index("Date of the next meeting")
    # The download button reruns the page (Streamlit's default): the click marks the page as rerunning at once,
    # so waiting for it to be idle again keeps the half-redrawn, greyed-out page out of the screenshot.
    wait_ready(page)
    expect(page.get_by_role("button", name="Download the minutes (Word)")).to_be_visible()
    save_screenshots(page, "circulation-next-minutes", widths=(1280,))


def test_the_chair_circulates_a_review_members_answer_and_it_is_signed_off(
    page: Page, fresh_server: str, browser: Browser, axe_scanner: AxeScanner, tmp_path: Path
) -> None:
    sign_in(page, fresh_server, "chair")
    open_page(page, fresh_server, CIRCULATIONS, interactive=True)
    save_screenshots(page, "circulation-chair-send-form", widths=(1280,))
    _send_one_review(page, axe_scanner)

    for username, quorum_after in ANSWERERS:
        with _own_browser(browser) as voter:
            _answer(voter, fresh_server, username, quorum_after, axe_scanner)

    page.reload()
    wait_ready(page)
    expect(_alerts(page).filter(has_text="Answers so far. Quorate: yes (3 voting members responded)")).to_be_visible(
        timeout=WAIT_MS)
    click_and_wait(page, "Close this circulation now")
    expect(_alerts(page).filter(has_text="The circulation is closed.")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("Answers are in. Waiting for the chair to record the decision.")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting for answers.")).to_be_visible()
    expect(page.get_by_text(f"The named vote is closed. 3 of {ELIGIBLE} eligible members voted.")).to_be_visible()
    decision = page.get_by_role("radiogroup", name="The panel's decision")
    decision.locator("label").filter(has_text=re.compile(r"^\s*Signed off\s*$")).click()
    expect(decision.get_by_role("radio", name="Signed off", exact=True)).to_be_checked()
    click_and_wait(page, "Record the decision")
    expect(page.get_by_text("Decided: Signed off.", exact=True)).to_be_visible(timeout=WAIT_MS)
    expect(_alerts(page).filter(has_text="Decision: Signed off. The review's findings are locked.")).to_be_visible()
    expect(page.get_by_role("button", name="Record the decision")).to_have_count(0)
    save_screenshots(page, "circulation-chair-decided", widths=(1280,))

    # Done when the result appears in the next meeting's minutes.
    _start_the_next_meeting(page, fresh_server)
    _next_minutes_list_the_decision(page, fresh_server, tmp_path)


def test_the_vote_form_of_a_circulation_has_no_serious_axe_findings(
    page: Page, fresh_server: str, browser: Browser, axe_scanner: AxeScanner
) -> None:
    sign_in(page, fresh_server, "chair")
    open_page(page, fresh_server, CIRCULATIONS, interactive=True)
    _send_one_review(page)
    with _own_browser(browser) as voter:
        vote = _open_as(voter, fresh_server, "lived")
        vote.scroll_into_view_if_needed()  # axe checks the contrast of what is on screen only
        expect(vote.get_by_role("radio")).to_have_count(len(ANSWERS))
        expect(vote).to_contain_text(ANSWERS[0])
        _assert_none(_blocking_axe_findings(axe_scanner, voter, "circulation-vote-form", "lived",
                                            "lived_experience_member"))
