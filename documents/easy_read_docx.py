"""The Easy Read minutes as a Word document: big clear text, real headings, and each block of short
sentences beside a picture that has its text alternative.

It follows the usual Easy Read layout: a narrow column of pictures on the left and the words on the right,
in a table with no borders, 16 pt sans-serif text with space between lines, left aligned, never justified.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Length, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell, _Row

from documents.minutes_docx import (
    AUTHOR,
    LANGUAGE,
    clean_for_word,
    page_number_field,
    saved,
    set_alt_text,
    set_language,
)
from features.minutes.easy_read import ICONS, EasyReadBlock, EasyReadMinutes, EasyReadSection
from rules.errors import Invalid

ICON_FOLDER = Path(__file__).resolve().parent.parent / "assets" / "icons"
FONT = "Arial"
INK = RGBColor(0x21, 0x2B, 0x32)  # near-black: high contrast without the glare of pure black
BODY_SIZE = Pt(16)
SIZES = {"Normal": BODY_SIZE, "Header": BODY_SIZE, "Footer": BODY_SIZE, "Title": Pt(28), "Heading 1": Pt(22)}
PICTURE_WIDTH = Cm(2.5)
PICTURE_COLUMN = Cm(3.2)
WORDS_COLUMN = Cm(12.8)  # with the picture column, the 16 cm between A4 margins of 2.5 cm
BORDERS = ("top", "left", "bottom", "right", "insideH", "insideV")
# What may follow tblBorders inside tblPr: Word refuses a file whose elements are out of schema order.
TBLPR_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
                       "w:tblPrChange")


def _set_font(style: ParagraphStyle, size: Length, *, bold: bool = False) -> None:
    """Arial for every script; the template's theme fonts would otherwise win over the name in Word."""
    style.font.name, style.font.size, style.font.bold, style.font.color.rgb = FONT, size, bold, INK
    run_properties = style.element.get_or_add_rPr()
    fonts = run_properties.get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), FONT)
    complex_size = run_properties.find(qn("w:szCs"))
    if complex_size is None:
        complex_size = OxmlElement("w:szCs")
        run_properties.find(qn("w:sz")).addnext(complex_size)
    complex_size.set(qn("w:val"), str(int(size.pt * 2)))  # the size for right-to-left and other scripts


def _set_styles(document: WordDocument) -> None:
    """Easy Read sizes and spacing on the styles themselves, so a reader's changes in Word carry through."""
    for name, size in SIZES.items():
        style = document.styles[name]
        _set_font(style, size, bold=name in ("Title", "Heading 1"))
        layout = style.paragraph_format
        layout.alignment = WD_ALIGN_PARAGRAPH.LEFT
        layout.line_spacing = 1.5 if name == "Normal" else 1.15
        layout.space_after = Pt(12) if name in ("Normal", "Title", "Heading 1") else Pt(0)
    document.styles["Heading 1"].paragraph_format.space_before = Pt(24)
    set_language(document)


def _page_setup(document: WordDocument, marking: str) -> None:
    """A4 with the marking centred at the top of every page and 'Page N' at the foot."""
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2.5)
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(clean_for_word(marking)).bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_number_field(footer)


def _no_borders(table: Table) -> None:
    """Said outright in tblBorders, so neither Word nor LibreOffice falls back to a style's grid lines."""
    borders = OxmlElement("w:tblBorders")
    for edge in BORDERS:
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "nil")
        borders.append(line)
    table._tbl.tblPr.insert_element_before(borders, *TBLPR_AFTER_BORDERS)


def _fixed_widths(table: Table) -> None:
    """Word reads each cell's width and LibreOffice the grid's, so both are set; the layout is fixed."""
    table.autofit = False
    total = table._tbl.tblPr.find(qn("w:tblW"))
    total.set(qn("w:type"), "dxa")
    total.set(qn("w:w"), str(Emu(PICTURE_COLUMN + WORDS_COLUMN).twips))
    for column, width in zip(table.columns, (PICTURE_COLUMN, WORDS_COLUMN), strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _keep_row_whole(row: _Row) -> None:
    """A picture is never parted from its words by a page break."""
    properties = row._tr.get_or_add_trPr()
    whole = OxmlElement("w:cantSplit")
    whole.set(qn("w:val"), "true")
    properties.append(whole)


def _icon_path(key: str) -> Path:
    if key not in ICONS:
        raise Invalid(f"The Easy Read minutes ask for a picture called '{key}', which the app does not have.")
    path = ICON_FOLDER / f"{key}.png"
    if not path.is_file():
        raise Invalid(f"The picture '{ICONS[key]}' is missing (assets/icons/{key}.png), so the Easy Read "
                      "minutes could not be made. Run `python -m scripts.draw_icons` to draw the pictures again.")
    return path


def _picture(cell: _Cell, block: EasyReadBlock) -> None:
    """The picture, with its text alternative where screen readers look for it (docPr descr and title)."""
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.line_spacing = 1.0
    paragraph.paragraph_format.space_after = Pt(12)  # a gap before the next row's picture
    shape = paragraph.add_run().add_picture(str(_icon_path(block.icon)), width=PICTURE_WIDTH)
    set_alt_text(shape, block.alt, name=f"{block.icon} picture")


def _words(cell: _Cell, block: EasyReadBlock) -> None:
    """One paragraph for each sentence, so each starts on its own line."""
    for index, sentence in enumerate(block.sentences):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.add_run(clean_for_word(sentence))


def _section(document: WordDocument, section: EasyReadSection) -> None:
    document.add_heading(clean_for_word(section.heading), level=1)
    if not section.blocks:
        return
    table = document.add_table(rows=len(section.blocks), cols=2)
    _no_borders(table)
    _fixed_widths(table)
    for row, block in zip(table.rows, section.blocks, strict=True):
        _keep_row_whole(row)
        picture, words = row.cells
        picture.vertical_alignment = words.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        _picture(picture, block)
        _words(words, block)


def easy_read_docx(minutes: EasyReadMinutes) -> bytes:
    """The finished .docx, ready to send to panel members and families."""
    document = Document()
    _set_styles(document)
    properties = document.core_properties
    properties.title, properties.author, properties.language = clean_for_word(minutes.title), AUTHOR, LANGUAGE
    _page_setup(document, minutes.marking)
    document.add_heading(clean_for_word(minutes.title), level=0)
    for section in minutes.sections:
        _section(document, section)
    return saved(document)
