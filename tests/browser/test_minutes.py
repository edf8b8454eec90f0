"""Done when a chair downloads the approved minutes and the Easy Read minutes in a real browser, and both
read back with python-docx and open in LibreOffice; axe-core finds nothing serious on the Minutes page."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from operations.demo import demo_meeting_month
from rules.vocabulary import MeetingStatus
from tests.browser.axe_scan import AxeScanner
from tests.browser.support import WAIT_MS, choose, open_page, page_at, sign_in, wait_ready
from tests.browser.test_meeting_room import _no_blocking_axe_findings

pytestmark = pytest.mark.browser


def _download(page: Page, prepare: str, download: str, folder: Path) -> Path:
    page.get_by_role("button", name=prepare).click()
    button = page.get_by_role("button", name=download)
    expect(button).to_be_visible(timeout=WAIT_MS)
    with page.expect_download(timeout=WAIT_MS) as event:
        button.click()
    target = folder / event.value.suggested_filename
    event.value.save_as(target)
    return target


def _opens_in_libreoffice(path: Path, folder: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed: `.ci/run` installs libreoffice-writer-nogui")
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "pdf",
                    "--outdir", str(folder), str(path)], check=True, capture_output=True, timeout=180)
    pdf = path.with_suffix(".pdf")
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


def test_the_chair_downloads_approved_and_easy_read_minutes(page: Page, server: str, axe_scanner: AxeScanner,
                                                           tmp_path: Path) -> None:
    sign_in(page, server, "chair")
    open_page(page, server, page_at("minutes"), interactive=True)
    # the server's demo is seeded today, so the approved meeting's month moves with the calendar
    choose(page, "Meeting", demo_meeting_month(MeetingStatus.MINUTES_APPROVED, seeded_on=dt.date.today()))
    expect(page.get_by_role("listitem").filter(has_text="Approved and locked (now)")).to_be_visible(timeout=WAIT_MS)
    wait_ready(page)
    _no_blocking_axe_findings(axe_scanner, page, "minutes-approved", "chair")

    full = _download(page, "Prepare the minutes as a Word document", "Download the minutes (Word)", tmp_path)
    easy = _download(page, "Prepare the Easy Read minutes", "Download the Easy Read minutes (Word)", tmp_path)
    assert full.name.startswith("minutes-") and easy.name.startswith("minutes-easy-read-")
    minutes = [p.text for p in Document(str(full)).paragraphs]
    assert any(text.startswith("Approved at the meeting on") for text in minutes)
    easy_read = Document(str(easy))
    assert easy_read.paragraphs[0].text.startswith("What the panel decided on")
    assert easy_read.tables, "pictures and words side by side"
    _opens_in_libreoffice(full, tmp_path)
    _opens_in_libreoffice(easy, tmp_path)
