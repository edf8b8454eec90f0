"""manage.py import-reviews, in-process: a dry run lists every problem and writes nothing, a clean file
imports in one line, a second import changes nothing, and bad input gets one line and exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

import manage
from db.session import Database
from features.people.actors import load_actor
from features.reviews.reviews import count_reviews
from tests.test_cli import PASSWORD, one_error_line, run

SAMPLE = Path(__file__).resolve().parent / "data" / "reviews-sample.csv"


@pytest.fixture
def seeded(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("LEDER_DEMO_PASSWORD", PASSWORD)
    run(url, "init-db")
    run(url, "seed-demo")
    capsys.readouterr()
    return url


def reviews_of_admin(url: str) -> int:
    db = Database.from_url(url)
    try:
        with db.unit_of_work(read_only=True) as session:
            return count_reviews(session=session, actor=load_actor(session=session, username="admin"))
    finally:
        db.dispose()


def test_dry_run_then_import_then_nothing_changes(seeded: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = reviews_of_admin(seeded)
    assert run(seeded, "import-reviews", str(SAMPLE), "--icb", "DEMO-N", "--dry-run") == 0
    assert capsys.readouterr().out.strip() == ("3 rows checked: 3 new, 0 to update, 0 unchanged. Nothing was "
                                               "imported (dry run).")
    assert reviews_of_admin(seeded) == before
    assert run(seeded, "import-reviews", str(SAMPLE), "--icb", "DEMO-N") == 0
    assert capsys.readouterr().out.strip().startswith("Imported: 3 new reviews, 0 updated, 0 unchanged.")
    assert reviews_of_admin(seeded) == before + 3
    assert run(seeded, "import-reviews", str(SAMPLE), "--icb", "DEMO-N") == 0
    assert "0 new reviews, 0 updated, 3 unchanged" in capsys.readouterr().out


def test_problems_are_listed_by_a_dry_run_and_stop_an_import(seeded: str, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace("14/03/2026", "31/02/2026").replace(
        "Chris Walker", "Nobody Known")
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    assert run(seeded, "import-reviews", str(bad), "--icb", "DEMO-N", "--dry-run") == 1
    err = capsys.readouterr().err
    assert "Row 2, Notification date: '31/02/2026' is not a date." in err
    assert "Row 4, Reviewer: 'Nobody Known' is not a reviewer on your panel." in err
    assert "1 row with problems" not in err and "2 rows with 2 problems" in err and "Traceback" not in err
    assert run(seeded, "import-reviews", str(bad), "--icb", "DEMO-N") == 1
    line = one_error_line(capsys)
    assert "Nothing was imported. First: Row 2, Notification date" in line and "--only-clean" in line
    assert run(seeded, "import-reviews", str(bad), "--icb", "DEMO-N", "--only-clean") == 0
    assert "1 new review, 0 updated, 0 unchanged, 2 rows with problems left out" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "content", "message"), [
    ("reviews.txt", b"Reference\n", "reviews.txt is not a CSV or Excel (.xlsx) file."),
    ("missing.csv", None, "No such file or directory"),
    ("empty.csv", b"", "empty.csv is empty."),
])
def test_bad_files_get_one_line(seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str,
                                content: bytes | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert run(seeded, "import-reviews", str(path), "--icb", "DEMO-N") == 1
    assert message in one_error_line(capsys)


def test_several_icbs_need_one_chosen(seeded: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert manage.run(["import-reviews", str(SAMPLE)], url=seeded) == 1
    assert "several ICBs" in one_error_line(capsys)
