"""A portable backup: every table as JSON rows, in dependency order, with the schema revision.

JSON rather than a database-specific dump so a backup taken on SQLite restores on PostgreSQL and back.
The file holds password hashes and case text, so it is written readable by its owner only.

Restore fills an empty database that is already migrated to the same revision, in one transaction, with
the exact ids and values: nothing is recomputed (the audit log's hash chain included), so a restored
database is the one that was backed up.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Table,
    Time,
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.ddl import sort_tables_and_constraints

from db.models import Base
from documents.output_files import check_output_file
from rules.errors import Conflict, Invalid, NotFound

BACKUP_FORMAT = "leder-backup/1"
PG_DUMP_TIMEOUT_SECONDS = 3600


@dataclass(frozen=True)
class BackupReport:
    path: Path
    tables: int
    rows: int
    bytes: int


@dataclass(frozen=True)
class RestoreReport:
    path: Path
    tables: int
    rows: int


def _as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive UTC and PostgreSQL aware times in the session's zone: one spelling for both."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return _as_utc(value).isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


def _schema_revision(session: Session) -> str | None:
    return session.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()


def _snapshot_reads(session: Session) -> None:
    """On PostgreSQL each statement would otherwise see its own snapshot, so a write between two tables'
    reads could leave a child row without its parent in the file. SQLite's read transaction is one
    snapshot already."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def write_backup(*, session: Session, out: Path) -> BackupReport:
    """Write the whole database to `out` atomically (a temp file renamed into place)."""
    check_output_file(out, example="backup.json")
    _snapshot_reads(session)
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in Base.metadata.sorted_tables:
        rows = session.execute(select(table).order_by(*table.primary_key.columns)).mappings().all()
        tables[table.name] = [{k: _jsonable(v) for k, v in row.items()} for row in rows]
    document = {
        "format": BACKUP_FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "schema_revision": _schema_revision(session),
        "tables": tables,
    }
    payload = json.dumps(document, indent=1, sort_keys=True).encode("utf-8")

    def write(handle: int, _temp: Path) -> None:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)

    _write_privately(out, write)
    return BackupReport(out, len(tables), sum(len(r) for r in tables.values()), len(payload))


def _write_privately(out: Path, write: Callable[[int, Path], None]) -> None:
    """Fill a temp file that only its owner can read, then rename it into place, so a failed or
    interrupted backup never leaves a half-written file under the real name. `write` owns the handle."""
    handle, temp_name = tempfile.mkstemp(dir=out.parent, prefix=".backup-", suffix=".tmp")
    try:
        os.fchmod(handle, 0o600)
        write(handle, Path(temp_name))
        os.replace(temp_name, out)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def write_native_backup(*, engine: Engine, out: Path) -> int:
    """The database's own copy, for a same-backend recovery: SQLite's online backup of every page (WAL
    included, while the app runs) or pg_dump's custom format. Returns the file's size in bytes.

    Restore takes the portable JSON file only; the docs say how to bring a native copy back."""
    check_output_file(out, example="backup.db" if engine.dialect.name == "sqlite" else "backup.dump")
    if engine.dialect.name == "sqlite":
        _write_privately(out, lambda handle, temp: _sqlite_copy(engine, handle, temp))
    else:
        _write_privately(out, lambda handle, temp: _pg_dump(engine, handle, temp))
    return out.stat().st_size


def _sqlite_copy(engine: Engine, handle: int, temp: Path) -> None:
    os.close(handle)
    source = engine.raw_connection()
    destination = sqlite3.connect(temp)
    try:
        cast(sqlite3.Connection, source.driver_connection).backup(destination)  # pysqlite's own connection
    finally:
        destination.close()
        source.close()


def _pg_dump(engine: Engine, handle: int, temp: Path) -> None:
    """The password goes to pg_dump in its environment, never on its command line where `ps` shows it."""
    os.close(handle)
    program = shutil.which("pg_dump")
    if program is None:
        raise Invalid("pg_dump is not on the PATH: install the PostgreSQL client tools (the same major "
                      "version as the server), or leave out --native for the portable JSON backup.")
    url = engine.url
    environment = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    done = subprocess.run(
        [program, "--format=custom", "--no-password", f"--file={temp}", f"--dbname={dsn}"],
        env=environment, capture_output=True, text=True, timeout=PG_DUMP_TIMEOUT_SECONDS, check=False,
    )
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        raise Invalid(f"pg_dump failed: {reason}")


def insertion_order(metadata: MetaData = Base.metadata) -> list[Table]:
    """Parents before children, so every foreign key holds as each row goes in.

    A table that refers to itself, or a cycle of tables, would need rows inserted with the key empty and
    filled in afterwards; the schema has neither, and this says so loudly if one appears rather than
    letting a restore fail half way."""
    tables = list(metadata.tables.values())
    self_referencing = sorted({t.name for t in tables for fk in t.foreign_keys if fk.column.table is t})
    # SQLAlchemy ships this helper without annotations; its result is a list of (table, constraints) pairs.
    *ordered, (_, cyclic) = sort_tables_and_constraints(tables)  # type: ignore[no-untyped-call]
    if self_referencing or cyclic:
        names = self_referencing + sorted({c.table.name for c in cyclic})
        raise RuntimeError(f"Restore cannot order tables that refer to themselves or each other: {names}.")
    return [table for table, _ in ordered if table is not None]


def read_backup(path: Path) -> dict[str, Any]:
    """Load a backup file, refusing anything that is not one, in words."""
    if not path.exists():
        raise NotFound(f"There is no file {path}.")
    if path.is_dir():
        raise Invalid(f"{path} is a folder; give the backup file written by `manage.py backup`.")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Invalid(f"{path} is not a backup file written by `manage.py backup` (it is not JSON).") from error
    if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
        raise Invalid(f"{path} is not a backup file written by `manage.py backup` (expected {BACKUP_FORMAT}).")
    tables = document.get("tables")
    if not isinstance(tables, dict) or not all(isinstance(rows, list) for rows in tables.values()):
        raise Invalid(f"{path} is damaged: it has no list of rows for each table.")
    return document


def _check_revision(session: Session, document: dict[str, Any], path: Path) -> None:
    """Rows only fit the schema they came from; migrations move data, restore does not."""
    if not inspect(session.connection()).has_table("alembic_version"):
        raise Invalid("The database has no schema yet: run `manage.py init-db`, then restore.")
    here, there = _schema_revision(session), document.get("schema_revision")
    if here != there:
        raise Invalid(f"{path} is from schema revision {there}, but this database is at revision {here}; "
                      "restore into a database at the backup's revision.")


def _check_empty(session: Session) -> None:
    """Restore never merges: ids in the file would clash with, or quietly join, rows already here."""
    for table in insertion_order():
        count = session.scalar(select(func.count()).select_from(table))
        if count:
            raise Conflict(f"The database is not empty ({table.name} has {count} rows); restore only fills "
                           "an empty database that `manage.py init-db` has just made.")


def _check_shape(document: dict[str, Any], path: Path) -> None:
    """Every table and every column, no more and no fewer, so nothing is silently left behind."""
    expected = {table.name: {c.name for c in table.columns} for table in insertion_order()}
    found = set(document["tables"])
    if found != set(expected):
        missing, extra = sorted(set(expected) - found), sorted(found - set(expected))
        raise Invalid(f"{path} does not match this schema (tables missing: {missing or 'none'}; "
                      f"unknown: {extra or 'none'}).")
    for name, rows in document["tables"].items():
        for row in rows:
            if not isinstance(row, dict) or set(row) != expected[name]:
                raise Invalid(f"{path} does not match this schema: a row of {name} has other columns.")


def _decoder(column: Column[Any]) -> Callable[[Any], Any] | None:
    """JSON keeps dates and times as ISO text; everything else (numbers, text, booleans) goes in as is."""
    if isinstance(column.type, DateTime):
        return lambda value: _as_utc(dt.datetime.fromisoformat(value))
    if isinstance(column.type, Date):
        return dt.date.fromisoformat
    if isinstance(column.type, Time):
        return dt.time.fromisoformat
    return None


def _decoded(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    decoders = {c.name: d for c in table.columns if (d := _decoder(c)) is not None}
    return [{k: (decoders[k](v) if k in decoders and v is not None else v) for k, v in row.items()}
            for row in rows]


def _reset_sequences(session: Session) -> None:
    """PostgreSQL's id sequences do not see explicit ids; without this the next new row would reuse id 1.
    SQLite takes the next id from the largest one present, so needs nothing."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in insertion_order():
        id_column = table.columns.get("id")
        if id_column is None or not id_column.primary_key or not isinstance(id_column.type, Integer):
            continue
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), COALESCE(MAX(id), 1), "
            f"MAX(id) IS NOT NULL) FROM \"{table.name}\""
        ))


def restore_backup(*, session: Session, source: Path) -> RestoreReport:
    """Fill an empty, migrated database from a backup file, in the caller's one transaction.

    Rows go in as plain INSERTs with their own ids, so the append-only tables' triggers (which refuse
    UPDATE and DELETE) let them in and the audit log's hashes are copied, never recomputed."""
    document = read_backup(source)
    _check_revision(session, document, source)
    _check_empty(session)
    _check_shape(document, source)
    rows = 0
    for table in insertion_order():
        table_rows = _decoded(table, document["tables"][table.name])
        if table_rows:
            session.execute(insert(table), table_rows)
            rows += len(table_rows)
    _reset_sequences(session)
    return RestoreReport(source, len(document["tables"]), rows)
