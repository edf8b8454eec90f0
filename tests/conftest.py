"""Shared fixtures: a real, migrated database on SQLite and, when TEST_DATABASE_URL is set, PostgreSQL.

Each PostgreSQL run creates its own throwaway database and drops it at the end. Tests start from empty
tables; `demo` fills them with the fictional demo data and `actor` loads a persona by username.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from db.migrate import upgrade_to_head
from db.models import Base
from db.session import Database
from features.people.actors import load_actor
from operations.demo import SeedReport, seed_demo
from rules.actors import Actor

DEMO_PASSWORD = "correct-horse-battery-staple"
DEMO_TODAY = dt.date(2026, 11, 23)
PG_ENV = "TEST_DATABASE_URL"

# Real bcrypt, at its minimum cost, so seeding per test stays fast. The production default is 12.
BCRYPT_ROUNDS = 4
os.environ.setdefault("LEDER_BCRYPT_ROUNDS", str(BCRYPT_ROUNDS))

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _postgres_admin_url() -> str | None:
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        return None
    from settings import normalise_url

    return normalise_url(url)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    admin_url = _postgres_admin_url()
    if admin_url is None:
        pytest.skip(f"{PG_ENV} is not set: the PostgreSQL lane is off")
    name = f"leder_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'leder-test.db'}"


@pytest.fixture(scope="session")
def migrated_urls() -> dict[str, str]:
    """Backend name -> URL already upgraded to head (filled lazily by `database_url`)."""
    return {}


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, migrated_urls: dict[str, str]) -> str:
    backend = request.param
    if backend not in migrated_urls:
        fixture = "sqlite_url" if backend == "sqlite" else "postgres_url"
        url = request.getfixturevalue(fixture)
        upgrade_to_head(url)
        migrated_urls[backend] = url
    return migrated_urls[backend]


def _empty_all_tables(database: Database) -> None:
    """TRUNCATE, because it does not fire the row triggers that keep the audit log append-only."""
    names = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def _sqlite_copy(template_url: str, folder: Path) -> str:
    """A private copy of the migrated, empty SQLite file (SQLite has no TRUNCATE, and its DELETE would
    rightly be refused on the append-only tables). The backup API copies it consistently, WAL included."""
    target = folder / "leder.db"
    source = sqlite3.connect(template_url.removeprefix("sqlite:///"))
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        source.close()
        destination.close()
    return f"sqlite:///{target}"


@pytest.fixture
def db(database_url: str, tmp_path: Path) -> Iterator[Database]:
    """A migrated database with empty tables, on each backend in turn."""
    sqlite = database_url.startswith("sqlite")
    database = Database.from_url(_sqlite_copy(database_url, tmp_path) if sqlite else database_url)
    if not sqlite:
        _empty_all_tables(database)
    try:
        yield database
    finally:
        if not sqlite:
            _empty_all_tables(database)
        database.dispose()


@pytest.fixture
def demo(db: Database) -> SeedReport:
    with db.unit_of_work() as session:
        return seed_demo(session=session, password=DEMO_PASSWORD, today=DEMO_TODAY, bcrypt_rounds=BCRYPT_ROUNDS)


@pytest.fixture
def actor(db: Database, demo: SeedReport) -> Callable[[str], Actor]:
    """actor('chair') -> the demo chair as an Actor, loaded the way the app loads it."""

    def load(username: str) -> Actor:
        with db.unit_of_work(read_only=True) as session:
            return load_actor(session=session, username=username)

    return load


@pytest.fixture(scope="session")
def project_root() -> Path:
    return Path(__file__).resolve().parent.parent
