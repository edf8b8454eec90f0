"""Backup and restore: the demo (and the awkward values it lacks) survives backup → restore unchanged, on
each backend and across them; and restore refuses, in one line each, what it cannot safely do."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    MetaData,
    Table,
    create_engine,
    func,
    insert,
    make_url,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

import manage
from db.migrate import alembic_config, upgrade_to_head
from db.models import Base, Icb
from db.session import Database
from operations.backup import (
    BACKUP_FORMAT,
    insertion_order,
    restore_backup,
    write_backup,
    write_native_backup,
)
from operations.demo import SeedReport
from rules.errors import Conflict, Invalid, NotFound
from settings import normalise_url
from tests.conftest import BACKENDS, PG_ENV

AT = dt.datetime(2026, 11, 20, 9, 15, 30, 123456, tzinfo=dt.UTC)
AWKWARD_TEXT = "First line\nsecond line\r\nthird: 😀 👩‍👩‍👧 — مرحبا بالعالم — שלום\tafter a tab, “quotes” & <b>"
CLI_PASSWORD = "a-long-cli-passphrase"
FAR_ZONE = "Asia/Kolkata"  # UTC+05:30 all year


def far_zone(url: str) -> str:
    """PostgreSQL sessions in a zone far from UTC, so a time restored or backed up without its zone shows
    up as hours out. SQLite has no session zone."""
    if url.startswith("sqlite"):
        return url
    return make_url(url).update_query_dict({"options": f"-c TimeZone={FAR_ZONE}"}).render_as_string(
        hide_password=False)


@pytest.fixture(params=BACKENDS, ids=lambda backend: f"to-{backend}")
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A second database, migrated to head and empty: a new SQLite file, or a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'restored.db'}"
        upgrade_to_head(url)
        database = Database.from_url(url)
        yield database
        database.dispose()
        return
    admin_url = os.environ.get(PG_ENV, "").strip()
    if not admin_url:
        pytest.skip(f"{PG_ENV} is not set: the PostgreSQL lane is off")
    admin = create_engine(normalise_url(admin_url), isolation_level="AUTOCOMMIT")
    name = f"leder_restore_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = admin.url.set(database=name).render_as_string(hide_password=False)
        upgrade_to_head(url)
        database = Database.from_url(far_zone(url))
        yield database
        database.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _id(connection: Any, table: str, where: str = "1 = 1") -> int:
    return connection.execute(text(f"SELECT MIN(id) FROM {table} WHERE {where}")).scalar_one()


def add_awkward_values(db: Database) -> None:
    """What the demo leaves out: every table with rows, every column with a value somewhere, and text with
    newlines, emoji and right-to-left script; audit hashes that restore must copy, not recompute."""
    tables = Base.metadata.tables
    with db.engine.begin() as c:
        chair, vicechair = _id(c, "users", "username = 'chair'"), _id(c, "users", "username = 'vicechair'")
        panel, review, action = _id(c, "panels"), _id(c, "focused_reviews"), _id(c, "actions")
        poll, option, item = _id(c, "polls"), _id(c, "vote_options"), _id(c, "agenda_items", "review_id IS NOT NULL")
        empty_meeting = _id(c, "meetings", "id NOT IN (SELECT meeting_id FROM attendance)")
        c.execute(update(tables["users"]).where(tables["users"].c.id == chair)
                  .values(last_login_at=AT, sessions_valid_after=AT + dt.timedelta(hours=1)))
        c.execute(update(tables["meetings"]).where(tables["meetings"].c.id == empty_meeting)
                  .values(current_position=2, deadline_at=AT, min_responses=3, cancelled_reason=AWKWARD_TEXT))
        c.execute(update(tables["focused_reviews"]).where(tables["focused_reviews"].c.id == review)
                  .values(senior_reviewer_id=chair, summary=AWKWARD_TEXT))
        c.execute(update(tables["agenda_items"]).where(tables["agenda_items"].c.id == item)
                  .values(quorum_checked_at=AT))
        c.execute(update(tables["review_comments"]).where(tables["review_comments"].c.id == _id(c, "review_comments"))
                  .values(updated_at=AT, body=AWKWARD_TEXT))
        c.execute(update(tables["votes"]).where(tables["votes"].c.id == _id(c, "votes"))
                  .values(supported_by="Ayşe, support worker 🤝"))
        rows: dict[str, list[dict[str, Any]]] = {
            "attendance": [dict(meeting_id=empty_meeting, user_id=vicechair, status="present_remote",
                                deputy_for_user_id=chair)],
            "audit_events": [dict(panel_id=panel, at=AT, actor_id=None, action="test.awkward", subject="restore",
                                  description=AWKWARD_TEXT, prev_hash="0" * 64, entry_hash="ab" * 32)],
            "minutes_comments": [dict(meeting_id=empty_meeting, author_id=vicechair, body=AWKWARD_TEXT,
                                      created_at=AT)],
            "outgoing_emails": [dict(panel_id=panel, user_id=vicechair, reason="digest-2-2026-11-23",
                                     to_address="vicechair@example.org", subject=AWKWARD_TEXT[:200], body=AWKWARD_TEXT,
                                     created_at=AT, next_attempt_at=AT, attempts=2, last_error="SMTPDataError: 451",
                                     sent_at=AT, given_up_at=AT)],
            "notice_reads": [dict(user_id=vicechair, notice_key="circulation-1", read_at=AT)],
            "registered_interests": [dict(user_id=vicechair, description="Trustee of a charity",
                                          declared_on=dt.date(2024, 2, 29), ended_on=dt.date(2026, 1, 1))],
            "item_declarations": [dict(agenda_item_id=item, user_id=vicechair, interest=AWKWARD_TEXT,
                                       outcome="recused", recorded_by_id=chair, recorded_at=AT)],
            "action_updates": [dict(action_id=action, at=AT, by_id=chair, note=AWKWARD_TEXT, status="in_progress",
                                    new_due_on=dt.date(2027, 3, 31))],
            "anonymous_ballots": [dict(id=uuid.uuid4().hex, poll_id=poll, option_id=option, reason=AWKWARD_TEXT)],
            "escalations": [dict(panel_id=panel, review_id=review, action_id=action, escalated_on=dt.date(2026, 11, 2),
                                 what=AWKWARD_TEXT, to_whom="Regional coordinator", status="responded",
                                 response="", created_by_id=chair, version_id=3)],
            "sign_in_throttle": [
                dict(username_key="chair", failures=3, last_failed_at=AT, blocked_until=AT + dt.timedelta(minutes=15)),
                dict(username_key="zoë@مثال.example", failures=1, last_failed_at=None, blocked_until=None),
            ],
        }
        for name, values in rows.items():
            c.execute(insert(tables[name]), values)


def _normal(value: Any) -> Any:
    """Compare instants, not spellings: SQLite gives naive UTC, PostgreSQL aware times in its own zone."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
    return value


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, every column, ordered by primary key (in Python, so collations agree)."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with db.unit_of_work(read_only=True) as session:
        for table in Base.metadata.sorted_tables:
            key_positions = [list(table.columns).index(c) for c in table.primary_key.columns]
            rows = [tuple(_normal(v) for v in row) for row in session.execute(select(table))]
            tables[table.name] = sorted(rows, key=lambda row: tuple(row[i] for i in key_positions))
    return tables


def _head() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() or ""


def test_round_trip_restores_every_table_and_column_exactly(db: Database, demo: SeedReport, target: Database,
                                                            tmp_path: Path) -> None:
    add_awkward_values(db)
    before = snapshot(db)
    for name, rows in before.items():
        assert rows, f"{name} has no rows, so the test would not notice restore skipping it"
        for position, column in enumerate(Base.metadata.tables[name].columns):
            assert any(row[position] is not None for row in rows), f"{name}.{column.name} is never set"

    out = tmp_path / "backup.json"
    source = Database.from_url(far_zone(db.engine.url.render_as_string(hide_password=False)))
    try:
        with source.unit_of_work(read_only=True) as session:
            written = write_backup(session=session, out=out)
    finally:
        source.dispose()
    with target.unit_of_work() as session:
        report = restore_backup(session=session, source=out)

    after = snapshot(target)
    assert set(before) == set(after) == set(Base.metadata.tables)
    for name in before:
        assert after[name] == before[name], f"{name} differs after restore"
    assert (report.tables, report.rows) == (written.tables, written.rows) == (
        len(Base.metadata.tables), sum(len(rows) for rows in before.values()))
    assert (out.stat().st_mode & 0o077) == 0
    assert_new_rows_get_new_ids(target)


def test_backup_writes_instants_in_utc_whatever_the_backend(db: Database, demo: SeedReport, tmp_path: Path) -> None:
    """One spelling in the file, so a SQLite backup means the same instants on PostgreSQL and back."""
    out = tmp_path / "backup.json"
    with db.unit_of_work(read_only=True) as session:
        write_backup(session=session, out=out)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["format"] == BACKUP_FORMAT and document["schema_revision"] == _head()
    stamps = [row["at"] for row in document["tables"]["audit_events"]]
    assert stamps and all(stamp.endswith("+00:00") for stamp in stamps)


def assert_new_rows_get_new_ids(target: Database) -> None:
    """PostgreSQL's sequences must be moved past the restored ids, or the next insert collides."""
    with target.unit_of_work() as session:
        largest = session.scalar(select(func.max(Icb.id)))
        icb = Icb(code="NEW", name="A new ICB")
        session.add(icb)
        session.flush()
        assert icb.id == largest + 1
        events = Base.metadata.tables["audit_events"]
        session.execute(insert(events).values(panel_id=1, at=AT, action="test", subject="s", description="d"))
    if target.engine.dialect.name != "postgresql":
        return
    with target.engine.begin() as connection:
        for table in insertion_order():
            if "id" in table.columns and isinstance(table.columns["id"].type, Integer):
                largest = connection.scalar(text(f"SELECT COALESCE(MAX(id), 0) FROM {table.name}"))
                following = connection.scalar(text(f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id'))"))
                assert following > largest, table.name


def test_restore_refuses_a_database_that_is_not_empty(db: Database, demo: SeedReport, tmp_path: Path) -> None:
    out = tmp_path / "backup.json"
    with db.unit_of_work(read_only=True) as session:
        write_backup(session=session, out=out)
    with pytest.raises(Conflict, match="not empty"), db.unit_of_work() as session:
        restore_backup(session=session, source=out)


def test_restore_refuses_a_backup_from_another_schema_revision(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "backup.json"
    with db.unit_of_work(read_only=True) as session:
        write_backup(session=session, out=out)
    document = json.loads(out.read_text(encoding="utf-8"))
    document["schema_revision"] = "0007"
    out.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(Invalid) as refused, db.unit_of_work() as session:
        restore_backup(session=session, source=out)
    assert "revision 0007" in str(refused.value) and f"revision {_head()}" in str(refused.value)


def _backup_document(db: Database, out: Path) -> dict[str, Any]:
    with db.unit_of_work(read_only=True) as session:
        write_backup(session=session, out=out)
    return json.loads(out.read_text(encoding="utf-8"))


DAMAGE: list[tuple[str, type[Exception], str]] = [
    ("missing", NotFound, "There is no file"),
    ("folder", Invalid, "is a folder"),
    ("not json", Invalid, "is not a backup file written by `manage.py backup` (it is not JSON)"),
    ("binary", Invalid, "is not a backup file written by `manage.py backup` (it is not JSON)"),
    ("other format", Invalid, f"is not a backup file written by `manage.py backup` (expected {BACKUP_FORMAT})"),
    ("no tables", Invalid, "is damaged: it has no list of rows for each table"),
    ("table missing", Invalid, "does not match this schema (tables missing: ['users']; unknown: none)"),
    ("column missing", Invalid, "does not match this schema: a row of icbs has other columns"),
]


def _damaged(document: dict[str, Any], source: Path, damage: str) -> Path:
    """Write `document` to a new file next to `source`, spoilt in one way."""
    path = source.with_name(f"{damage.replace(' ', '-')}.json")
    tables = dict(document["tables"])
    if damage == "folder":
        path.mkdir()
    elif damage == "not json":
        path.write_text("{ this is not JSON", encoding="utf-8")
    elif damage == "binary":
        path.write_bytes(b"SQLite format 3\x00\xff\xfe")
    elif damage == "other format":
        path.write_text(json.dumps({**document, "format": "something-else/1"}), encoding="utf-8")
    elif damage == "no tables":
        path.write_text(json.dumps({**document, "tables": None}), encoding="utf-8")
    elif damage == "table missing":
        tables.pop("users")
        path.write_text(json.dumps({**document, "tables": tables}), encoding="utf-8")
    elif damage == "column missing":
        tables["icbs"] = [{"id": 1, "code": "X"}]
        path.write_text(json.dumps({**document, "tables": tables}), encoding="utf-8")
    return path


def test_restore_refuses_what_is_not_a_backup_of_this_schema(db: Database, tmp_path: Path) -> None:
    document = _backup_document(db, tmp_path / "backup.json")
    for damage, error, message in DAMAGE:
        source = _damaged(document, tmp_path / "backup.json", damage)
        with pytest.raises(error) as refused, db.unit_of_work() as session:
            restore_backup(session=session, source=source)
        assert str(source) in str(refused.value) and message in str(refused.value), damage
    with db.unit_of_work(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(Icb)) == 0


def test_a_failed_restore_leaves_the_database_empty(db: Database, tmp_path: Path) -> None:
    """One transaction: a row the database rejects half way through undoes every row before it."""
    out = tmp_path / "backup.json"
    document = _backup_document(db, out)
    document["tables"]["icbs"] = [{"id": 1, "code": "DEMO-N", "name": "An ICB"}]
    document["tables"]["panels"] = [{"id": 1, "icb_id": 99, "name": "A panel of an ICB that is not there"}]
    out.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(IntegrityError), db.unit_of_work() as session:
        restore_backup(session=session, source=out)
    assert all(not rows for rows in snapshot(db).values())


def test_every_table_can_be_ordered_parents_first() -> None:
    order = insertion_order()
    assert sorted(t.name for t in order) == sorted(Base.metadata.tables)
    position = {table.name: n for n, table in enumerate(order)}
    for table in order:
        for key in table.foreign_keys:
            assert position[key.column.table.name] < position[table.name], (table.name, key.target_fullname)


def test_a_table_that_refers_to_itself_is_refused_in_words() -> None:
    metadata = MetaData()
    Table("people", metadata, Column("id", Integer, primary_key=True), Column("manager_id", ForeignKey("people.id")))
    with pytest.raises(RuntimeError, match="people"):
        insertion_order(metadata)


def test_native_backup_is_the_database_s_own_private_copy(db: Database, demo: SeedReport, tmp_path: Path) -> None:
    sqlite = db.engine.dialect.name == "sqlite"
    if not sqlite and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed here")
    out = tmp_path / ("backup.db" if sqlite else "backup.dump")
    size = write_native_backup(engine=db.engine, out=out)
    assert size == out.stat().st_size > 0 and (out.stat().st_mode & 0o077) == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup-")] == []
    if not sqlite:
        assert out.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format, for pg_restore
        return
    copy = sqlite3.connect(out)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT COUNT(*) FROM users").fetchone() == (12,)
    finally:
        copy.close()


def test_native_backup_without_pg_dump_says_what_to_do(db: Database, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite's own backup needs no other program")
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(Invalid, match="pg_dump is not on the PATH"):
        write_native_backup(engine=db.engine, out=tmp_path / "backup.dump")
    assert list(tmp_path.iterdir()) == []


# manage.py restore: the same checks, one line on stderr each, exit 1.

def cli(url: str, *argv: str) -> int:
    return manage.run(list(argv), url=url)


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture
def backed_up(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A demo database on SQLite, backed up through manage.py."""
    monkeypatch.setenv("LEDER_DEMO_PASSWORD", CLI_PASSWORD)
    url = f"sqlite:///{tmp_path / 'source.db'}"
    out = tmp_path / "backup.json"
    assert cli(url, "init-db") == 0 and cli(url, "seed-demo") == 0
    assert cli(url, "backup", "--out", str(out)) == 0
    capsys.readouterr()
    return out


def test_cli_restores_into_a_new_database_then_refuses_to_do_it_again(
    backed_up: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    cli(url, "init-db")
    capsys.readouterr()
    assert cli(url, "restore", "--from", str(backed_up)) == 0
    rows = sum(len(r) for r in json.loads(backed_up.read_text(encoding="utf-8"))["tables"].values())
    tables = len(Base.metadata.tables)
    assert capsys.readouterr().out.strip() == f"Restored {rows} rows in {tables} tables from {backed_up}."
    assert cli(url, "list-meetings", "--json") == 0 and len(json.loads(capsys.readouterr().out)) == 4
    assert cli(url, "restore", "--from", str(backed_up)) == 1
    assert "The database is not empty" in one_error_line(capsys)
    assert cli(url, "backup", "--native", "--out", str(tmp_path / "copy.db")) == 0
    assert "Wrote the sqlite database's own backup to" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("missing file", "There is no file"),
        ("not json", "is not a backup file written by `manage.py backup`"),
        ("other revision", "is from schema revision 0001, but this database is at revision"),
        ("not migrated", "run `manage.py init-db`, then restore"),
    ],
)
def test_cli_restore_explains_bad_input_in_one_line(
    backed_up: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, message: str
) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    if case != "not migrated":
        cli(url, "init-db")
    source = backed_up
    if case == "missing file":
        source = tmp_path / "nowhere.json"
    elif case == "not json":
        source.write_text("not a backup", encoding="utf-8")
    elif case == "other revision":
        document = json.loads(source.read_text(encoding="utf-8"))
        source.write_text(json.dumps({**document, "schema_revision": "0001"}), encoding="utf-8")
    capsys.readouterr()
    assert cli(url, "restore", "--from", str(source)) == 1
    assert message in one_error_line(capsys)


def test_cli_restore_needs_from(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli(f"sqlite:///{tmp_path / 'x.db'}", "restore")
    assert exit_info.value.code == 2
    assert "--from" in one_error_line(capsys)
