"""The append-only audit log: sign-ins, votes (never the choice in an anonymous vote), decisions, and every
change to reviews, actions, minutes, people and the panel's settings.

Rows are only ever added here; the database refuses UPDATE and DELETE on the table (migration 0004). Each
row is also chained to the one before it: its hash covers its own fields and the previous row's hash, one
chain over the whole table in id order. Editing, removing or reordering a row breaks the chain from there
on, and `verify_audit_chain` (`manage.py verify-audit`) names the first broken link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select, text
from sqlalchemy.orm import Session

from db.models import AuditEvent, User
from rules.actors import Actor
from rules.formatting import when
from rules.permissions import Permission, require

MAX_EVENTS_SHOWN = 500
# Any fixed number will do, as long as every writer of the chain takes the same transaction-scoped lock.
CHAIN_LOCK_KEY = 7_305_227_437_019_615_233
VERIFY_BATCH = 1000
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime
    who: str
    action: str
    subject: str
    description: str


@dataclass(frozen=True)
class AuditVerification:
    """What `verify_audit_chain` found: how many entries it checked and, if any, the first broken link."""

    checked: int
    problem: str | None = None
    broken_entry_id: int | None = None
    latest_entry_id: int | None = None
    latest_hash: str | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def utc(moment: dt.datetime) -> dt.datetime:
    """The same instant in UTC. SQLite hands back naive values, which were written as UTC."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC)


def entry_hash(*, prev_hash: str | None, panel_id: int, at: dt.datetime, actor_id: int | None, action: str,
               subject: str, description: str) -> str:
    """sha256 over sorted-key JSON, so no two different entries serialise alike. The time is UTC to the
    microsecond, which SQLite and PostgreSQL both give back exactly as written. Migration 0008 keeps a
    frozen copy of this function; a test holds the two equal."""
    fields = {"prev_hash": prev_hash, "panel_id": panel_id, "at": utc(at).strftime(_TIME_FORMAT),
              "actor_id": actor_id, "action": action, "subject": subject, "description": description}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _lock_chain(session: Session) -> None:
    """Serialise writers of the chain until this transaction ends, so two never chain to the same row.

    PostgreSQL: an advisory lock held to commit; the read that follows sees the last writer's row because
    the app runs at READ COMMITTED, PostgreSQL's default. SQLite: nothing to do, because every write
    transaction starts with BEGIN IMMEDIATE (db/session.py) and so already holds the only write lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})


def append_event(session: Session, *, panel_id: int, actor_id: int | None, action: str, subject: str,
                 description: str, at: dt.datetime | None = None) -> None:
    """The one way a line enters the log, in the same unit of work as the change it describes.

    The change is flushed first, so its row locks are taken before the chain's lock (two transactions
    never wait on each other the other way round). Services call this after their own flush_or_conflict.
    """
    moment = utc(at or dt.datetime.now(dt.UTC))
    session.flush()
    _lock_chain(session)
    previous = session.scalar(select(AuditEvent.entry_hash).order_by(AuditEvent.id.desc()).limit(1))
    digest = entry_hash(prev_hash=previous, panel_id=panel_id, at=moment, actor_id=actor_id, action=action,
                        subject=subject, description=description)
    session.add(AuditEvent(panel_id=panel_id, at=moment, actor_id=actor_id, action=action, subject=subject,
                           description=description, prev_hash=previous, entry_hash=digest))
    session.flush()


def record_events(session: Session, actor: Actor, *, events: Iterable[tuple[str, str, str]],
                  at: dt.datetime | None = None) -> None:
    """Many lines at once, as (action, subject, description), chained in order under one lock: an import
    of thousands of reviews gives each its own line without a read of the chain's end for every one."""
    moment, actor_id = utc(at or dt.datetime.now(dt.UTC)), actor.user_id or None  # 0: manage.py's operator
    session.flush()
    _lock_chain(session)
    previous = session.scalar(select(AuditEvent.entry_hash).order_by(AuditEvent.id.desc()).limit(1))
    for action, subject, description in events:
        digest = entry_hash(prev_hash=previous, panel_id=actor.panel_id, at=moment, actor_id=actor_id,
                            action=action, subject=subject, description=description)
        session.add(AuditEvent(panel_id=actor.panel_id, at=moment, actor_id=actor_id, action=action,
                               subject=subject, description=description, prev_hash=previous, entry_hash=digest))
        previous = digest
    session.flush()


def record_event(session: Session, actor: Actor, *, action: str, subject: str, description: str,
                 at: dt.datetime | None = None) -> None:
    """Add one line for what a signed-in person did (`at` defaults to now). Describe it in plain words:
    never personal data, never the choice in an anonymous vote."""
    append_event(session, panel_id=actor.panel_id, actor_id=actor.user_id or None,  # 0: manage.py's operator
                 action=action, subject=subject, description=description, at=at)


def record_security_event(session: Session, *, action: str, username: str, description: str, at: dt.datetime,
                          panel_id: int | None = None, actor_id: int | None = None) -> bool:
    """Sign-in, sign-out and failed sign-in. Returns False, writing nothing, for a username that matches no
    account: every entry belongs to a panel, and what someone typed there may be a mistyped password or
    another person's name. The sign-in throttle still counts those failures.

    Give actor_id only when the person proved who they are (a sign-in or sign-out); a failed sign-in is
    written as the system's, about the account, so the log never shows it as that person's own act.
    """
    key = username.strip().lower()
    if panel_id is None:
        panel_id = session.scalar(select(User.panel_id).where(User.username == key))
        if panel_id is None:
            return False
    append_event(session, panel_id=panel_id, actor_id=actor_id, action=action, subject=f"account {key}",
                 description=description, at=at)
    return True


def audit_trail(*, session: Session, actor: Actor, subject: str | None = None,
                limit: int = MAX_EVENTS_SHOWN) -> list[AuditRow]:
    """The panel's log, newest first; optionally only the lines about one subject (e.g. 'review LDR-…')."""
    require(actor, Permission.VIEW_AUDIT)
    query = (select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.actor_id)
             .where(AuditEvent.panel_id == actor.panel_id))
    if subject is not None:
        query = query.where(AuditEvent.subject == subject)
    rows = session.execute(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit))
    return [AuditRow(event.at, name or "The system", event.action, event.subject, event.description)
            for event, name in rows]


def _entry(row: Row[Any]) -> str:
    """'Entry 57 (recorded Monday 16 November 2026 at 10:15am, 'vote cast')': one line, whatever the row holds."""
    action = " ".join(str(row.action).split())[:60]
    return f"Entry {row.id} (recorded {when(row.at)}, '{action}')"


def _broken_link(row: Row[Any], previous: Row[Any] | None) -> str | None:
    """What is wrong with this row, in words, or None when it is sound and follows the previous one."""
    if row.entry_hash is None:
        return f"{_entry(row)} has no hash: it was added to the table outside the app."
    recomputed = entry_hash(prev_hash=row.prev_hash, panel_id=row.panel_id, at=row.at, actor_id=row.actor_id,
                            action=row.action, subject=row.subject, description=row.description)
    if recomputed != row.entry_hash:
        return f"{_entry(row)} does not match its hash: it was changed after it was written."
    if previous is None and row.prev_hash is not None:
        return f"{_entry(row)} points back to an entry that is not there: the entries before it were removed."
    if previous is not None and row.prev_hash != previous.entry_hash:
        return (f"Entry {row.id} does not follow entry {previous.id}: an entry between them was removed, the "
                f"order changed, or entry {previous.id} was rewritten.")
    return None


def _rows_in_order(session: Session, batch_size: int) -> Iterable[Row[Any]]:
    columns = (AuditEvent.id, AuditEvent.panel_id, AuditEvent.at, AuditEvent.actor_id, AuditEvent.action,
               AuditEvent.subject, AuditEvent.description, AuditEvent.prev_hash, AuditEvent.entry_hash)
    return session.execute(select(*columns).order_by(AuditEvent.id).execution_options(yield_per=batch_size))


def _unreadable_time(session: Session, after_id: int, batch_size: int) -> tuple[int | None, int]:
    """The entry, among the batch that failed to load, whose time cannot be read, and its place in that batch."""
    ids = session.scalars(select(AuditEvent.id).where(AuditEvent.id > after_id).order_by(AuditEvent.id)
                          .limit(batch_size)).all()
    for position, entry_id in enumerate(ids, start=1):
        try:
            session.execute(select(AuditEvent.at).where(AuditEvent.id == entry_id)).all()
        except ValueError:
            return entry_id, position
    return None, 0


def verify_audit_chain(session: Session, *, expected_hash: str | None = None,
                       batch_size: int = VERIFY_BATCH) -> AuditVerification:
    """Walk every entry in id order, in batches, recomputing each hash; stop at the first broken link.

    A chain can be rewritten whole by someone who recomputes every hash. `expected_hash`, a latest hash
    noted earlier somewhere else, catches that and a log cut short: it must still be in the chain.
    """
    checked, previous, seen_expected = 0, None, expected_hash is None
    try:
        for row in _rows_in_order(session, batch_size):
            checked += 1
            problem = _broken_link(row, previous)
            if problem is not None:
                return AuditVerification(checked, problem, row.id)
            seen_expected = seen_expected or row.entry_hash == expected_hash
            previous = row
    except ValueError:  # SQLite keeps whatever text is put in a time column, and then cannot read it back
        entry_id, position = _unreadable_time(session, previous.id if previous is not None else 0, batch_size)
        return AuditVerification(checked + position, f"Entry {entry_id} has a time that cannot be read: it was "
                                                     "changed after it was written.", entry_id)
    latest_id, latest_hash = (previous.id, previous.entry_hash) if previous is not None else (None, None)
    if not seen_expected:
        return AuditVerification(checked, f"The hash you noted, {expected_hash}, is not in the audit log: the "
                                          "log was rewritten or cut short since.", None, latest_id, latest_hash)
    return AuditVerification(checked, None, None, latest_id, latest_hash)
