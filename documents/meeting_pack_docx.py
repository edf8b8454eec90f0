"""The meeting pack as a Word document, in the minutes' house style (documents/minutes_docx.py): a cover
page, the agenda, one section per focused review, the actions coming back and the last minutes for
approval, their own headings one level down. The Easy Read pack is written by documents/easy_read_docx.py.
"""

from __future__ import annotations

from docx.document import Document as WordDocument
from docx.enum.text import WD_BREAK

from documents.easy_read_docx import easy_read_docx
from documents.minutes_docx import clean_for_word, saved, start_document, write_section, write_table
from features.meetings.pack import ACTION_COLUMNS, CONFIDENTIAL, MeetingPack, MeetingPapers, PackFinding, PackReview

FINDING_HEADINGS = ("Areas of learning", "Good practice", "Areas of concern")


def _cover(document: WordDocument, pack: MeetingPack) -> None:
    """ICB, panel, when and where, and that the papers are confidential; then a new page."""
    for line in pack.cover:
        document.add_paragraph().add_run(clean_for_word(line)).bold = line == CONFIDENTIAL
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _findings(document: WordDocument, heading: str, findings: tuple[PackFinding, ...]) -> None:
    document.add_heading(heading, level=2)
    if not findings:
        document.add_paragraph("None recorded.")
    for finding in findings:
        document.add_paragraph(clean_for_word(finding.line), style="List Bullet")


def _review(document: WordDocument, review: PackReview) -> None:
    document.add_heading(clean_for_word(f"Item {review.position}. Focused review {review.reference}"), level=1)
    for what, value in review.facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{what}: ").bold = True
        paragraph.add_run(clean_for_word(value))
    document.add_heading("Summary", level=2)
    for part in (p.strip() for p in review.summary.split("\n\n")):
        if part:
            document.add_paragraph(clean_for_word(part))
    for heading, findings in zip(FINDING_HEADINGS, (review.learning, review.good_practice, review.concerns),
                                 strict=True):
        _findings(document, heading, findings)
    document.add_heading("Ethnic minority lead", level=2)
    document.add_paragraph(clean_for_word(review.ethnicity_note))


def meeting_pack_docx(pack: MeetingPack) -> bytes:
    """The pack members read before the meeting, ready to send."""
    document = start_document(title=pack.title, marking=pack.marking)
    _cover(document, pack)
    document.add_heading("Agenda", level=1)
    for line in pack.agenda:
        document.add_paragraph(clean_for_word(line))
    for review in pack.reviews:
        _review(document, review)
    document.add_heading("Actions coming back to this meeting", level=1)
    document.add_paragraph(clean_for_word(pack.actions_note))
    if pack.actions:
        write_table(document, ACTION_COLUMNS, pack.actions)
    document.add_heading("Minutes of the last meeting, for approval", level=1)
    document.add_paragraph(clean_for_word(pack.previous.note))
    minutes = pack.previous.minutes
    if minutes is not None:
        if minutes.status_line:
            document.add_paragraph().add_run(clean_for_word(minutes.status_line)).bold = True
        for section in minutes.sections:
            write_section(document, section, 2)
    return saved(document)


def papers_docx(papers: MeetingPapers, *, easy_read: bool) -> bytes:
    """One of the two packs as a Word file: the page and the command line write them the same way."""
    return easy_read_docx(papers.easy_read) if easy_read else meeting_pack_docx(papers.pack)
