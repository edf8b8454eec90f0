"""The minutes as an accessible Word document (python-docx): real heading styles in order, document
language en-GB, title and author in the core properties, tables whose header row repeats on each page,
page numbers, and the panel's protective marking at the top of every page.

Text is cleaned of characters Word cannot hold (control characters, U+FFFE), never a crash.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import _Row
from docx.text.paragraph import Paragraph

from features.minutes.minutes import Minutes, MinutesSection, MinutesTable

LANGUAGE = "en-GB"
AUTHOR = "LeDeR governance panel"
MAX_CELL_CHARS = 5000
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


def _repeat_header_row(row: _Row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _table(document: WordDocument, table: MinutesTable) -> None:
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(clean_for_word(text)).bold = True
    _repeat_header_row(grid.rows[0])
    for values in table.rows:
        for cell, text in zip(grid.add_row().cells, values, strict=True):
            cell.text = clean_for_word(text)


def _section(document: WordDocument, section: MinutesSection, level: int) -> None:
    document.add_heading(clean_for_word(section.heading), level=level)
    narrative = [part.strip() for part in section.narrative.split("\n\n") if part.strip()]
    for paragraph in (*section.paragraphs, *narrative, *section.outcome):
        document.add_paragraph(clean_for_word(paragraph))
    if section.table:
        _table(document, section.table)
    for sub in section.subsections:
        _section(document, sub, level + 1)


def minutes_docx(minutes: Minutes) -> bytes:
    document = Document()
    set_language(document)
    document.styles["Normal"].font.size = Pt(12)
    properties = document.core_properties
    properties.title, properties.author, properties.language = clean_for_word(minutes.title), AUTHOR, LANGUAGE
    section = document.sections[0]
    marking = section.header.paragraphs[0]
    marking.text = clean_for_word(minutes.marking)
    marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_number_field(footer)
    document.add_heading(clean_for_word(minutes.title), level=0)
    document.add_paragraph(clean_for_word(f"{minutes.panel}, {minutes.icb}. {minutes.when}. {minutes.where}."))
    if minutes.status_line:
        document.add_paragraph().add_run(clean_for_word(minutes.status_line)).bold = True
    for part in minutes.sections:
        _section(document, part, 1)
    if minutes.history:
        _section(document, MinutesSection("Versions of these minutes", minutes.history), 1)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
