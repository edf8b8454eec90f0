"""The annual report pack on the hand-counted panel of test_insight_figures.py (its counts are in that file's
docstring): the Word document read back with python-docx and converted by LibreOffice, the CSV of the
figures, the personal-data guard, and the years with nothing to show.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Action, FocusedReview, Icb, ReviewFinding, StrategicPriority
from db.session import Database
from documents.report_docx import report_csv, report_docx
from features.insight.report import LEFT_OUT, AnnualReport
from features.insight.use_cases import annual_report_pack
from features.panel_settings.panels import panel_rules, update_panel_rules
from features.people.actors import load_actor
from features.people.users import create_user_in_panel
from rules.actors import Actor
from rules.errors import Invalid
from rules.pii import find_identifiers
from rules.vocabulary import ActionStatus, FindingKind, Role
from tests.features import test_insight_figures as hand_counted
from tests.features.test_insight_figures import TODAY, Built

panel = hand_counted.panel  # the hand-counted panel, as a fixture of this module too
D = dt.date
R1, R2, R3 = "LDR-2026-9100", "LDR-2026-9200", "LDR-2026-9300"
HEADINGS = ["The year in brief", "Reviews", "Themes in the reviews signed off", "Good practice", "Actions",
            "Local action plan"]
QUARTER_ROWS = [["Q1 (Apr to Jun 2026)", "2", "1", "1", "100%"],
                ["Q2 (Jul to Sep 2026)", "1", "1", "0", "0%"],
                ["Q3 (Oct to Dec 2026)", "1", "1", "1", "100%"],
                ["Q4 (Jan to Mar 2027)", "0", "0", "0", "None signed off"]]
# What the guard must keep out, planted by `_plant` below, and the passages holding them.
NHS_NUMBER, NAME, PRIORITY_POSTCODE, ORGANISATION_POSTCODE = "943 476 5919", "Mrs Jones", "LS1 4AP", "SW1A 1AA"
PLANTED = (NHS_NUMBER, NHS_NUMBER.replace(" ", ""), NAME, "Jones", PRIORITY_POSTCODE, ORGANISATION_POSTCODE)
FORMULA = '=HYPERLINK("https://example.org","Org F")'


def _pack(db: Database, built: Built, year: int = 2026, *, calendar: bool = False,
          today: dt.date = TODAY) -> AnnualReport:
    return annual_report_pack(db, actor=built.chair, year=year, calendar=calendar, today=today)


def _read(payload: bytes) -> WordDocument:
    return Document(io.BytesIO(payload))


def _styled(document: WordDocument, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def _cells(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def _table(document: WordDocument, first_header: str) -> list[list[str]]:
    """The rows (header first) of the one table whose first header cell says `first_header`."""
    found = [_cells(t) for t in document.tables if t.rows[0].cells[0].text == first_header]
    assert len(found) == 1, [t.rows[0].cells[0].text for t in document.tables]
    return found[0]


def _headed(document: WordDocument, *header: str) -> list[list[list[str]]]:
    """The rows (header first) of every table with this header row, in order."""
    return [rows for rows in (_cells(t) for t in document.tables) if rows[0] == list(header)]


def _table_holding(document: WordDocument, row: list[str]) -> list[list[str]]:
    """The rows of the one table that has `row` among its rows."""
    found = [rows for rows in (_cells(t) for t in document.tables) if row in rows]
    assert len(found) == 1, found
    return found[0]


def _everything(document: WordDocument) -> str:
    """Every text a reader sees: paragraphs, table cells, the page header and the pictures' alternative text."""
    cells = [cell.text for t in document.tables for row in t.rows for cell in row.cells]
    header = [p.text for p in document.sections[0].header.paragraphs]
    alt = [shape._inline.docPr.get("descr") or "" for shape in document.inline_shapes]
    return "\n".join([p.text for p in document.paragraphs] + cells + header + alt)


def _xml_parts(payload: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.endswith((".xml", ".rels"))}


def _csv_rows(report: AnnualReport) -> list[list[str]]:
    return list(csv.reader(io.StringIO(report_csv(report).decode("utf-8-sig"))))


# --- The document -------------------------------------------------------------------------------------------


def test_the_report_reads_back_with_its_structure(db: Database, panel: Built) -> None:
    report = _pack(db, panel)
    document = _read(report_docx(report))
    assert document.paragraphs[0].style.name == "Title"
    title = document.paragraphs[0].text
    assert "Testshire ICB (fictional)" in title and "2026/27" in title
    assert _styled(document, "Title") == [title] and document.core_properties.title == title
    assert _styled(document, "Heading 1") == HEADINGS
    assert _styled(document, "Heading 2") == ["Health checks"]  # the panel's one strategic priority
    assert not _styled(document, "Heading 3")
    assert document.core_properties.language == "en-GB"
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"  # the panel's default marking


def test_each_chart_is_an_image_whose_alternative_text_states_its_numbers(db: Database,
                                                                          panel: Built) -> None:
    report = _pack(db, panel)
    document = _read(report_docx(report))
    # The quarters, and actions by status, by priority and by organisation: none of the three is all zeros.
    assert [c.title for c in report.charts] == ["Reviews by quarter", "Actions by status",
                                                "Actions by ICB strategic priority", "Actions by organisation"]
    assert len(document.inline_shapes) == len(report.charts)
    described = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert described == [chart.description for chart in report.charts]
    assert all(text and text.strip() for text in described)
    quarters, status, priority, organisation = described
    assert "Q1 (Apr to Jun 2026): 2 received, 1 signed off, 1 in time" in quarters
    assert "Q2 (Jul to Sep 2026): 1 received, 1 signed off, 0 in time" in quarters
    assert "Q4 (Jan to Mar 2027): 0 received, 0 signed off, 0 in time" in quarters
    assert "Not started: 1; In progress: 1; Completed: 2; Closed by the panel: 0" in status
    assert "Health checks: 3; No strategic priority: 1" in priority
    assert "Org A: 3; Org B: 1" in organisation
    for shape in document.inline_shapes:  # the picture's own properties carry it too, for Word's checker
        assert [p.get("descr") for p in shape._inline.xpath(".//pic:cNvPr")] == [shape._inline.docPr.get("descr")]
    captions = [text for text in (p.text for p in document.paragraphs) if text.startswith("Figure ")]
    assert captions == [f"Figure {n}: {chart.title}" for n, chart in enumerate(report.charts, start=1)]


def test_tables_repeat_a_bold_header_row_and_hold_the_hand_counts(db: Database, panel: Built) -> None:
    a, b, c = panel.themes
    document = _read(report_docx(_pack(db, panel)))
    assert len(document.tables) == 8  # quarters, themes, good practice, three of actions, two of the plan
    for table in document.tables:
        header = table.rows[0]
        assert header._tr.trPr is not None and header._tr.trPr.find(qn("w:tblHeader")) is not None
        runs = [run for cell in header.cells for p in cell.paragraphs for run in p.runs if run.text]
        assert len(runs) == len(header.cells) and all(run.bold for run in runs)
        assert all(row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])
    quarters = _table(document, "Quarter")
    assert quarters[0] == ["Quarter", "Received", "Signed off", "Signed off in time", "In time (%)"]
    assert quarters[1:] == QUARTER_ROWS
    assert _table(document, "Kind")[1:] == [["Area of learning", a, "2"], ["Area of learning", b, "2"],
                                            ["Good practice", c, "1"], ["Area of concern", a, "1"]]
    assert _table(document, "Year")[1:] == [["2026/27", "3", "2"], ["2027/28", "0", "0"], ["2028/29", "0", "0"]]
    [plan] = _headed(document, "Review", "Learning or concern", "Action", "Status", "Outcome")
    assert [row[2] for row in plan[1:]] == ["X4", "X2", "X1"]


def test_the_headline_and_the_introduction_say_the_hand_counts(db: Database, panel: Built) -> None:
    report = _pack(db, panel)
    text = "\n".join(p.text for p in _read(report_docx(report)).paragraphs)
    assert "4 reviews received; 3 signed off, 2 of them (67%) within 6 months of notification." in text
    assert "the ethnic minority lead's view is recorded on 1 of them" in text
    assert "2 actions are overdue today" in text
    assert "Testshire LeDeR Panel, Testshire ICB (fictional). 2026/27:" in report.introduction[0]
    assert "7 December 2026" in report.introduction[0]  # the day the figures were counted


def test_the_report_holds_nothing_that_could_identify_anyone(db: Database, panel: Built) -> None:
    """The fixture has no personal data: nothing is left out, and the guard finds nothing in what is written."""
    report = _pack(db, panel)
    payload = report_docx(report)
    seen = _everything(_read(payload))
    assert report.left_out == 0 and LEFT_OUT not in seen
    assert not any("Left out" in line for line in report.introduction)
    assert find_identifiers(seen, full_dates=False) == []
    assert "Test Chair" not in seen and "tchair" not in seen  # the chair who signed off is not named
    assert not re.search(r"(?<!\d)\d{10}(?!\d)|\d{3} \d{3} \d{4}", seen)


def _secretariat(db: Database, built: Built) -> Actor:
    """The fixture panel's secretariat, who may change its settings."""
    with db.unit_of_work() as session:
        create_user_in_panel(session=session, panel_id=built.chair.panel_id, username="tsec", name="Test Secretary",
                             email="tsec@example.org", roles=[Role.SECRETARIAT], password_hash="x")
    with db.unit_of_work(read_only=True) as session:
        return load_actor(session=session, username="tsec")


def test_the_panel_sets_the_marking_on_every_page(db: Database, panel: Built) -> None:
    secretariat = _secretariat(db, panel)
    with db.unit_of_work() as session:
        rules = panel_rules(session=session, panel_id=panel.chair.panel_id)
        update_panel_rules(session=session, actor=secretariat, quorum=rules.quorum, clock=rules.clock,
                           require_em_lead_view=rules.require_em_lead_view, expected_version=rules.version_id,
                           protective_marking="OFFICIAL")
    report = _pack(db, panel)
    assert report.marking == "OFFICIAL"
    assert _read(report_docx(report)).sections[0].header.paragraphs[0].text == "OFFICIAL"


def test_a_calendar_year_counts_its_own_quarters(db: Database, panel: Built) -> None:
    """Calendar 2026 by hand: received R3, R5 (Q1); R1, R2 (Q2); R4 (Q3); R7 (Q4). Signed off R1 in Q2 (in
    time), R3 in Q3 (late), R2 in Q4 (in time)."""
    report = _pack(db, panel, calendar=True)
    document = _read(report_docx(report))
    assert document.paragraphs[0].text.endswith("2026") and "2026/27" not in document.paragraphs[0].text
    assert _table(document, "Quarter")[1:] == [["Q1 (Jan to Mar 2026)", "2", "0", "0", "None signed off"],
                                               ["Q2 (Apr to Jun 2026)", "2", "1", "1", "100%"],
                                               ["Q3 (Jul to Sep 2026)", "1", "1", "0", "0%"],
                                               ["Q4 (Oct to Dec 2026)", "1", "1", "1", "100%"]]


# --- Good practice ------------------------------------------------------------------------------------------


def test_good_practice_shows_with_its_reviews_reference(db: Database, panel: Built) -> None:
    """R2's finding is the fixture's only good practice (R2 was signed off in the year)."""
    report = _pack(db, panel)
    section = next(s for s in report.sections if s.heading == "Good practice")
    document = _read(report_docx(report))
    assert _headed(document, "Review", "Good practice") == [[["Review", "Good practice"], [R2, "A finding."]]]
    assert report.left_out == 0
    assert any(isinstance(part, str) and "good practice" in part for part in section.parts)


def test_good_practice_takes_one_a_review_most_recently_signed_off_first(db: Database,
                                                                         panel: Built) -> None:
    """R2 signed off 1 Dec, R3 10 Aug, R1 1 Jun; a second finding on R2 is counted but not shown."""
    with db.unit_of_work() as session:
        ids = _review_ids(session)
        session.add_all([ReviewFinding(review_id=ids[R1], kind=FindingKind.GOOD_PRACTICE, text="Good on R1."),
                         ReviewFinding(review_id=ids[R3], kind=FindingKind.GOOD_PRACTICE, text="Good on R3."),
                         ReviewFinding(review_id=ids[R2], kind=FindingKind.GOOD_PRACTICE, text="More on R2.")])
    report = _pack(db, panel)
    document = _read(report_docx(report))
    [examples] = _headed(document, "Review", "Good practice")
    assert examples[1:] == [[R2, "A finding."], [R3, "Good on R3."], [R1, "Good on R1."]]
    section = next(s for s in report.sections if s.heading == "Good practice")
    assert section.parts[0] == "The 3 most recent, one a review, of 4 areas of good practice recorded."


def test_one_area_of_good_practice_is_said_in_the_singular(db: Database, panel: Built) -> None:
    section = next(s for s in _pack(db, panel).sections if s.heading == "Good practice")
    assert "The 1 areas" not in section.parts[0]


def test_the_headline_says_one_review_in_the_singular(db: Database, panel: Built) -> None:
    brief = next(s for s in _pack(db, panel).sections if s.heading == "The year in brief")
    assert not any(str(part).startswith("1 reviews") for part in brief.parts)


# --- The personal-data guard --------------------------------------------------------------------------------


def _review_ids(session: Session) -> dict[str, int]:
    return {reference: rid for reference, rid in session.execute(select(FocusedReview.reference, FocusedReview.id))}


def _plant(db: Database, built: Built) -> None:
    """Personal data typed where it should not be: a name and an NHS number in good practice on two signed-off
    reviews (R1 and R3, each's only good practice), a postcode in a new priority's title, and one in the
    organisation of an action agreed in the year that serves it."""
    with db.unit_of_work() as session:
        ids = _review_ids(session)
        session.add_all([
            ReviewFinding(review_id=ids[R1], kind=FindingKind.GOOD_PRACTICE,
                          text=f"{NAME}'s GP phoned her every week."),
            ReviewFinding(review_id=ids[R3], kind=FindingKind.GOOD_PRACTICE,
                          text=f"The ward checked NHS number {NHS_NUMBER} at every visit."),
        ])
        priority = StrategicPriority(panel_id=built.chair.panel_id, title=f"Health checks around {PRIORITY_POSTCODE}",
                                     plan_start=D(2026, 4, 1), plan_end=D(2029, 3, 31))
        session.add(priority)
        session.flush()
        session.add(Action(panel_id=built.chair.panel_id, review_id=ids[R1], description="X7", owner_name="Lead",
                           owner_organisation=f"The surgery at {ORGANISATION_POSTCODE}", due_on=D(2027, 1, 15),
                           status=ActionStatus.NOT_STARTED, is_draft=False, priority_id=priority.id,
                           created_at=dt.datetime(2026, 9, 1, 11, 0, tzinfo=dt.UTC)))


def test_the_guard_leaves_out_every_passage_with_personal_data(db: Database, panel: Built) -> None:
    _plant(db, panel)
    report = _pack(db, panel)
    payload = report_docx(report)
    document = _read(payload)
    for name, xml in _xml_parts(payload).items():  # document.xml, the header, the core properties, ...
        for planted in PLANTED:
            assert planted not in xml, (planted, name)
    seen = _everything(document)
    assert not any(planted in seen for planted in PLANTED)
    csv_text = report_csv(report).decode("utf-8-sig")
    assert not any(planted in csv_text for planted in PLANTED)
    for chart in report.charts:
        spec = json.dumps(chart.spec)
        assert not any(planted in chart.description or planted in spec for planted in PLANTED)
    # The name, the NHS number, the priority's title (one passage wherever it shows) and the organisation.
    assert report.left_out == 4
    assert "Left out because the personal-data check found what may identify someone: 4 passages, each marked " \
           "where it would have been." in report.introduction
    assert any("4 passages" in p.text for p in document.paragraphs[:5])


def test_the_left_out_note_stands_where_each_passage_would_have_been(db: Database, panel: Built) -> None:
    _plant(db, panel)
    report = _pack(db, panel)
    document = _read(report_docx(report))
    assert _styled(document, "Heading 2") == ["Health checks", LEFT_OUT]  # the planted priority's heading
    [examples] = _headed(document, "Review", "Good practice")
    assert examples[1:] == [[R2, "A finding."], [R3, LEFT_OUT], [R1, LEFT_OUT]]
    by_priority = _table_holding(document, ["Health checks", "3"])
    by_organisation = _table_holding(document, ["Org A", "3"])
    assert [LEFT_OUT, "1"] in by_priority and [LEFT_OUT, "1"] in by_organisation
    assert f"{LEFT_OUT}: 1" in report.charts[-1].description  # the organisation chart's alternative text
    rows = _csv_rows(report)
    assert ["Actions by organisation", LEFT_OUT, "Actions", "1"] in rows
    assert ["Actions by ICB strategic priority", LEFT_OUT, "Actions", "1"] in rows
    assert [f"Local action plan: {LEFT_OUT}", "2026/27", "Actions due", "1"] in rows


def test_the_introduction_counts_a_title_left_out(db: Database, panel: Built) -> None:
    """An ICB name the check flags is in two passages, the introduction's first line and the title."""
    with db.unit_of_work() as session:
        session.scalars(select(Icb)).one().name = "Testshire ICB (chair Dr Smith)"
    with db.unit_of_work(read_only=True) as session:
        chair = load_actor(session=session, username="tchair")
    report = annual_report_pack(db, actor=chair, year=2026, today=TODAY)
    assert report.title == LEFT_OUT and report.introduction[0] == LEFT_OUT and report.left_out == 2
    assert f"{report.left_out} passages" in report.introduction[-1]


# --- The figures as CSV -------------------------------------------------------------------------------------


def test_the_csv_holds_the_hand_counts_one_a_row(db: Database, panel: Built) -> None:
    report = _pack(db, panel)
    payload = report_csv(report)
    assert payload.startswith(b"\xef\xbb\xbf")  # a byte-order mark, so Excel reads UTF-8
    rows = _csv_rows(report)
    assert rows[0] == ["Section", "What", "Measure", "Value"]
    assert len(rows) == len(report.figure_rows) + 1
    by_quarter = [row[1:] for row in rows if row[0] == "Reviews by quarter"]
    expected = [[q[0], measure, value] for q in QUARTER_ROWS
                for measure, value in zip(("Received", "Signed off", "Signed off in time"), q[1:4], strict=True)]
    assert by_quarter == expected
    year = {row[2]: row[3] for row in rows if row[0] == "Year"}
    assert {k: year[k] for k in ("Reviews received", "Reviews signed off", "Reviews signed off in time",
                                 "Reviews past their clock today", "Actions overdue today")} == {
        "Reviews received": "4", "Reviews signed off": "3", "Reviews signed off in time": "2",
        "Reviews past their clock today": "1", "Actions overdue today": "2"}
    assert ["Actions by organisation", "Org A", "Actions", "3"] in rows


def test_a_label_a_spreadsheet_would_run_as_a_formula_is_neutralised(db: Database, panel: Built) -> None:
    with db.unit_of_work() as session:
        session.add(Action(panel_id=panel.chair.panel_id, review_id=_review_ids(session)[R1], description="X8",
                           owner_name="Lead", owner_organisation=FORMULA, due_on=D(2027, 1, 15),
                           status=ActionStatus.NOT_STARTED, is_draft=False,
                           created_at=dt.datetime(2026, 9, 1, 11, 0, tzinfo=dt.UTC)))
    rows = _csv_rows(_pack(db, panel))
    labels = [row[1] for row in rows if row[0] == "Actions by organisation"]
    assert "'" + FORMULA in labels
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


# --- Nothing to show ----------------------------------------------------------------------------------------


def test_a_year_not_started_yet_has_nothing_to_show(db: Database, panel: Built) -> None:
    with pytest.raises(Invalid, match=r"^There is nothing to show for the financial year 2030/31: it has not "
                                      r"started yet\.$"):
        _pack(db, panel, year=2030)
    with pytest.raises(Invalid, match="has not started yet"):
        _pack(db, panel, year=2027)  # April 2027 is after 7 December 2026


def test_a_year_before_the_records_says_when_they_begin(db: Database, panel: Built) -> None:
    """The panel's first review, R3, was notified on 15 January 2026."""
    with pytest.raises(Invalid, match=r"^There is nothing to show for the financial year 2019/20: the panel's "
                                      r"records begin on 15 January 2026\.$"):
        _pack(db, panel, year=2019)
    with pytest.raises(Invalid, match="records begin on 15 January 2026"):
        _pack(db, panel, year=2025, calendar=True)


def test_a_year_with_no_records_in_it_says_so(db: Database, panel: Built) -> None:
    """Seen from June 2028, 2027/28 has started and is after the records begin, but nothing happened in it."""
    with pytest.raises(Invalid, match=r"^There is nothing to show for the financial year 2027/28: no reviews were "
                                      r"received or signed off and no actions were agreed\.$"):
        _pack(db, panel, year=2027, today=D(2028, 6, 1))


def test_a_year_out_of_range_is_refused_in_words(db: Database, panel: Built) -> None:
    with pytest.raises(Invalid, match="1999 is not a year the report can cover"):
        _pack(db, panel, year=1999)


# --- LibreOffice and the progress bar -----------------------------------------------------------------------


def test_libreoffice_opens_the_report(db: Database, panel: Built, tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed: `.ci/run` installs libreoffice-writer-nogui")
    path = tmp_path / "annual-report.docx"
    path.write_bytes(report_docx(_pack(db, panel)))
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "annual-report.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000  # four charts
    assert re.search(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes())


def test_the_progress_callback_rises_to_done(db: Database, panel: Built) -> None:
    report = _pack(db, panel)
    said: list[tuple[float, str]] = []
    payload = report_docx(report, progress=lambda fraction, words: said.append((fraction, words)))
    fractions = [fraction for fraction, _ in said]
    assert 0 < fractions[0] < 1 and fractions[-1] == 1.0
    assert all(earlier <= later for earlier, later in itertools.pairwise(fractions))
    assert len(set(fractions)) > 2  # it moves, not just a start and an end
    assert said[-1][1] == "The report is ready"
    drawing = [words for _, words in said if words.startswith("Drawing chart")]
    assert drawing == [f"Drawing chart {n} of {len(report.charts)}: {chart.title}"
                       for n, chart in enumerate(report.charts, start=1)]
    assert _read(payload).inline_shapes and len(said) == len(report.charts) + 2
