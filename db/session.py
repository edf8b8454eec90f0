"""Engine and unit of work. One Database per process; every user action runs in one unit of work.

SQLite is tuned for several Streamlit sessions writing at once: WAL so readers never block the writer,
foreign keys on, a busy timeout, and writes that start with BEGIN IMMEDIATE. Without the last one, two
transactions that both read and then write deadlock on the lock upgrade and one fails (votes get lost).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from settings import GOOD_DATABASE_URL, masked_url

SQLITE_BUSY_TIMEOUT_MS = 15_000
POSTGRES_CONNECT_TIMEOUT_S = 10  # an address that drops packets says so in seconds, not minutes
READ_ONLY_OPTION = "leder_read_only"


class DatabaseUnreachable(Exception):
    """The address is well written but no database answers there. The message is one line for the operator."""


def unreachable(url: str, reason: object) -> DatabaseUnreachable:
    """One line: which address (password masked), what went wrong, and what a good address looks like."""
    first_line = (str(reason).strip().splitlines() or [type(reason).__name__])[0]
    check = ("that its folder exists and can be written" if url.startswith("sqlite")
             else "that the server is running and the address is right")
    return DatabaseUnreachable(f"DATABASE_URL points at a database that cannot be reached: {masked_url(url)} "
                               f"({first_line}). Check {check}, for example {GOOD_DATABASE_URL}.")


def _configure_sqlite(engine: Engine, *, enforce_foreign_keys: bool) -> None:
    """Take over BEGIN from pysqlite (pre-3.12 recipe in SQLAlchemy's SQLite docs) and set pragmas."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if enforce_foreign_keys else 'OFF'}")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY_OPTION, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _ensure_sqlite_folder(url: str) -> None:
    """A fresh clone has no data/ folder; SQLite creates the file but not the folder it lives in."""
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str, *, enforce_foreign_keys: bool = True) -> Engine:
    """Create an engine for a URL, with the SQLite settings applied when it is SQLite.

    Migrations pass enforce_foreign_keys=False: SQLite's batch mode rebuilds a table by dropping it,
    which a referencing table would otherwise forbid. env.py checks the keys afterwards instead.
    """
    if url.startswith("sqlite"):
        try:
            _ensure_sqlite_folder(url)
        except OSError as error:
            raise unreachable(url, error.strerror or error) from None
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        _configure_sqlite(engine, enforce_foreign_keys=enforce_foreign_keys)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20,
                         connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S})


@dataclass(frozen=True)
class Database:
    """What the app holds once per process: the engine and its two session factories."""

    engine: Engine
    _writer: sessionmaker[Session]
    _reader: sessionmaker[Session]

    @classmethod
    def from_url(cls, url: str) -> Database:
        """The address comes from the settings read at start-up (settings.py), passed in by whoever starts."""
        engine = make_engine(url)
        reader_engine = engine.execution_options(**{READ_ONLY_OPTION: True})
        return cls(
            engine=engine,
            _writer=sessionmaker(engine, expire_on_commit=False),
            _reader=sessionmaker(reader_engine, expire_on_commit=False),
        )

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @classmethod
    def open_checked(cls, url: str) -> Database:
        """A Database that has answered once; DatabaseUnreachable (and nothing left open) if it does not."""
        database = cls.from_url(url)
        try:
            database.check_reachable()
        except DatabaseUnreachable:
            database.dispose()
            raise
        return database

    def check_reachable(self) -> None:
        """Connect once, so a wrong address is told now in one line, not as a traceback halfway through."""
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except DBAPIError as error:
            raise unreachable(self.url, error.orig or error) from None

    @contextmanager
    def unit_of_work(self, *, read_only: bool = False) -> Iterator[Session]:
        """Commit when the block succeeds, roll back when it raises. Reads skip the write lock."""
        factory = self._reader if read_only else self._writer
        with factory() as session:
            try:
                yield session
                if read_only:
                    session.rollback()
                else:
                    session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
