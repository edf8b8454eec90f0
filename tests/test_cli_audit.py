"""manage.py verify-audit on SQLite and PostgreSQL: exit 0 with the count and latest hash when the chain
holds; exit 1 and one line naming the first broken link when an entry was edited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import manage
from db.models import AuditEvent
from db.session import Database
from operations.demo import SeedReport
from tests.features.test_audit_chain import _tamper


def _run(db: Database, *argv: str) -> int:
    return manage.run(list(argv), url=db.engine.url.render_as_string(hide_password=False))


def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def _ids(db: Database) -> list[int]:
    with db.unit_of_work(read_only=True) as session:
        return list(session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def test_an_intact_log_exits_0_with_the_count_and_latest_hash(db: Database, demo: SeedReport,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    ids = _ids(db)
    assert _run(db, "verify-audit") == 0
    first, second = capsys.readouterr().out.strip().splitlines()
    assert first == f"The audit log is intact: {len(ids)} entries checked."
    assert second.startswith(f"Latest entry: {ids[-1]}, hash ")
    noted = second.split("hash ", 1)[1].split(".", 1)[0]
    assert len(noted) == 64
    assert _run(db, "verify-audit", "--expect-hash", noted) == 0


def test_an_edited_entry_exits_1_naming_it(db: Database, demo: SeedReport,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    target = _ids(db)[7]
    _tamper(db, "UPDATE audit_events SET description = 'Signed off without a vote.' WHERE id = :id", id=target)
    assert _run(db, "verify-audit") == 1
    line = _one_error_line(capsys)
    assert line.startswith(f"error: Entry {target} (recorded ")
    assert line.endswith("does not match its hash: it was changed after it was written.")


def test_a_noted_hash_that_is_gone_exits_1(db: Database, demo: SeedReport,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(db, "verify-audit", "--expect-hash", "0" * 64) == 1
    assert "is not in the audit log: the log was rewritten or cut short since." in _one_error_line(capsys)


def test_an_empty_log_is_intact(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(db, "verify-audit") == 0
    assert capsys.readouterr().out.strip() == "The audit log is intact: 0 entries checked."
