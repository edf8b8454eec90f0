"""The minutes as an accessible Word document (python-docx): real heading styles in order, document
language en-GB, title and author in the core properties, tables whose header row repeats on each page,
page numbers, and the panel's protective marking at the top of every page.

Text is cleaned of characters Word cannot hold (control characters, U+FFFE), never a crash.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shape import InlineShape
from docx.shared import Cm, Emu, Length, Pt
from docx.table import _Row
from docx.text.paragraph import Paragraph

from features.minutes.minutes import Minutes, MinutesSection

LANGUAGE = "en-GB"
AUTHOR = "LeDeR governance panel"
MAX_CELL_CHARS = 5000
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21), Cm(29.7), Cm(2.5)  # A4, as NHS papers are
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
CHAR_WIDTH = Cm(0.24)  # a bold 12 pt character, generously
WIDE_CELL_CHARS = 60  # beyond this a cell wraps whatever its column's width
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_for_word(text: str) -> str:
    """Drop what XML 1.0 cannot hold, and cut text too long to read in a cell or paragraph."""
    value = _NOT_IN_XML.sub("", text)
    return value if len(value) <= MAX_CELL_CHARS else value[:MAX_CELL_CHARS] + " [shortened]"


def set_language(document: WordDocument) -> None:
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
        run_properties = document.styles[style_name].element.get_or_add_rPr()
        language = OxmlElement("w:lang")
        language.set(qn("w:val"), LANGUAGE)
        run_properties.append(language)


def page_number_field(paragraph: Paragraph) -> None:
    """'Page N' with a real PAGE field, so Word and LibreOffice number the pages themselves."""
    paragraph.add_run("Page ")
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        else:
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)


def set_alt_text(shape: InlineShape, alt: str, *, name: str) -> None:
    """The picture's text alternative where screen readers and Word's checker look for it (docPr descr and
    title, and the picture's own cNvPr)."""
    text = clean_for_word(alt)
    properties = shape._inline.docPr
    properties.set("name", name)
    properties.set("descr", text)
    properties.set("title", text)
    for picture_properties in shape._inline.xpath(".//pic:cNvPr"):
        picture_properties.set("descr", text)


def _repeat_header_row(row: _Row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def column_widths(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[Length]:
    """The text width shared out so that each column's longest word fits on a line (a reference such as
    LDR-2026-0107 is never broken), and what is left goes to the columns holding sentences."""
    columns = [(text, *(row[n] for row in rows)) for n, text in enumerate(header)]
    longest_word = [max((len(word) for cell in column for word in cell.split()), default=1) for column in columns]
    least = [CHAR_WIDTH * chars for chars in longest_word]
    room = [max(min(max(len(cell) for cell in column), WIDE_CELL_CHARS) - chars, 0)
            for column, chars in zip(columns, longest_word, strict=True)]
    spare = TEXT_WIDTH - sum(least)
    if spare <= 0 or not sum(room):
        scale = TEXT_WIDTH / sum(least)
        return [Emu(int(width * scale)) for width in least]
    return [Emu(int(width + spare * extra / sum(room))) for width, extra in zip(least, room, strict=True)]


def write_table(document: WordDocument, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A full-width grid whose bold header row repeats at the top of each page."""
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.autofit = False
    for cell, text in zip(grid.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(clean_for_word(text)).bold = True
    _repeat_header_row(grid.rows[0])
    for values in rows:
        for cell, text in zip(grid.add_row().cells, values, strict=True):
            cell.text = clean_for_word(text)
    for column, width in zip(grid.columns, column_widths(header, rows), strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def start_document(*, title: str, marking: str) -> WordDocument:
    """A document in the minutes' house style: en-GB, 12 pt text, title and author set, the protective
    marking at the top of every page and the page number at the foot."""
    document = Document()
    set_language(document)
    document.styles["Normal"].font.size = Pt(12)
    properties = document.core_properties
    properties.title, properties.author, properties.language = clean_for_word(title), AUTHOR, LANGUAGE
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    header = section.header.paragraphs[0]
    header.text = clean_for_word(marking)
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_number_field(footer)
    document.add_heading(clean_for_word(title), level=0)
    return document


def saved(document: WordDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_section(document: WordDocument, section: MinutesSection, level: int) -> None:
    """One part of the minutes and its subsections, a heading level down each time (the meeting pack
    nests the last minutes one level lower)."""
    document.add_heading(clean_for_word(section.heading), level=level)
    narrative = [part.strip() for part in section.narrative.split("\n\n") if part.strip()]
    for paragraph in (*section.paragraphs, *narrative, *section.outcome):
        document.add_paragraph(clean_for_word(paragraph))
    if section.table:
        write_table(document, section.table.header, section.table.rows)
    for sub in section.subsections:
        write_section(document, sub, level + 1)


def minutes_docx(minutes: Minutes) -> bytes:
    document = start_document(title=minutes.title, marking=minutes.marking)
    document.add_paragraph(clean_for_word(f"{minutes.panel}, {minutes.icb}. {minutes.when}. {minutes.where}."))
    if minutes.status_line:
        document.add_paragraph().add_run(clean_for_word(minutes.status_line)).bold = True
    for part in minutes.sections:
        write_section(document, part, 1)
    if minutes.history:
        write_section(document, MinutesSection("Versions of these minutes", minutes.history), 1)
    return saved(document)
