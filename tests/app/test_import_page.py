"""The Import reviews page, run through AppTest against a real seeded database: the secretariat checks a
file, sees every problem by row and column, and imports; what is not an export is refused in words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_page

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "reviews-sample.csv"


def texts(at: AppTest) -> list[str]:
    return [e.value for e in (*at.success, *at.warning, *at.error, *at.info)]


def uploaded(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].upload(name, data, "text/csv")
    return at.run()


def button(at: AppTest, start: str):
    return next(b for b in at.button if b.label.startswith(start))


def test_the_secretariat_checks_then_imports_the_sample(signed_in: Callable[[str], AppTest]) -> None:
    at = open_page(signed_in("admin"), "import")
    assert not at.exception and [t.value for t in at.title] == ["Import reviews"]
    at = uploaded(at, "reviews-sample.csv", SAMPLE.read_bytes())
    assert not at.exception
    assert "reviews-sample.csv: 3 rows checked: 3 new, 0 to update, 0 unchanged." in texts(at)
    button(at, "Import 3 reviews").click()
    at.run()
    assert not at.exception
    assert "Imported: 3 new reviews, 0 updated, 0 unchanged." in texts(at)
    assert at.file_uploader[0].value in (None, [])  # a fresh, empty uploader for the next file
    at = uploaded(at, "reviews-sample.csv", SAMPLE.read_bytes())
    assert any("0 new, 0 to update, 3 unchanged" in t for t in texts(at))
    assert not [b for b in at.button if b.label.startswith("Import")]


def test_problems_are_listed_and_only_the_clean_rows_can_be_imported(signed_in: Callable[[str], AppTest]) -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace("LDR-2026-050", "LDR-2026-070").replace(
        "14/03/2026", "31/02/2026")
    at = uploaded(open_page(signed_in("admin"), "import"), "quarter.csv", text.encode())
    warning = next(t for t in texts(at) if t.startswith("quarter.csv:"))
    assert "1 row with 1 problem" in warning and "Nothing is imported until the file is clean" in warning
    problems = next(h.value for h in at.html if "Problem</th>" in h.value)
    assert "<td class=\"number\">2</td><td>Notification date</td><td>&#x27;31/02/2026&#x27; is not a date." in problems
    assert not [b for b in at.button if b.label.startswith("Import 2")]
    button(at, "Import only the 2 clean reviews").click()
    at.run()
    assert "Imported: 2 new reviews, 0 updated, 0 unchanged, 1 row with problems left out." in texts(at)


def test_a_file_that_is_not_an_export_is_refused_in_words(signed_in: Callable[[str], AppTest]) -> None:
    at = uploaded(open_page(signed_in("admin"), "import"), "minutes.pdf", b"%PDF-1.7")
    assert not at.exception
    assert ("minutes.pdf is not a CSV or Excel (.xlsx) file. Export the reviews from the review platform as CSV "
            "or Excel.") in texts(at)


def test_the_page_is_not_there_for_a_chair(signed_in: Callable[[str], AppTest]) -> None:
    at = signed_in("chair")
    assert "import" not in [info.get("url_pathname") for info in at._registered_pages.values()
                            if info.get("page_name") != "Not available"]
