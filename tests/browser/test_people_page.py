"""The secretariat adds a person: a mistake is explained in words and loses nothing; a good entry is saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.support import PEOPLE, WAIT_MS, open_page, save_screenshots, sign_in, wait_ready

pytestmark = pytest.mark.browser

NEW_USERNAME = "newmember"
NEW_NAME = "Alex Morgan"
BAD_EMAIL = "alex.morgan-at-nhs"
GOOD_EMAIL = "alex.morgan@nhs.net"
ROLE = "Panel member"
PASSWORD = "a-long-temporary-passphrase"
EMAIL_ERROR = "Enter an email address like name@nhs.net."


def _add_form(page: Page) -> Locator:
    return page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Add this person"))


def _field(form: Locator, label: str) -> Locator:
    return form.get_by_role("textbox", name=label, exact=True)


def _chosen_roles(form: Locator) -> Locator:
    return form.get_by_test_id("stMultiSelectTagsContainer").locator("span[title]")


def _choose_role(page: Page, form: Locator, role: str) -> None:
    """Open the Roles multiselect, pick one option and close the list again."""
    form.get_by_role("combobox", name="Roles").click()
    listbox = page.get_by_role("listbox", name="Roles")
    try:
        expect(listbox).to_be_visible(timeout=1_500)
    except AssertionError:
        # Straight after typing in another field of the form, a click only focuses the box; the
        # keyboard opens it, as it would for a person.
        page.keyboard.press("ArrowDown")
        expect(listbox).to_be_visible(timeout=WAIT_MS)
    listbox.get_by_role("option", name=role, exact=True).click()
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden(timeout=WAIT_MS)
    expect(_chosen_roles(form)).to_have_text([role])


def _people_table(page: Page) -> Locator:
    return page.get_by_test_id("stMain").locator("table").first


def test_secretariat_adds_a_person(page: Page, server: str) -> None:
    sign_in(page, server, "admin")
    open_page(page, server, PEOPLE, interactive=True)
    expect(_people_table(page).get_by_role("cell", name=NEW_USERNAME, exact=True)).to_have_count(0)

    form = _add_form(page)
    _field(form, "Username").fill(NEW_USERNAME)
    _field(form, "Full name").fill(NEW_NAME)
    _field(form, "Email address").fill(BAD_EMAIL)
    _choose_role(page, form, ROLE)
    _field(form, "Temporary password (leave empty to make one)").fill(PASSWORD)
    form.get_by_role("button", name="Add this person").click()

    # The mistake is explained in words, and nothing typed is lost.
    expect(page.get_by_text(EMAIL_ERROR)).to_be_visible(timeout=WAIT_MS)
    wait_ready(page)
    form = _add_form(page)
    expect(_field(form, "Username")).to_have_value(NEW_USERNAME)
    expect(_field(form, "Full name")).to_have_value(NEW_NAME)
    expect(_field(form, "Email address")).to_have_value(BAD_EMAIL)
    expect(_field(form, "Temporary password (leave empty to make one)")).to_have_value(PASSWORD)
    expect(_chosen_roles(form)).to_have_text([ROLE])
    expect(_people_table(page).get_by_role("cell", name=NEW_USERNAME, exact=True)).to_have_count(0)
    save_screenshots(page, "admin-people-add-bad-email")

    _field(form, "Email address").fill(GOOD_EMAIL)
    form.get_by_role("button", name="Add this person").click()
    expect(page.get_by_text(f"Added {NEW_NAME} as {NEW_USERNAME}.")).to_be_visible(timeout=WAIT_MS)
    wait_ready(page)
    expect(page.get_by_text(EMAIL_ERROR)).to_have_count(0)
    row = _people_table(page).get_by_role("row").filter(
        has=page.get_by_role("cell", name=NEW_USERNAME, exact=True)
    )
    expect(row).to_have_count(1)
    expect(row).to_contain_text(NEW_NAME)
    expect(row).to_contain_text(GOOD_EMAIL)
    expect(row).to_contain_text(ROLE)
    # The form is cleared for the next person.
    expect(_field(_add_form(page), "Username")).to_have_value("")
    save_screenshots(page, "admin-people-added")
