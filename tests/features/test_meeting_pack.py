"""The papers for a meeting, read back with python-docx: the meeting pack (cover, agenda in order, each
review's findings, the actions coming back, the last minutes for approval) and the Easy Read pack (large
text, each review's own summary); refused for personal data, the wrong role, another ICB and meetings that
have no papers; sending them is in the audit log with the date."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.shared import Pt
from sqlalchemy import select

from db.models import AgendaItem, FocusedReview, Meeting, ReviewFinding
from db.session import Database
from documents.meeting_pack_docx import papers_docx
from features.audit.audit import audit_trail
from features.meetings.calendar import cancel_meeting
from features.meetings.meetings import add_review_to_agenda, advance_status, create_meeting
from features.meetings.pack import MeetingPapers, papers_record, send_papers
from features.minutes.workflow import circulate_minutes, minutes_state
from rules.actors import Actor
from rules.errors import Invalid, NotAllowed, NotFound
from rules.vocabulary import MeetingKind, MeetingStatus, ReviewStatus
from tests.conftest import DEMO_TODAY
from tests.features.conftest import meeting_with_status

SENT_AT = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)  # Tuesday 24 November 2026, 9am in London
PAPERS = "papers circulated"


def _send(db: Database, who: Actor, meeting_id: int, now: dt.datetime = SENT_AT) -> MeetingPapers:
    with db.unit_of_work() as session:
        return send_papers(session=session, actor=who, meeting_id=meeting_id, now=now)


def _upcoming(db: Database) -> int:
    return meeting_with_status(db, MeetingStatus.PAPERS_CIRCULATED)


def _circulate_last_minutes(db: Database, admin: Actor) -> None:
    held = meeting_with_status(db, MeetingStatus.HELD)
    with db.unit_of_work() as session:
        version = minutes_state(session=session, actor=admin, meeting_id=held).version_id
        circulate_minutes(session=session, actor=admin, meeting_id=held, expected_version=version, now=SENT_AT)


def _read(payload: bytes) -> WordDocument:
    return Document(io.BytesIO(payload))


def _texts(document: WordDocument) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def _papers_events(db: Database, who: Actor) -> list:
    with db.unit_of_work(read_only=True) as session:
        return [e for e in audit_trail(session=session, actor=who) if e.action == PAPERS]


def test_the_meeting_pack_reads_back_in_agenda_order_with_every_part(
        db: Database, actor: Callable[[str], Actor]) -> None:
    admin = actor("admin")
    _circulate_last_minutes(db, admin)
    papers = _send(db, admin, _upcoming(db))
    document = _read(papers_docx(papers, easy_read=False))
    texts = _texts(document)
    assert texts[0] == "Meeting pack: LeDeR Governance Panel, December 2026"
    cover = texts[1:texts.index("Agenda")]
    assert cover[:2] == [admin.icb_name, admin.panel_name]
    assert "When: Monday 7 December 2026 at 10am (UK time)" in cover
    assert "Papers for members: confidential" in cover and any(line.startswith("Where: Room 2") for line in cover)
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    assert document.core_properties.language == "en-GB"

    agenda = texts[texts.index("Agenda") + 1:texts.index("Agenda") + 8]
    assert [line.split(". ", 1)[0] for line in agenda] == [str(n) for n in range(1, 8)]
    assert agenda[0] == "1. Welcome and apologies" and agenda[-1] == "7. Any other business"
    references = [line.split("Focused review ")[1] for line in agenda if "Focused review" in line]
    assert len(references) == 3
    review_headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1" and "Focused" in p.text]
    assert review_headings == [f"Item {n}. Focused review {ref}" for n, ref in zip((4, 5, 6), references, strict=True)]

    with db.unit_of_work(read_only=True) as session:
        for reference in references:
            review = session.scalars(select(FocusedReview).where(FocusedReview.reference == reference)).one()
            for finding in review.findings:
                assert any(text.startswith(finding.text) for text in texts), finding.text
            assert f"Age band: {review.age_band}" in texts and f"Setting: {review.setting_type}" in texts
    assert "Areas of learning" in texts and "Good practice" in texts and "Areas of concern" in texts
    assert any("(Themes: Ethnicity and inequalities.)" in text for text in texts)
    assert any(text.startswith("Flagged for the ethnic minority lead") and "needed before the panel signs" in text
               for text in texts)
    assert any(text.startswith("Six-month clock: ") for text in texts)

    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Review", "Action", "Owner and organisation", "Due", "Status"]
    statuses = [row.cells[4].text for row in table.rows[1:]]
    assert statuses and any(s.endswith("(overdue)") for s in statuses)

    last = texts.index("Minutes of the last meeting, for approval")
    assert texts[last + 1].startswith("The draft minutes of the meeting on Monday 16 November 2026")
    assert "Draft circulated to the panel for comment: not yet approved." in texts[last:]
    minutes_headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "Present and apologies" in minutes_headings and "Date of the next meeting" in minutes_headings
    levels = {p.style.name for p in document.paragraphs if p.style.name.startswith(("Title", "Heading"))}
    assert levels <= {"Title", "Heading 1", "Heading 2", "Heading 3"}
    everything = "\n".join(texts) + " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert not re.search(r"(?<!\d)\d{10}(?!\d)|\d{3} \d{3} \d{4}", everything)


def test_without_circulated_minutes_the_pack_says_they_are_not_available(
        db: Database, actor: Callable[[str], Actor]) -> None:
    texts = _texts(_read(papers_docx(_send(db, actor("chair"), _upcoming(db)), easy_read=False)))
    last = texts.index("Minutes of the last meeting, for approval")
    assert texts[last + 1] == ("The minutes of the meeting on Monday 16 November 2026 are not available yet: they "
                               "have not been circulated for comment. They will be sent separately for approval.")
    assert last + 2 == len(texts), "nothing of the draft is in the pack"


def test_the_easy_read_pack_is_large_text_with_each_reviews_own_summary(
        db: Database, actor: Callable[[str], Actor]) -> None:
    meeting_id = _upcoming(db)
    with db.unit_of_work() as session:
        references = session.scalars(select(FocusedReview.reference)
                                     .join(AgendaItem, AgendaItem.review_id == FocusedReview.id)
                                     .where(AgendaItem.meeting_id == meeting_id)
                                     .order_by(AgendaItem.position)).all()
        without = session.scalars(select(FocusedReview).where(FocusedReview.reference == references[0])).one()
        without.easy_read_summary = ""
        summaries = {r: s for r, s in session.execute(
            select(FocusedReview.reference, FocusedReview.easy_read_summary)
            .where(FocusedReview.reference.in_(references)))}
    document = _read(papers_docx(_send(db, actor("admin"), meeting_id), easy_read=True))
    assert document.paragraphs[0].text == "Papers for the meeting on Monday 7 December 2026"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["About this meeting", "What you will be asked to do"]
    assert [h for h in headings if h.startswith("Review ")] == [f"Review {r}" for r in references]
    cells = [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    assert "There is no Easy Read summary for this review yet." in cells
    for reference in references[1:]:
        first = summaries[reference].split(". ")[0]
        assert any(first in text for text in cells), reference
    assert "Then tell us what you think before the meeting." in cells
    assert "At the meeting, you can vote on each review." in cells
    assert document.styles["Normal"].font.size >= Pt(14)
    sizes = [run.font.size for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs
             for run in p.runs if run.font.size is not None]
    assert all(size >= Pt(14) for size in sizes)
    pictures = document.inline_shapes
    assert len(pictures) >= len(references) and all(s._inline.docPr.get("descr") for s in pictures)


def test_personal_data_refuses_both_packs_and_nothing_is_marked(db: Database, actor: Callable[[str], Actor]) -> None:
    admin = actor("admin")
    meeting_id = _upcoming(db)
    with db.unit_of_work() as session:
        finding = session.scalars(select(ReviewFinding).join(FocusedReview)
                                  .where(FocusedReview.reference == "LDR-2026-0109")).first()
        finding.text = "Mr Smith, NHS number 943 476 5919, had his medicine continued."
    with pytest.raises(Invalid, match=r"The meeting pack were not exported.*LDR-2026-0109.*NHS number"):
        _send(db, admin, meeting_id)
    assert _papers_events(db, admin) == []
    with db.unit_of_work(read_only=True) as session:
        assert papers_record(session=session, actor=admin, meeting_id=meeting_id) is None


@pytest.mark.parametrize("who", ["member", "lived", "reviewer", "observer"])
def test_only_the_secretariat_and_chairs_send_the_papers(db: Database, actor: Callable[[str], Actor],
                                                        who: str) -> None:
    with pytest.raises(NotAllowed, match="Your role on the panel does not allow this"):
        _send(db, actor(who), _upcoming(db))


def test_another_icbs_meeting_is_not_found(db: Database, actor: Callable[[str], Actor]) -> None:
    with pytest.raises(NotFound, match="not on your panel's calendar"):
        _send(db, actor("southadmin"), _upcoming(db))
    assert _papers_events(db, actor("admin")) == [] and _papers_events(db, actor("southadmin")) == []


def test_cancelled_started_empty_and_circulation_meetings_have_no_papers(
        db: Database, actor: Callable[[str], Actor]) -> None:
    admin = actor("admin")
    with pytest.raises(Invalid, match=r"already started .its status is 'Held, minutes to write'"):
        _send(db, admin, meeting_with_status(db, MeetingStatus.HELD))
    with db.unit_of_work() as session:
        empty = create_meeting(session=session, actor=admin, meeting_date=dt.date(2027, 1, 18),
                               start_time=dt.time(14, 0), location="Room 4", online_link="", today=DEMO_TODAY)
        circulation = Meeting(panel_id=admin.panel_id, title="Decision by circulation", kind=MeetingKind.CIRCULATION,
                              meeting_date=dt.date(2026, 12, 1), status=MeetingStatus.PLANNED)
        session.add(circulation)
        session.flush()
        circulation_id = circulation.id
    with pytest.raises(Invalid, match="Add at least one focused review to the agenda before sending the papers"):
        _send(db, admin, empty)
    with pytest.raises(NotFound, match="A decision by circulation has no papers pack"):
        _send(db, admin, circulation_id)
    upcoming = _upcoming(db)
    with db.unit_of_work() as session:
        version = session.get_one(Meeting, upcoming).version_id
        cancel_meeting(session=session, actor=admin, meeting_id=upcoming, reason="Not enough members can come.",
                       expected_version=version)
    with pytest.raises(Invalid, match="The meeting on Monday 7 December 2026 is cancelled"):
        _send(db, admin, upcoming)
    assert _papers_events(db, admin) == []


def test_sending_the_papers_is_in_the_audit_log_with_the_date(db: Database, actor: Callable[[str], Actor]) -> None:
    admin = actor("admin")
    meeting_id = _upcoming(db)
    papers = _send(db, admin, meeting_id)
    assert papers.circulated_on == dt.date(2026, 11, 24)
    [event] = _papers_events(db, admin)
    assert event.who == admin.name and event.subject == f"meeting {meeting_id}"
    assert event.description.startswith("Papers circulated on Tuesday 24 November 2026 for the meeting on Monday 7 "
                                         "December 2026: the meeting pack and the Easy Read pack, 3 focused reviews")
    with db.unit_of_work(read_only=True) as session:
        record = papers_record(session=session, actor=admin, meeting_id=meeting_id)
    assert record is not None and record.in_words == "Papers circulated on Tuesday 24 November 2026."
    _send(db, actor("chair"), meeting_id, now=SENT_AT + dt.timedelta(days=2))
    with db.unit_of_work(read_only=True) as session:
        record = papers_record(session=session, actor=admin, meeting_id=meeting_id)
    assert record is not None and record.times == 2
    assert record.in_words == "Papers circulated on Tuesday 24 November 2026; sent again on Thursday 26 November 2026."


def test_a_planned_meeting_moves_to_papers_circulated(db: Database, actor: Callable[[str], Actor]) -> None:
    admin = actor("admin")
    with db.unit_of_work() as session:
        meeting_id = create_meeting(session=session, actor=admin, meeting_date=dt.date(2027, 1, 18),
                                    start_time=dt.time(14, 30), location="", online_link="https://example.org/j",
                                    today=DEMO_TODAY)
        ready = session.scalars(select(FocusedReview.id).where(FocusedReview.panel_id == admin.panel_id,
                                                               FocusedReview.status == ReviewStatus.READY_FOR_PANEL)
                                .order_by(FocusedReview.id)).first()
        add_review_to_agenda(session=session, actor=admin, meeting_id=meeting_id, review_id=ready)
    papers = _send(db, admin, meeting_id)
    assert "When: Monday 18 January 2027 at 2:30pm (UK time)" in papers.pack.cover
    assert "Where: online (the link is in the calendar invite)" in papers.pack.cover
    with db.unit_of_work() as session:
        meeting = session.get_one(Meeting, meeting_id)
        assert meeting.status == MeetingStatus.PAPERS_CIRCULATED
        advance_status(session=session, actor=admin, meeting_id=meeting_id, expected_version=meeting.version_id)
    with pytest.raises(Invalid, match=r"already started .its status is 'In progress'"):
        _send(db, admin, meeting_id)


def test_libreoffice_opens_both_packs(db: Database, actor: Callable[[str], Actor], tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed: `.ci/run` installs libreoffice-writer-nogui")
    papers = _send(db, actor("admin"), _upcoming(db))
    for name, easy_read in (("pack", False), ("easy-read-pack", True)):
        (tmp_path / f"{name}.docx").write_bytes(papers_docx(papers, easy_read=easy_read))
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "pack.docx"), str(tmp_path / "easy-read-pack.docx")],
                   check=True, capture_output=True, timeout=240)
    for name in ("pack", "easy-read-pack"):
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5_000
    reader = shutil.which("pdftotext")
    assert reader, "pdftotext reads the PDF back: install poppler-utils (.ci/run does)"
    words = " ".join(subprocess.run([reader, "-layout", str(tmp_path / "pack.pdf"), "-"], check=True,
                                    capture_output=True, text=True, timeout=60).stdout.split())
    assert "Papers for members: confidential" in words and "OFFICIAL-SENSITIVE" in words and "Page 2" in words
