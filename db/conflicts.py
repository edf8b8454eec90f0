"""A flush that turns a lost race into the Conflict a person can act on, not a database traceback."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from rules.errors import changed_by_someone_else


def flush_or_conflict(session: Session, what: str, *, duplicates: bool = False) -> None:
    """Flush, turning a version_id_col mismatch (and, with duplicates=True, a unique-constraint race)
    into the Conflict a person can act on."""
    caught: tuple[type[Exception], ...] = (StaleDataError, IntegrityError) if duplicates else (StaleDataError,)
    try:
        session.flush()
    except caught as error:
        raise changed_by_someone_else(what) from error
