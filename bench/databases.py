"""Throwaway databases for benchmarks that run the real server: a SQLite file in a temporary folder, or a
PostgreSQL database created for the run and dropped after it, whatever happened."""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError

from bench import BenchError, one_line
from db.migrate import upgrade_to_head
from settings import normalise_url

POSTGRES_ENV = "BENCH_POSTGRES_URL"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_admin_url() -> str:
    """The server to create throwaway databases on: BENCH_POSTGRES_URL, else the local one."""
    return normalise_url(os.environ.get(POSTGRES_ENV, "").strip() or DEFAULT_POSTGRES)


@contextlib.contextmanager
def throwaway_sqlite(name: str = "bench") -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="leder-bench-", ignore_cleanup_errors=True) as folder:
        url = f"sqlite:///{Path(folder) / f'{name}.db'}"
        upgrade_to_head(url)
        yield url


@contextlib.contextmanager
def throwaway_postgres(admin_url: str | None = None) -> Iterator[str]:
    """A new, migrated PostgreSQL database; an unreachable server is one clear line, not a traceback."""
    admin = create_engine(admin_url or postgres_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"leder_bench_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except SQLAlchemyError as error:
        admin.dispose()
        where = admin.url.render_as_string(hide_password=True)
        raise BenchError(f"cannot reach PostgreSQL at {where} to make a throwaway database ({one_line(error)}); "
                         f"start it or set {POSTGRES_ENV}") from error
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade_to_head(url)
        yield url
    finally:
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        finally:
            admin.dispose()


@contextlib.contextmanager
def throwaway(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with throwaway_sqlite() as url:
            yield url
    elif backend == "postgresql":
        with throwaway_postgres() as url:
            yield url
    else:
        raise BenchError(f"unknown database {backend!r}: choose sqlite or postgresql")
