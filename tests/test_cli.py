"""manage.py, run in-process: each command's one-line result, and bad input gets one line and exit 1 or 2."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import manage
from db.session import Database

PASSWORD = "a-long-cli-passphrase"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def run(url: str, *argv: str) -> int:
    return manage.run(list(argv), url=url)


@pytest.fixture
def seeded(url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated database with the demo in it, and nothing left on the captured output."""
    monkeypatch.setenv("LEDER_DEMO_PASSWORD", PASSWORD)
    run(url, "init-db")
    run(url, "seed-demo")
    capsys.readouterr()
    return url


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_init_db_twice_then_seed_and_list(url: str, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDER_DEMO_PASSWORD", PASSWORD)
    assert run(url, "init-db") == 0
    assert run(url, "init-db") == 0
    assert run(url, "seed-demo") == 0
    out = capsys.readouterr().out
    assert "chair, vicechair, member" in out and PASSWORD not in out
    assert run(url, "list-meetings", "--json") == 0
    meetings = json.loads(capsys.readouterr().out)
    assert len(meetings) == 4
    assert {"id", "date", "title", "status"} <= set(meetings[0])
    assert run(url, "list-meetings") == 0
    assert "papers_circulated" in capsys.readouterr().out


def test_seed_without_password_generates_and_prints_one(url: str, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEDER_DEMO_PASSWORD", raising=False)
    run(url, "init-db")
    assert run(url, "seed-demo") == 0
    assert "shown once" in capsys.readouterr().out


def test_seed_refuses_data_unless_if_empty(url: str, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDER_DEMO_PASSWORD", PASSWORD)
    run(url, "init-db")
    run(url, "seed-demo")
    capsys.readouterr()
    assert run(url, "seed-demo") == 1
    assert "already has data" in one_error_line(capsys)
    assert run(url, "seed-demo", "--if-empty") == 0
    assert "not added" in capsys.readouterr().out


def test_the_national_seed_refuses_data_and_a_scale_it_does_not_know(
        url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDER_DEMO_PASSWORD", PASSWORD)
    run(url, "init-db")
    run(url, "seed-demo")
    capsys.readouterr()
    assert run(url, "seed-demo", "--scale", "national") == 1
    assert "already has data" in one_error_line(capsys)
    with pytest.raises(SystemExit) as exit_:
        run(url, "seed-demo", "--scale", "huge")
    assert exit_.value.code == 2
    assert "invalid choice: 'huge'" in one_error_line(capsys)


def test_short_demo_password_is_refused(url: str, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDER_DEMO_PASSWORD", "demo")
    run(url, "init-db")
    capsys.readouterr()
    assert run(url, "seed-demo") == 1
    assert "LEDER_DEMO_PASSWORD is not usable" in one_error_line(capsys)


def test_create_user_reads_password_from_stdin(url: str, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDER_DEMO_PASSWORD", PASSWORD)
    run(url, "init-db")
    run(url, "seed-demo")
    monkeypatch.setattr("sys.stdin", io.StringIO("another-long-passphrase\n"))
    code = run(url, "create-user", "--username", "newchair", "--name", "New Chair", "--email",
               "n@example.org", "--role", "chair,secretariat", "--icb", "demo-n", "--password-stdin")
    assert code == 0
    assert "Created user 'newchair' with roles: chair, secretariat." in capsys.readouterr().out
    database = Database.from_url(url)
    try:
        from features.people.actors import load_actor
        from features.people.passwords import verify_password
        from features.people.users import credentials_for_authenticator

        with database.unit_of_work(read_only=True) as session:
            assert load_actor(session=session, username="newchair").icb_name.startswith("NHS Northshire")
            stored = credentials_for_authenticator(session=session)["usernames"]["newchair"]["password"]
        assert verify_password("another-long-passphrase", str(stored))
    finally:
        database.dispose()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["create-user", "--username", "newbie", "--name", "X", "--email", "x@example.org", "--role", "king"],
         "'king' is not a role"),
        (["create-user", "--username", "newbie", "--name", "X", "--email", "bad", "--role", "chair", "--icb", "DEMO-N"],
         "Enter an email address"),
        (["create-user", "--username", "newbie", "--name", "X", "--email", "x@example.org", "--role", "chair"],
         "several ICBs"),
        (["create-user", "--username", "chair", "--name", "X", "--email", "x@example.org", "--role", "chair",
          "--icb", "DEMO-N"], "already taken"),
        (["create-user", "--username", "newbie", "--name", "X", "--email", "x@example.org", "--role", "chair",
          "--icb", "NOPE"], "No ICB has the code"),
        (["backup", "--out", "no-such-folder/backup.json"], "does not exist"),
    ],
)
def test_bad_input_gets_one_clear_line(url: str, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch, argv: list[str], message: str) -> None:
    monkeypatch.setenv("LEDER_DEMO_PASSWORD", PASSWORD)
    monkeypatch.chdir(Path(url.removeprefix("sqlite:///")).parent)
    run(url, "init-db")
    run(url, "seed-demo")
    capsys.readouterr()
    assert run(url, *argv) == 1
    assert message in one_error_line(capsys)


def test_unknown_command_and_missing_arguments_exit_2(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["frobnicate"], ["create-user", "--username", "x"], []):
        with pytest.raises(SystemExit) as exit_info:
            run(url, *argv)
        assert exit_info.value.code == 2
        one_error_line(capsys)


def test_database_not_migrated_is_explained(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(url, "list-meetings") == 1
    assert "init-db" in one_error_line(capsys)


def test_unreachable_database_is_explained_with_the_password_masked(capsys: pytest.CaptureFixture[str],
                                                                    tmp_path: Path) -> None:
    assert run("postgresql://nobody:s3cret-word@127.0.0.1:9/none", "list-meetings") == 2
    line = one_error_line(capsys)
    assert "cannot be reached: postgresql+psycopg://nobody:***@127.0.0.1:9/none" in line
    assert "s3cret-word" not in line and "postgresql://USER:PASSWORD@HOST:5432/DATABASE" in line
    assert run(f"sqlite:///{tmp_path}", "list-meetings") == 2  # a folder, not a database file
    assert "cannot be reached" in one_error_line(capsys)


@pytest.mark.parametrize(("variable", "value", "message"), [
    ("DATABASE_URL", "not-a-database-url", "DATABASE_URL is not a database address this app can use"),
    ("DATABASE_URL", "mysql://root:hunter22@db/leder", "'mysql://root:***@db/leder'"),
    ("LEDER_IDLE_MINUTES", "ten", "LEDER_IDLE_MINUTES must be a whole number of minutes from 1 to 1440"),
    ("LEDER_BCRYPT_ROUNDS", "99", "LEDER_BCRYPT_ROUNDS must be a whole number of bcrypt rounds from 4 to 16"),
    ("PORT", "eighty", "PORT must be a port number"),
])
def test_a_bad_setting_stops_every_command_with_one_line_and_exit_2(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], variable: str, value: str,
        message: str) -> None:
    monkeypatch.setenv(variable, value)
    assert manage.run(["list-meetings"]) == 2
    line = one_error_line(capsys)
    assert message in line and "hunter22" not in line


def test_check_settings_says_what_is_in_force(url: str, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDER_IDLE_MINUTES", "45")
    assert run(url, "check-settings") == 0
    said = capsys.readouterr().out
    assert said.startswith("Settings are good.") and "(it answers)" in said and "after 45 minutes" in said


def test_send_mail_without_email_settings_says_how_to_switch_it_on(url: str, capsys: pytest.CaptureFixture[str]
                                                                 ) -> None:
    assert run(url, "send-mail", "--digest") == 1
    assert one_error_line(capsys) == ("error: email is off: set LEDER_SMTP_HOST and LEDER_SMTP_FROM first "
                                      "(README, Email)")


def test_an_unparsable_smtp_port_stops_the_command_in_one_line(url: str, capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDER_SMTP_HOST", "smtp.example.nhs.uk")
    monkeypatch.setenv("LEDER_SMTP_FROM", "leder-panel@example.nhs.uk")
    monkeypatch.setenv("LEDER_SMTP_PORT", "twenty-five")
    assert run(url, "check-settings") == 2
    assert one_error_line(capsys) == ("error: LEDER_SMTP_PORT must be a port number from 1 to 65535; it is "
                                      "'twenty-five'.")


def test_a_malformed_database_url_gets_one_line_not_a_traceback_from_a_real_process(tmp_path: Path) -> None:
    """The issue's own reproduction: a real `python manage.py list-meetings` process."""
    environment = {**os.environ, "DATABASE_URL": "not-a-database-url"}
    done = subprocess.run([sys.executable, "manage.py", "list-meetings"], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: DATABASE_URL is not a database address") and done.stderr.count("\n") == 1


def test_make_run_stops_on_a_malformed_database_url_before_serving(tmp_path: Path) -> None:
    """`make run` checks the settings first, so a wrong DATABASE_URL is one line, and nothing is served."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    environment = {**os.environ, "DATABASE_URL": "postgres://nobody:s3cret@/"}
    done = subprocess.run(["make", "--no-print-directory", "run", f"PYTHON={sys.executable}"], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 2, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "DATABASE_URL" in errors[0] and "s3cret" not in done.stderr
    assert "Traceback" not in done.stderr and "streamlit run" not in done.stdout


def test_backup_writes_every_table_privately(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDER_DEMO_PASSWORD", PASSWORD)
    run(url, "init-db")
    run(url, "seed-demo")
    out = tmp_path / "backup.json"
    assert run(url, "backup", "--out", str(out)) == 0
    document = json.loads(out.read_text())
    assert document["format"] == "leder-backup/1"
    from alembic.script import ScriptDirectory

    from db.migrate import MIGRATIONS_DIR, alembic_config

    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    assert MIGRATIONS_DIR.exists() and document["schema_revision"] == head
    assert len(document["tables"]["users"]) == 12
    assert len(document["tables"]["focused_reviews"]) == 14
    assert out.stat().st_mode & 0o077 == 0
    assert PASSWORD not in out.read_text()


def test_export_actions_writes_csv_and_excel_and_refuses_other_files(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    url = seeded
    assert run(url, "export-actions", "--out", str(tmp_path / "log.xlsx"), "--icb", "DEMO-N") == 0
    assert "Wrote 8 actions" in capsys.readouterr().out
    sheet = openpyxl.load_workbook(tmp_path / "log.xlsx").active
    assert [c.value for c in sheet[1]][:3] == ["Review", "Action", "Answers"] and sheet.max_row == 9
    assert run(url, "export-actions", "--out", str(tmp_path / "log.csv"), "--icb", "DEMO-N") == 0
    assert (tmp_path / "log.csv").read_text(encoding="utf-8-sig").startswith("Review,Action,")
    capsys.readouterr()
    assert run(url, "export-actions", "--out", str(tmp_path / "log.txt"), "--icb", "DEMO-N") == 1
    assert "must end in .csv or .xlsx" in one_error_line(capsys)
    assert run(url, "export-actions", "--out", str(tmp_path / "log.csv")) == 1
    assert "several ICBs" in one_error_line(capsys)


def test_export_minutes_writes_a_word_file_and_explains_bad_input(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docx import Document

    url = seeded
    assert run(url, "export-minutes", "--meeting", "2", "--out", str(tmp_path / "minutes.docx")) == 0
    assert "Wrote the minutes of meeting 2" in capsys.readouterr().out
    assert Document(str(tmp_path / "minutes.docx")).paragraphs[0].style.name == "Title"
    assert run(url, "export-minutes", "--meeting", "1", "--out", str(tmp_path / "approved.docx")) == 0
    approved = [p.text for p in Document(str(tmp_path / "approved.docx")).paragraphs]
    assert any(text.startswith("Approved at the meeting on") for text in approved), "the frozen approved version"
    capsys.readouterr()
    assert run(url, "export-minutes", "--meeting", "1", "--easy-read", "--out", str(tmp_path / "easy.docx")) == 0
    assert "Wrote the Easy Read minutes of meeting 1" in capsys.readouterr().out
    assert Document(str(tmp_path / "easy.docx")).paragraphs[0].text.startswith("What the panel decided on")
    for argv, message in [
        (("--meeting", "99", "--out", str(tmp_path / "m.docx")), "There is no meeting with id 99"),
        (("--meeting", "2", "--out", str(tmp_path / "missing" / "m.docx")), "does not exist"),
        (("--meeting", "2", "--out", str(tmp_path / "m.pdf")), "must end in .docx"),
        (("--meeting", "3", "--out", str(tmp_path / "m.docx")), "No attendance has been recorded"),
        (("--meeting", "3", "--easy-read", "--out", str(tmp_path / "m.docx")), "No attendance has been recorded"),
        (("--meeting", "99", "--easy-read", "--out", str(tmp_path / "m.docx")), "There is no meeting with id 99"),
    ]:
        assert run(url, "export-minutes", *argv) == 1
        assert message in one_error_line(capsys)


def test_export_pack_writes_either_pack_marks_the_papers_and_explains_bad_input(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Meeting 3 is the north panel's upcoming meeting; 2 was held last week; 4 is the south panel's."""
    from docx import Document
    from sqlalchemy import text

    from rules.formatting import long_date

    url = seeded
    assert run(url, "export-pack", "--meeting", "3", "--out", str(tmp_path / "pack.docx")) == 0
    out = capsys.readouterr().out.strip()
    assert out == (f"Wrote the meeting pack of meeting 3 to {tmp_path / 'pack.docx'} "
                   f"({(tmp_path / 'pack.docx').stat().st_size} bytes); papers marked as circulated on "
                   f"{long_date(dt.date.today())}.")
    assert Document(str(tmp_path / "pack.docx")).paragraphs[0].text.startswith("Meeting pack: ")
    assert run(url, "export-pack", "--meeting", "3", "--easy-read", "--out", str(tmp_path / "easy.docx")) == 0
    assert "Wrote the Easy Read pack of meeting 3" in capsys.readouterr().out
    assert Document(str(tmp_path / "easy.docx")).paragraphs[0].text.startswith("Papers for the meeting on ")
    database = Database.from_url(url)
    try:
        with database.engine.connect() as connection:
            entries = connection.execute(text("SELECT actor_id, description FROM audit_events WHERE action = "
                                              "'papers circulated' AND subject = 'meeting 3'")).all()
    finally:
        database.dispose()
    assert len(entries) == 2 and all(actor is None for actor, _ in entries), "the operator is no account"
    assert all(long_date(dt.date.today()) in description for _, description in entries)
    for argv, message in [
        (("--meeting", "99", "--out", str(tmp_path / "p.docx")), "There is no meeting with id 99"),
        (("--meeting", "3", "--out", str(tmp_path / "p.pdf")), "must end in .docx"),
        (("--meeting", "3", "--out", str(tmp_path / "missing" / "p.docx")), "does not exist"),
        (("--meeting", "3", "--out", str(tmp_path)), "is a folder"),
        (("--meeting", "2", "--out", str(tmp_path / "p.docx")), "Papers go out before a meeting starts"),
    ]:
        assert run(url, "export-pack", *argv) == 1
        assert message in one_error_line(capsys)
    with pytest.raises(SystemExit) as leaving:
        run(url, "export-pack", "--meeting", "three", "--out", "p.docx")
    assert leaving.value.code == 2 and "'three' is not an id" in one_error_line(capsys)


@pytest.mark.parametrize(("argv", "code", "message"), [
    (("nonsense",), 2, "invalid choice: 'nonsense'"),
    (("export-minutes", "--meeting", "abc", "--out", "m.docx"), 2, "'abc' is not an id"),
    (("export-minutes", "--meeting", "-5", "--out", "m.docx"), 2, "-5 is not an id"),
    (("export-minutes", "--meeting", "9" * 30, "--out", "m.docx"), 2, "is not an id"),
    (("export-minutes", "--meeting", "2"), 2, "the following arguments are required: --out"),
    (("export-minutes", "--meeting", "2", "--out", "."), 1, "is a folder"),
    (("export-actions", "--out", "log.csv", "--icb", "NOWHERE"), 1, "NOWHERE"),
    (("list-meetings", "extra"), 2, "unrecognized arguments: extra"),
    (("create-user", "--username", "x", "--name", "X", "--email", "x@example.org", "--role", "king",
      "--icb", "DEMO-N"), 1, "'king' is not a role"),
])
def test_the_cli_answers_bad_input_in_one_line(seeded: str, capsys: pytest.CaptureFixture[str],
                                               argv: tuple[str, ...], code: int, message: str) -> None:
    """The CLI's share of the hostile-input catalogue: one line on stderr, a non-zero exit, no traceback."""
    if code == 2:
        with pytest.raises(SystemExit) as leaving:
            run(seeded, *argv)
        assert leaving.value.code == 2
    else:
        assert run(seeded, *argv) == code
    assert message in one_error_line(capsys)


def _this_financial_year() -> int:
    """The demo's dates move with the day it is seeded, so the report's year does too."""
    today = dt.date.today()
    return today.year if today.month >= 4 else today.year - 1


def test_export_report_writes_a_word_file_and_with_csv_its_figures_beside_it(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docx import Document

    year = _this_financial_year()
    label = f"{year}/{(year + 1) % 100:02d}"
    out = tmp_path / "annual-report.docx"
    assert run(seeded, "export-report", "--year", str(year), "--icb", "DEMO-N", "--out", str(out)) == 0
    said = capsys.readouterr()
    assert said.err == ""
    lines = said.out.strip().splitlines()
    assert len(lines) == 1, said.out
    assert lines[0].startswith(f"Wrote the annual report for {label} (NHS Northshire")
    assert f" to {out} ({out.stat().st_size} bytes, " in lines[0] and lines[0].endswith(" charts).")
    document = Document(str(out))
    assert document.paragraphs[0].style.name == "Title" and label in document.paragraphs[0].text
    assert "Northshire" in document.paragraphs[0].text and document.inline_shapes
    assert not (tmp_path / "annual-report.csv").exists()

    assert run(seeded, "export-report", "--year", str(year), "--icb", "demo-n", "--csv", "--out", str(out)) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    figures = tmp_path / "annual-report.csv"
    assert len(lines) == 2, lines
    assert lines[1].startswith("Wrote its ") and f" figures to {figures} ({figures.stat().st_size} bytes)." in lines[1]
    rows = list(csv.reader(io.StringIO(figures.read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["Section", "What", "Measure", "Value"]
    assert f"Wrote its {len(rows) - 1} figures" in lines[1]
    assert ["Year", label, "Reviews received"] == rows[1][:3] and int(rows[1][3]) > 0


def test_export_report_for_the_other_icb_and_a_calendar_year(seeded: str, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """The south ICB's report holds its own reviews only: the calendar year of its latest one."""
    from docx import Document
    from sqlalchemy import select

    from db.models import FocusedReview, Icb, Panel

    database = Database.from_url(seeded)
    try:
        with database.unit_of_work(read_only=True) as session:
            south = session.scalars(select(FocusedReview.notified_on).join(Panel).join(Icb)
                                    .where(Icb.code == "DEMO-S")).all()
    finally:
        database.dispose()
    latest = max(south)
    out = tmp_path / "south.docx"
    assert run(seeded, "export-report", "--year", str(latest.year), "--calendar", "--icb", "DEMO-S",
               "--out", str(out)) == 0
    assert f"Wrote the annual report for {latest.year} (NHS Southvale" in capsys.readouterr().out
    document = Document(str(out))
    title = document.paragraphs[0].text
    assert "Southvale" in title and "Northshire" not in title and title.endswith(str(latest.year))
    [quarters] = [t for t in document.tables if t.rows[0].cells[0].text == "Quarter"]
    received = sum(int(row.cells[1].text) for row in quarters.rows[1:])
    assert received == sum(day.year == latest.year for day in south)  # the south's reviews, none of the north's


def test_export_report_says_how_many_passages_the_personal_data_check_left_out(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docx import Document
    from sqlalchemy import select

    from db.models import Action, Icb, Panel
    from features.insight.report import LEFT_OUT

    database = Database.from_url(seeded)
    try:
        with database.unit_of_work() as session:  # the demo's actions were all agreed today, so in this year
            action = session.scalars(select(Action).join(Panel).join(Icb).where(Icb.code == "DEMO-N")
                                     .order_by(Action.id)).first()
            action.owner_organisation = "The surgery at LS1 4AP"
    finally:
        database.dispose()
    out = tmp_path / "annual-report.docx"
    assert run(seeded, "export-report", "--year", str(_this_financial_year()), "--icb", "DEMO-N",
               "--out", str(out)) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2, lines
    assert lines[1] == ("1 passage left out by the personal-data check; each is marked in the report. "
                        "Check them in the app.")
    cells = [cell.text for table in Document(str(out)).tables for row in table.rows for cell in row.cells]
    assert LEFT_OUT in cells and not any("LS1 4AP" in cell for cell in cells)


YEAR = str(_this_financial_year())
NORTH = ("--icb", "DEMO-N")


@pytest.mark.parametrize(("argv", "code", "message"), [
    (("--year", "20x", *NORTH, "--out", "report.docx"), 2, "'20x' is not a year; give one such as 2026"),
    (("--out", "report.docx", *NORTH), 2, "the following arguments are required: --year"),
    (("--year", str(int(YEAR) + 1), *NORTH, "--out", "report.docx"), 1, "has not started yet"),
    (("--year", str(int(YEAR) - 3), *NORTH, "--out", "report.docx"), 1, "the panel's records begin on"),
    (("--year", "1999", *NORTH, "--out", "report.docx"), 1, "1999 is not a year the report can cover"),
    (("--year", YEAR, *NORTH, "--out", "report.pdf"), 1, "report.pdf: the file must end in .docx"),
    (("--year", YEAR, *NORTH, "--out", "missing/report.docx"), 1, "The folder missing does not exist"),
    (("--year", YEAR, *NORTH, "--out", "."), 1, "is a folder"),
    (("--year", YEAR, "--icb", "NOWHERE", "--out", "report.docx"), 1, "No ICB has the code 'NOWHERE'"),
    (("--year", YEAR, "--out", "report.docx"), 1, "There are several ICBs; choose one with --icb (DEMO-"),
])
def test_export_report_answers_bad_input_in_one_line(seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...], code: int,
                                                     message: str) -> None:
    """One line on stderr, a non-zero exit, no traceback, nothing on stdout and no file written."""
    monkeypatch.chdir(tmp_path)
    if code == 2:
        with pytest.raises(SystemExit) as leaving:
            run(seeded, "export-report", *argv)
        assert leaving.value.code == 2
    else:
        assert run(seeded, "export-report", *argv) == code
    said = capsys.readouterr()
    assert said.out == "" and "Traceback" not in said.err
    assert said.err.count("\n") == 1 and said.err.startswith("error: ") and message in said.err
    assert not list(tmp_path.rglob("report*"))


def test_close_circulations_closes_one_past_its_deadline_once_and_tells_the_chair(
    seeded: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nobody opened the page after the deadline: the scheduled command closes it, and only it."""
    from sqlalchemy import select

    from db.models import AgendaItem, FocusedReview, Meeting, Poll
    from features.circulation.circulation import start_circulation
    from features.notices.notices import NoticeKind, notices_for
    from features.people.actors import load_actor
    from features.voting.voting import cast_vote, vote_options
    from rules.vocabulary import MeetingKind, MeetingStatus

    database = Database.from_url(seeded)
    now = dt.datetime.now(dt.UTC)
    try:
        with database.unit_of_work() as session:
            chair = load_actor(session=session, username="chair")
            ready = session.scalars(select(FocusedReview.id).where(FocusedReview.reference.like("%-0112"))).all()
            circulation_id = start_circulation(session=session, actor=chair, review_ids=list(ready), min_responses=2,
                                               deadline_at=now - dt.timedelta(days=1), anonymous=False,
                                               now=now - dt.timedelta(days=2))
            poll_id = session.scalars(select(Poll.id).join(AgendaItem, AgendaItem.id == Poll.agenda_item_id)
                                      .where(AgendaItem.meeting_id == circulation_id)).one()
            option = vote_options(session=session, panel_id=chair.panel_id)[0]
            for member in ("lived", "emlead"):  # the panel's quorum roles: quorate
                cast_vote(session=session, actor=load_actor(session=session, username=member), poll_id=poll_id,
                          option_id=option.id, reason="", now=now - dt.timedelta(days=2))
        assert run(seeded, "close-circulations") == 0
        assert capsys.readouterr().out.strip() == "Closed 1 decision by circulation at the deadline."
        assert run(seeded, "close-circulations") == 0
        assert capsys.readouterr().out.strip() == ("Nothing to close: no decision by circulation is open past its "
                                                   "deadline.")
        with database.unit_of_work(read_only=True) as session:
            statuses = session.scalars(select(Meeting.status).where(Meeting.kind == MeetingKind.CIRCULATION)).all()
            assert MeetingStatus.IN_PROGRESS not in statuses
            told = [n.words for n in notices_for(session=session, actor=chair, now=now)
                    if n.kind == NoticeKind.DECISION]
            assert len(told) == 1 and told[0].endswith("are in. Record the panel's decision.")
    finally:
        database.dispose()
