"""The unit of work commits or rolls back, and SQLite is set up for several writers at once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, select, text, update

from db.models import Icb
from db.session import Database
from settings import database_url, normalise_url


def test_unit_of_work_commits_on_success(db: Database) -> None:
    with db.unit_of_work() as session:
        session.add(Icb(code="T1", name="Test ICB"))
    with db.unit_of_work(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(Icb)) == 1


def test_unit_of_work_rolls_everything_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError), db.unit_of_work() as session:
        session.add(Icb(code="T1", name="Test ICB"))
        session.flush()
        session.add(Icb(code="T2", name="Second"))
        session.flush()
        raise RuntimeError("boom")
    with db.unit_of_work(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(Icb)) == 0


def test_read_only_unit_of_work_never_commits(db: Database) -> None:
    with db.unit_of_work(read_only=True) as session:
        session.add(Icb(code="T1", name="Test ICB"))
        session.flush()
    with db.unit_of_work(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(Icb)) == 0


def test_sqlite_pragmas(tmp_path: Path) -> None:
    database = Database.from_url(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    finally:
        database.dispose()


def test_default_url_is_the_sqlite_file_in_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url().endswith("data/leder.db")
    assert database_url().startswith("sqlite:///")


def test_postgres_urls_use_psycopg3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/d")
    assert database_url() == "postgresql+psycopg://u@h/d"
    assert normalise_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"


def test_concurrent_read_modify_write_loses_nothing(database_url: str) -> None:
    """Eight threads each increment a counter 15 times, reading then writing in one unit of work.

    On SQLite without BEGIN IMMEDIATE the read takes a shared lock, two writers deadlock on the upgrade
    and one fails with 'database is locked'; the counter then ends short.
    """
    metadata = MetaData()
    counter = Table("concurrency_probe", metadata, Column("id", Integer, primary_key=True),
                    Column("value", Integer, nullable=False))
    database = Database.from_url(database_url)
    metadata.create_all(database.engine)
    try:
        with database.engine.begin() as connection:
            connection.execute(counter.delete())
            connection.execute(counter.insert().values(id=1, value=0))
        errors: list[BaseException] = []
        threads_count, increments = 8, 15
        lock_rows = "" if database_url.startswith("sqlite") else " FOR UPDATE"

        def work() -> None:
            for _ in range(increments):
                try:
                    with database.unit_of_work() as session:
                        value = session.execute(
                            text(f"SELECT value FROM concurrency_probe WHERE id = 1{lock_rows}")
                        ).scalar_one()
                        session.execute(update(counter).where(counter.c.id == 1).values(value=value + 1))
                except BaseException as error:  # noqa: BLE001 - collected and asserted below
                    errors.append(error)

        threads = [threading.Thread(target=work) for _ in range(threads_count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with database.unit_of_work(read_only=True) as session:
            final = session.execute(select(counter.c.value)).scalar_one()
        assert errors == []
        assert final == threads_count * increments
    finally:
        metadata.drop_all(database.engine)
        database.dispose()


def test_sqlite_folder_is_created_for_a_fresh_clone(tmp_path: Path) -> None:
    target = tmp_path / "not-yet" / "there" / "leder.db"
    database = Database.from_url(f"sqlite:///{target}")
    try:
        with database.unit_of_work() as session:
            session.execute(text("SELECT 1"))
    finally:
        database.dispose()
    assert target.exists()
