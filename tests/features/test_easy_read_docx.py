"""The Easy Read minutes as a Word document, built from hand-made minutes (no database) and read back with
python-docx: big text, headings in order, pictures with text alternatives beside the words, no table borders,
en-GB, the marking and page numbers; and LibreOffice opens it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

from documents import easy_read_docx as module
from documents.easy_read_docx import ICON_FOLDER, easy_read_docx
from features.minutes.easy_read import ICONS, EasyReadBlock, EasyReadMinutes, EasyReadSection
from rules.errors import Invalid

DIRTY = "The panel\x00 agreed\x0b the review\x1b[31m was done\ufffe well."
MINUTES = EasyReadMinutes(
    title="What the panel decided on 7 December 2026",
    marking="OFFICIAL-SENSITIVE",
    sections=(
        EasyReadSection("About this meeting", (
            EasyReadBlock("meeting", ("The LeDeR panel met on 7 December 2026.", "9 people came to the meeting.")),
            EasyReadBlock("review", ("Each review has a number, not the person's name.",)),
        )),
        EasyReadSection("Review LDR-2026-0042", (
            EasyReadBlock("good", ("The review found 3 things that went well.",)),
            EasyReadBlock("vote", ("7 panel members voted.",)),
            EasyReadBlock("signed_off", (DIRTY,)),
            EasyReadBlock("action", ("There are 2 jobs to do now.", "A service will do a job by 31 January 2027.")),
        )),
    ),
)
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return easy_read_docx(MINUTES)


@pytest.fixture
def document(docx_bytes: bytes):
    return Document(io.BytesIO(docx_bytes))


def _all_paragraphs(document) -> list:
    """Body, table cells, header and footer: everything a reader sees."""
    section = document.sections[0]
    cells = [p for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return [*document.paragraphs, *cells, *section.header.paragraphs, *section.footer.paragraphs]


def _style_size(style) -> float | None:
    while style is not None:
        if style.font.size is not None:
            return style.font.size.pt
        style = style.base_style
    return None


def _default_size(document) -> float:
    size = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}")
    return int(size.get(qn("w:val"))) / 2 if size is not None else 10.0  # Word's own default is 10 pt


def _effective_size(document, paragraph, run) -> float:
    """What Word shows: the run's own size, else its character style's, else the paragraph style's chain."""
    if run.font.size is not None:
        return run.font.size.pt
    return _style_size(run.style) or _style_size(paragraph.style) or _default_size(document)


def test_title_then_section_headings_in_order(document) -> None:
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Title", "Heading"))]
    assert headings == [("Title", MINUTES.title), ("Heading 1", "About this meeting"),
                        ("Heading 1", "Review LDR-2026-0042")]
    for name in ("Title", "Heading 1"):
        style = document.styles[name]
        assert style.font.bold and style.font.size >= Pt(20)


def test_text_is_big_left_aligned_and_well_spaced(document) -> None:
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16) and normal.font.name == "Arial"
    assert normal.paragraph_format.line_spacing == 1.5 and normal.paragraph_format.space_after >= Pt(6)
    runs = [(p, r) for p in _all_paragraphs(document) for r in p.runs]
    assert len(runs) > 10
    small = [(r.text, _effective_size(document, p, r)) for p, r in runs if _effective_size(document, p, r) < 14]
    assert small == []
    assert all(p.alignment != WD_ALIGN_PARAGRAPH.JUSTIFY for p in _all_paragraphs(document))
    assert all(document.styles[name].paragraph_format.alignment != WD_ALIGN_PARAGRAPH.JUSTIFY
               for name in ("Normal", "Title", "Heading 1"))


def test_each_section_is_a_borderless_table_of_pictures_beside_words(document) -> None:
    assert len(document.tables) == len(MINUTES.sections)
    for table, section in zip(document.tables, MINUTES.sections, strict=True):
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert borders is not None and len(borders) == 6
        assert {edge.get(qn("w:val")) for edge in borders} <= {"nil", "none"}
        grid = [int(column.get(qn("w:w"))) for column in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert len(grid) == 2 and grid[0] * 3 < grid[1]
        assert len(table.rows) == len(section.blocks)
        for row, block in zip(table.rows, section.blocks, strict=True):
            picture, words = row.cells
            assert len(picture._tc.xpath(".//pic:pic")) == 1 and picture.text.strip() == ""
            assert words._tc.xpath(".//pic:pic") == []
            assert [p.text for p in words.paragraphs] == [CONTROL.sub("", s) for s in block.sentences]


def test_every_picture_has_its_text_alternative(document) -> None:
    expected = [block.alt for section in MINUTES.sections for block in section.blocks]
    described = document.element.body.xpath(".//wp:docPr")
    assert [d.get("descr") for d in described] == expected
    assert all(d.get("title") == d.get("descr") and d.get("name") for d in described)
    assert all(ICONS[block.icon] == block.alt for section in MINUTES.sections for block in section.blocks)


def test_language_properties_marking_and_page_numbers(document) -> None:
    languages = {lang.get(qn("w:val")) for lang in document.styles.element.iter(qn("w:lang"))
                 if lang.get(qn("w:val"))}
    assert "en-GB" in languages and document.styles["Normal"].element.rPr.find(qn("w:lang")) is not None
    properties = document.core_properties
    assert properties.language == "en-GB" and properties.title == MINUTES.title
    assert properties.author == "LeDeR governance panel"
    header = document.sections[0].header.paragraphs[0]
    assert header.text == "OFFICIAL-SENSITIVE" and header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    footer = document.sections[0].footer._element
    assert [i.text for i in footer.iter(qn("w:instrText"))] == ["PAGE"]
    assert [f.get(qn("w:fldCharType")) for f in footer.iter(qn("w:fldChar"))] == ["begin", "end"]
    assert document.sections[0].footer.paragraphs[0].text == "Page "


def test_characters_word_cannot_hold_are_removed(document) -> None:
    text = "\n".join(p.text for p in _all_paragraphs(document))
    assert "The panel agreed the review[31m was done well." in text
    assert not CONTROL.search(text)


def test_a_missing_or_unknown_picture_is_said_in_words(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(module, "ICON_FOLDER", tmp_path)
    with pytest.raises(Invalid, match=r"picture 'A group of people sitting round a table' is missing.*draw_icons"):
        easy_read_docx(MINUTES)
    odd = EasyReadMinutes("Title", "OFFICIAL", (EasyReadSection("Heading", (EasyReadBlock("unicorn", ("Hi.",)),)),))
    with pytest.raises(Invalid, match="picture called 'unicorn'"):
        easy_read_docx(odd)


@pytest.mark.parametrize("key", sorted(ICONS))
def test_every_icon_is_a_small_valid_png(key: str) -> None:
    path = ICON_FOLDER / f"{key}.png"
    assert path.is_file(), f"{path.name} is missing: run `python -m scripts.draw_icons`"
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(path) as picture:
        picture.verify()
    with Image.open(path) as picture:
        assert picture.format == "PNG" and picture.size == (240, 240)
    assert path.stat().st_size < 20_000


def test_the_icon_script_draws_every_icon(tmp_path: Path) -> None:
    from scripts.draw_icons import draw_all

    written = draw_all(tmp_path)
    assert sorted(p.stem for p in written) == sorted(ICONS)
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in written)


def test_libreoffice_opens_the_easy_read_minutes(docx_bytes: bytes, tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed: `.ci/run` installs libreoffice-writer-nogui")
    path = tmp_path / "easy-read.docx"
    path.write_bytes(docx_bytes)
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "easy-read.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5_000
    assert re.search(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes())
    reader = shutil.which("pdftotext")
    if reader:
        text = subprocess.run([reader, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True,
                              timeout=60).stdout
        words = " ".join(text.split())
        assert "OFFICIAL-SENSITIVE" in words and "Page 1" in words
        assert "Review LDR-2026-0042" in words and "A service will do a job by 31 January 2027." in words
