"""Importing reviews from the review platform's export, on SQLite and PostgreSQL: the sample file lands
whole, a second import changes nothing, every kind of problem is named by row and column, nothing lands
half-way, and no other ICB's review is read or changed."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, FocusedReview
from db.session import Database
from features.audit.audit import verify_audit_chain
from features.reviews.importing import ImportPreview, ImportResult, import_reviews, preview_import
from operations.demo import SeedReport
from rules.actors import Actor
from rules.errors import Invalid, NotAllowed
from rules.review_import import COLUMNS
from rules.vocabulary import FindingKind, ReviewStatus
from tests.conftest import DEMO_TODAY

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "reviews-sample.csv"
HEADINGS = [spec.heading for spec in COLUMNS]


def good_row(reference: str = "LDR-2026-0601", **changes: str) -> dict[str, str]:
    row = {"Reference": reference, "Notification date": "01/06/2026", "Reviewer": "reviewer@example.org",
           "Ethnic minority": "no", "Age band": "35-44", "Setting": "Supported living",
           "Summary": "Fictional test review. Constipation was treated late.",
           "Areas of learning": "Bowel charts were not read.", "Good practice": "Staff asked the GP early.",
           "Areas of concern": "Laxatives were not reviewed.", "Themes": "Constipation"}
    row.update(changes)
    return row


def as_csv(rows: list[dict[str, str]], *, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=HEADINGS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def as_xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def preview(db: Database, who: Actor, data: bytes, name: str = "reviews.csv") -> ImportPreview:
    with db.unit_of_work(read_only=True) as session:
        return preview_import(session, who, file_name=name, data=data, today=DEMO_TODAY)


def run_import(db: Database, who: Actor, data: bytes, *, name: str = "reviews.csv",
               only_clean: bool = False) -> ImportResult:
    with db.unit_of_work() as session:
        return import_reviews(session, who, file_name=name, data=data, today=DEMO_TODAY, only_clean=only_clean)


def problems_of(db: Database, who: Actor, data: bytes, name: str = "reviews.csv") -> list[tuple[int | None, str, str]]:
    return [(p.row, p.column, p.message) for p in preview(db, who, data, name).check.problems]


def review_count(db: Database) -> int:
    with db.unit_of_work(read_only=True) as session:
        return session.scalar(select(func.count()).select_from(FocusedReview)) or 0


def test_the_sample_file_imports_whole_and_a_second_import_changes_nothing(
        db: Database, demo: SeedReport, actor: Callable[[str], Actor]) -> None:
    admin, data = actor("admin"), SAMPLE.read_bytes()
    checked = preview(db, admin, data).check
    assert checked.is_clean and [row.action for row in checked.rows] == ["new"] * 3
    before = review_count(db)
    assert run_import(db, admin, data).sentence() == "Imported: 3 new reviews, 0 updated, 0 unchanged."
    assert review_count(db) == before + 3
    with db.unit_of_work(read_only=True) as session:
        review = session.scalars(select(FocusedReview).where(FocusedReview.reference == "LDR-2026-0502")).one()
        assert (review.status, review.ethnic_minority, review.age_band) == (ReviewStatus.READY_FOR_PANEL, True, "25-34")
        assert review.notified_on.isoformat() == "2026-04-02" and review.reviewer_id == admin_panel_reviewer(actor)
        assert [t.name for t in review.findings[0].themes] == ["Sepsis", "Reasonable adjustments",
                                                                "Ethnicity and inequalities"]
        first = session.scalars(select(FocusedReview).where(FocusedReview.reference == "LDR-2026-0501")).one()
        learning = [f.text for f in first.findings if f.kind == FindingKind.LEARNING]
        assert learning == ["The eating and drinking plan was not shared with the day service.",
                            "Staff were not trained to spot the signs of aspiration."]
        versions = {r.reference: r.version_id for r in session.scalars(select(FocusedReview))}
        events = session.scalar(select(func.count()).select_from(AuditEvent))
        assert verify_audit_chain(session).intact
    again = run_import(db, admin, data)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    with db.unit_of_work(read_only=True) as session:
        assert {r.reference: r.version_id for r in session.scalars(select(FocusedReview))} == versions
        # Only the import's own line: no review was touched.
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == (events or 0) + 1


def admin_panel_reviewer(actor: Callable[[str], Actor]) -> int:
    return actor("reviewer").user_id


def test_an_excel_workbook_imports_like_the_csv(db: Database, demo: SeedReport,
                                                actor: Callable[[str], Actor]) -> None:
    row = good_row()
    data = as_xlsx([HEADINGS, [row[h] for h in HEADINGS]])
    checked = preview(db, actor("admin"), data, "reviews.xlsx").check
    assert checked.is_clean and checked.rows[0].reference == "LDR-2026-0601"
    assert run_import(db, actor("admin"), data, name="reviews.xlsx").new == 1


def test_a_changed_row_updates_the_review_but_a_signed_off_one_is_refused(
        db: Database, demo: SeedReport, actor: Callable[[str], Actor]) -> None:
    admin = actor("admin")
    run_import(db, admin, as_csv([good_row(), good_row("LDR-2026-0602")]))
    with db.unit_of_work() as session:
        locked = session.scalars(select(FocusedReview).where(FocusedReview.reference == "LDR-2026-0602")).one()
        locked.status = ReviewStatus.SIGNED_OFF
    changed = as_csv([good_row(Summary="Fictional test review, with a better summary."),
                      good_row("LDR-2026-0602", Summary="Fictional test review, changed after sign-off.")])
    checked = preview(db, admin, changed).check
    assert checked.rows[0].action == "update"
    assert checked.rows[1].problems[0].message.startswith("LDR-2026-0602 has been signed off, so the import "
                                                          "cannot change it.")
    with pytest.raises(Invalid, match="1 problem in 1 row"):
        run_import(db, admin, changed)
    result = run_import(db, admin, changed, only_clean=True)
    assert (result.updated, result.left_out) == (1, 1)
    with db.unit_of_work(read_only=True) as session:
        summaries = dict(session.execute(select(FocusedReview.reference, FocusedReview.summary).where(
            FocusedReview.reference.in_(["LDR-2026-0601", "LDR-2026-0602"]))).all())
    assert summaries == {"LDR-2026-0601": "Fictional test review, with a better summary.",
                         "LDR-2026-0602": "Fictional test review. Constipation was treated late."}
    # The signed-off review, unchanged in the file, is simply unchanged.
    assert preview(db, admin, as_csv([good_row("LDR-2026-0602")])).check.rows[0].action == "unchanged"


def test_every_problem_is_named_by_row_and_column_and_nothing_lands(
        db: Database, demo: SeedReport, actor: Callable[[str], Actor]) -> None:
    rows = [
        good_row("LDR-2026-0601", **{"Notification date": ""}),
        good_row("LDR-2026-0602", **{"Notification date": "31/02/2026"}),
        good_row("LDR-2026-0603", Reviewer="nobody@example.org"),
        good_row("LDR-2026-0604", Themes="Sepsis; Sepssis"),
        good_row("LDR-2026-0605"), good_row("LDR-2026-0605"),
        good_row("LDR-2026-0606", Summary="Fictional. NHS number 943 476 5919 was written here."),
        good_row("LDR-2026-0607", Summary="Fictional. She lived at LS1 4AP."),
        good_row("LDR-2026-0608", Summary="Fictional. Date of birth 3/4/1970."),
        good_row("LDR-2026-0609", **{"Areas of concern": "Mrs Jones was not told."}),
        good_row("LDR-2026-0610", Summary="=HYPERLINK(\"http://example.org\")"),
        good_row("Jane Smith"),
        good_row("LDR-2026-0201"),  # the other ICB's demo review
        good_row("LDR-2026-0612"),
    ]
    found = problems_of(db, actor("admin"), as_csv(rows))
    expected_starts = [
        (2, "Notification date", "Notification date is empty."),
        (3, "Notification date", "'31/02/2026' is not a date."),
        (4, "Reviewer", "'nobody@example.org' is not a reviewer on your panel."),
        (5, "Themes", "'Sepssis' is not one of your panel's themes."),
        (6, "Reference", "LDR-2026-0605 is also on row 7."),
        (7, "Reference", "LDR-2026-0605 is also on row 6."),
        (8, "Summary", "Possible personal data: '943 476 5919' looks like an NHS number."),
        (9, "Summary", "Possible personal data: 'LS1 4AP' looks like a postcode."),
        (10, "Summary", "Possible personal data: 'Date of birth 3/4/1970' looks like a date of birth."),
        (11, "Areas of concern", "Possible personal data: 'Mrs Jones' looks like a person's name."),
        (12, "Summary", "This cell holds a formula"),
        (13, "Reference", "'JANE SMITH' is not a review reference"),
        (14, "Reference", "LDR-2026-0201 is a review of another ICB's panel."),
    ]
    for row, column, start in expected_starts:
        assert any(r == row and c == column and m.startswith(start) for r, c, m in found), (row, column, start)
    assert not any(r == 15 for r, _, _ in found)
    before = review_count(db)
    with pytest.raises(Invalid, match="Nothing was imported"):
        run_import(db, actor("admin"), as_csv(rows))
    assert review_count(db) == before
    assert run_import(db, actor("admin"), as_csv(rows), only_clean=True).new == 1
    assert review_count(db) == before + 1


def test_another_icbs_review_is_never_changed(db: Database, demo: SeedReport,
                                               actor: Callable[[str], Actor]) -> None:
    with db.unit_of_work(read_only=True) as session:
        theirs = session.scalars(select(FocusedReview).where(FocusedReview.reference == "LDR-2026-0201")).one()
        before = (theirs.panel_id, theirs.summary, theirs.version_id)
    run_import(db, actor("admin"), as_csv([good_row("LDR-2026-0201"), good_row()]), only_clean=True)
    with db.unit_of_work(read_only=True) as session:
        rows = session.scalars(select(FocusedReview).where(FocusedReview.reference == "LDR-2026-0201")).all()
        assert [(r.panel_id, r.summary, r.version_id) for r in rows] == [before]


def test_a_formula_in_a_workbook_is_refused(db: Database, demo: SeedReport, actor: Callable[[str], Actor]) -> None:
    row = good_row()
    cells: list[object] = [row[h] for h in HEADINGS]
    cells[HEADINGS.index("Setting")] = "=1+1"
    found = problems_of(db, actor("admin"), as_xlsx([HEADINGS, cells]), "reviews.xlsx")
    assert found == [(2, "Setting", "This cell holds a formula (=1+1). Paste the value instead: the import "
                                    "never runs formulas.")]


def test_a_windows_csv_is_read_and_said_so(db: Database, demo: SeedReport, actor: Callable[[str], Actor]) -> None:
    summary = "Fictional test review. The café’s staff paid £20 for a taxi."
    checked = preview(db, actor("admin"), as_csv([good_row(Summary=summary)], encoding="cp1252")).check
    assert checked.is_clean and "Windows text (cp1252)" in checked.notes[0]
    run_import(db, actor("admin"), as_csv([good_row(Summary=summary)], encoding="cp1252"))
    with db.unit_of_work(read_only=True) as session:
        saved = session.scalar(select(FocusedReview.summary).where(FocusedReview.reference == "LDR-2026-0601"))
    assert saved == summary


@pytest.mark.parametrize(("name", "data", "message"), [
    ("reviews.pdf", b"%PDF-1.7 ...", "reviews.pdf is not a CSV or Excel (.xlsx) file."),
    ("reviews.xls", b"\xd0\xcf\x11\xe0", "reviews.xls is in the old Excel format (.xls)."),
    ("reviews.xlsx", b"Reference,Summary\n", "reviews.xlsx is named .xlsx but is not an Excel workbook."),
    ("reviews.csv", b"", "reviews.csv is empty."),
    ("reviews.csv", b"PK\x03\x04\x00\x00binary", "reviews.csv is not a text CSV file."),
    ("reviews.csv", b"x" * (50 * 1024 * 1024), "reviews.csv is 50.0 MB; an import can be at most 10.0 MB."),
])
def test_what_is_not_an_export_is_refused_in_words(db: Database, demo: SeedReport, actor: Callable[[str], Actor],
                                                     name: str, data: bytes, message: str) -> None:
    with pytest.raises(Invalid) as refused:
        preview(db, actor("admin"), data, name)
    assert str(refused.value).startswith(message)


def test_a_missing_heading_row_or_column_is_said_once(db: Database, demo: SeedReport,
                                                      actor: Callable[[str], Actor]) -> None:
    rows = as_csv([good_row()]).split(b"\r\n", 1)[1]  # the heading row cut off
    found = problems_of(db, actor("admin"), rows)
    assert found == [(None, "Headings", "The first row must be the column headings (Reference, Notification "
                      "date, Reviewer, Ethnic minority, Age band, Summary). It reads: LDR-2026-0601, 01/06/2026, "
                      "reviewer@example.org, no.")]
    without_reviewer = b"Reference,Notification date,Ethnic minority,Age band,Summary,Notes\nLDR-2026-0601,x,no,1,a,b\n"
    checked = preview(db, actor("admin"), without_reviewer).check
    assert [(p.column, p.message) for p in checked.problems] == [
        ("Reviewer", "There is no column headed 'Reviewer'. docs/import.md lists the headings.")]
    assert checked.unused_headings == ("Notes",)


@pytest.mark.parametrize("who", ["chair", "member", "reviewer", "southchair"])
def test_only_the_secretariat_imports(db: Database, demo: SeedReport, actor: Callable[[str], Actor], who: str) -> None:
    with pytest.raises(NotAllowed):
        preview(db, actor(who), SAMPLE.read_bytes())
    with pytest.raises(NotAllowed):
        run_import(db, actor(who), SAMPLE.read_bytes())


def test_the_other_icbs_secretariat_imports_into_its_own_panel(db: Database, demo: SeedReport,
                                                               actor: Callable[[str], Actor]) -> None:
    """The sample's reviewers are the north's: for the south they are unknown, and nothing is written."""
    found = problems_of(db, actor("southadmin"), SAMPLE.read_bytes())
    assert {column for _, column, _ in found} == {"Reviewer"}


def test_the_progress_bar_only_moves_forward_and_ends_full(db: Database, demo: SeedReport,
                                                          actor: Callable[[str], Actor]) -> None:
    """One bar for the whole import: every step between 0 and 1 (st.progress refuses anything else)."""
    steps: list[float] = []
    with db.unit_of_work() as session:
        import_reviews(session, actor("admin"), file_name="reviews.csv", data=SAMPLE.read_bytes(), today=DEMO_TODAY,
                       only_clean=False, progress=lambda fraction, _words: steps.append(fraction))
    assert steps == sorted(steps) and all(0 <= step <= 1 for step in steps) and steps[-1] == 1.0
