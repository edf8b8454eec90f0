"""The SMART builder and tracker in a real browser: the letters change in words as the chair writes, the
action is saved and shown, and axe-core finds nothing serious with the builder open."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe_scan import AxeScanner
from tests.browser.support import (
    WAIT_MS,
    choose,
    click_and_wait,
    open_page,
    page_at,
    rerun_expected,
    sign_in,
    type_and_leave,
)
from tests.browser.test_meeting_room import _alerts, _no_blocking_axe_findings

pytestmark = pytest.mark.browser


def _choose_review(page: Page, reference: str) -> None:
    """Open the builder and choose the review; its SMART letters appear, each still to be written."""
    page.get_by_text("Agree a new SMART action").click()
    choose(page, "Review the action comes from", reference)
    expect(page.get_by_text("S, Specific: fix me.")).to_be_visible(timeout=WAIT_MS)


def test_a_chair_agrees_a_smart_action_and_finds_it_on_the_tracker(page: Page, server: str,
                                                                     axe_scanner: AxeScanner) -> None:
    sign_in(page, server, "chair")
    open_page(page, server, page_at("actions"), interactive=True)
    _choose_review(page, f"LDR-{dt.date.today().year}-0110")
    _no_blocking_axe_findings(axe_scanner, page, "actions-builder", "chair")
    type_and_leave(page, "What will be done (start with a verb, say who it is for)", "Consider the hospital passport")
    expect(page.get_by_text("'consider' is vague")).to_be_visible(timeout=WAIT_MS)
    type_and_leave(page, "What will be done (start with a verb, say who it is for)",
          "Add the digital reasonable adjustment flag for everyone on the learning disability register")
    expect(page.get_by_text("S, Specific: passes.")).to_be_visible(timeout=WAIT_MS)
    choose(page, "The learning or concern it answers", "Area of concern")
    type_and_leave(page, "Owner (a named person or role; they may be outside the panel)", "Acute liaison nurse")
    type_and_leave(page, "Owner's organisation", "Northshire Hospitals (fictional)")
    with rerun_expected(page):
        page.get_by_text("Yes", exact=True).click()
    type_and_leave(page, "How will we know it is done? (a number, a percentage or the evidence)",
          "Flag set for 95% of people on the register, in the quarterly data")
    due = dt.date.today() + dt.timedelta(days=100)
    with rerun_expected(page):
        page.get_by_role("spinbutton", name="day, Due date").click()  # day, month and year boxes, in turn
        page.keyboard.type(due.strftime("%d%m%Y"))
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
    expect(page.get_by_text("T, Time-bound: passes.")).to_be_visible(timeout=WAIT_MS)
    click_and_wait(page, "Save the action")
    expect(_alerts(page).filter(has_text="The action is saved.")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_role("cell", name="Add the digital reasonable adjustment flag", exact=False)).to_be_visible()


def test_the_action_log_downloads_as_csv_and_excel_made_when_clicked(page: Page, server: str,
                                                                      tmp_path: Path) -> None:
    """The files are built on the click (a deferred download), not on every run of the page."""
    sign_in(page, server, "chair")
    open_page(page, server, page_at("actions"), interactive=True)
    saved = {}
    for label in ("Download as CSV", "Download as Excel"):
        with page.expect_download(timeout=WAIT_MS) as event:
            page.get_by_role("button", name=label).click()
        saved[label] = tmp_path / event.value.suggested_filename
        event.value.save_as(saved[label])
    rows = list(csv.reader(saved["Download as CSV"].read_text(encoding="utf-8-sig").splitlines(keepends=True)))
    assert rows[0][:2] == ["Review", "Action"]
    assert len(rows) > 2
    workbook = openpyxl.load_workbook(saved["Download as Excel"])
    assert workbook.active.max_row == len(rows)
