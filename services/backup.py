"""A portable backup: every table as JSON rows, in dependency order, with the schema revision.

JSON rather than a database-specific dump so a backup taken on SQLite restores on PostgreSQL and back.
The file holds password hashes and case text, so it is written readable by its owner only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from db.models import Base
from services.output_files import check_output_file

BACKUP_FORMAT = "leder-backup/1"


@dataclass(frozen=True)
class BackupReport:
    path: Path
    tables: int
    rows: int
    bytes: int


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.time, dt.datetime)):
        return value.isoformat()
    return value


def _schema_revision(session: Session) -> str | None:
    return session.execute(text("SELECT version_num FROM alembic_version")).scalar_one_or_none()


def write_backup(*, session: Session, out: Path) -> BackupReport:
    """Write the whole database to `out` atomically (a temp file renamed into place)."""
    check_output_file(out, example="backup.json")
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
    handle, temp_name = tempfile.mkstemp(dir=out.parent, prefix=".backup-", suffix=".tmp")
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.replace(temp_name, out)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return BackupReport(out, len(tables), sum(len(r) for r in tables.values()), len(payload))
