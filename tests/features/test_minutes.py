"""Minutes from the meeting record, as a Word document read back with python-docx and converted by
LibreOffice: headings in order, tables whose header row repeats, en-GB, page numbers, no identifiers."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from sqlalchemy import select

from db.session import Database
from documents.minutes_docx import clean_for_word, minutes_docx
from features.minutes.minutes import build_minutes
from features.panel_settings.panels import panel_rules, update_panel_rules
from rules.actors import Actor
from rules.errors import Invalid
from rules.vocabulary import MeetingStatus
from tests.conftest import DEMO_TODAY
from tests.features.conftest import meeting_with_status


def _docx(db: Database, actor: Callable[[str], Actor], status: MeetingStatus = MeetingStatus.HELD) -> bytes:
    with db.unit_of_work(read_only=True) as session:
        minutes = build_minutes(session=session, actor=actor("admin"), meeting_id=meeting_with_status(db, status),
                                today=DEMO_TODAY)
    return minutes_docx(minutes)


def test_the_held_meetings_minutes_read_back_with_structure(db: Database, actor: Callable[[str], Actor]) -> None:
    document = Document(io.BytesIO(_docx(db, actor)))
    styles = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Title", "Heading"))]
    assert styles[0] == ("Title", "Minutes: LeDeR Governance Panel, November 2026")
    headings = [text for style, text in styles if style == "Heading 1"]
    assert headings[0] == "Present and apologies" and headings[-1] == "Date of the next meeting"
    assert sum(h.startswith("Focused review LDR-") for h in headings) == 3
    assert {style for style, _ in styles} == {"Title", "Heading 1"}  # no level skipped
    assert document.core_properties.title.startswith("Minutes: ") and document.core_properties.language == "en-GB"
    language = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert language is not None and language.get(qn("w:val")) == "en-GB"
    assert document.tables, "each decided review has its SMART actions as a table"
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert table.rows[0].cells[0].text == "Action"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Vote (named): Sign off: 6" in text and "Decision: Signed off." in text
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert "PAGE" in document.sections[0].footer.paragraphs[0]._p.xml
    everything = text + " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert not re.search(r"(?<!\d)\d{10}(?!\d)|\d{3} \d{3} \d{4}", everything)


def test_the_panel_sets_the_protective_marking(db: Database, actor: Callable[[str], Actor]) -> None:
    admin = actor("admin")
    with db.unit_of_work() as session:
        rules = panel_rules(session=session, panel_id=admin.panel_id)
        update_panel_rules(session=session, actor=admin, quorum=rules.quorum, clock=rules.clock,
                           require_em_lead_view=rules.require_em_lead_view, expected_version=rules.version_id,
                           protective_marking="OFFICIAL")
    document = Document(io.BytesIO(_docx(db, actor)))
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL"
    with pytest.raises(Invalid, match="Write the protective marking"), db.unit_of_work() as session:
        rules = panel_rules(session=session, panel_id=admin.panel_id)
        update_panel_rules(session=session, actor=admin, quorum=rules.quorum, clock=rules.clock,
                           require_em_lead_view=rules.require_em_lead_view, expected_version=rules.version_id,
                           protective_marking="  ")


def test_libreoffice_opens_the_minutes(db: Database, actor: Callable[[str], Actor], tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed: `.ci/run` installs libreoffice-writer-nogui")
    path = tmp_path / "minutes.docx"
    path.write_bytes(_docx(db, actor))
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "minutes.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5_000


def test_minutes_need_attendance_and_refuse_identifiers(db: Database, actor: Callable[[str], Actor]) -> None:
    with pytest.raises(Invalid, match="No attendance has been recorded"), db.unit_of_work(read_only=True) as session:
        build_minutes(session=session, actor=actor("admin"),
                      meeting_id=meeting_with_status(db, MeetingStatus.PAPERS_CIRCULATED),
                      today=DEMO_TODAY)
    with db.unit_of_work() as session:
        from db.models import ReviewFinding

        finding = session.scalars(select(ReviewFinding).where(ReviewFinding.text.like("Constipation%"))).one()
        finding.text = "Mr Smith, NHS number 943 476 5919, born 3 May 1961, had constipation."
    with pytest.raises(Invalid, match=r"date of birth.*NHS number.*a person's name"), \
            db.unit_of_work(read_only=True) as session:
        build_minutes(session=session, actor=actor("admin"), meeting_id=meeting_with_status(db, MeetingStatus.HELD),
                      today=DEMO_TODAY)


@pytest.mark.parametrize("bad", ["NUL\x00", "tab\x0bvertical", "esc\x1b[31m", "odd\ufffe", "x" * 100_000])
def test_text_word_cannot_hold_is_cleaned_not_a_crash(bad: str) -> None:
    cleaned = clean_for_word(bad)
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe]", cleaned) and len(cleaned) <= 5_020
