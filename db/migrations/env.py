"""Alembic environment: URL from the caller (db.migrate) or DATABASE_URL, batch mode for SQLite."""

from __future__ import annotations

from alembic import context

from db.models import Base
from db.session import make_engine
from settings import database_url

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    url = config.attributes.get("url") or database_url()
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, render_as_batch=True,
                          literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url, enforce_foreign_keys=False)
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=target_metadata,
                              render_as_batch=True, compare_type=True)
            with context.begin_transaction():
                context.run_migrations()
                if connection.dialect.name == "sqlite":
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"Migration left broken foreign keys: {broken[:5]}")
    finally:
        engine.dispose()


run_migrations()
