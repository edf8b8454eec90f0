"""Security: the audit log's hash chain, sign-in cookies refused after logout, and sign-in throttling

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23

Columns are added with plain ALTER TABLE (no batch copy), so SQLite keeps the append-only triggers that
migration 0004 put on audit_events. Rows already in the log are then chained in id order; the triggers are
set aside only for that (PostgreSQL: disabled and enabled again; SQLite: dropped and made again as 0004 did).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


AUDIT_EVENTS = sa.table(
    'audit_events', sa.column('id', sa.Integer()), sa.column('panel_id', sa.Integer()),
    sa.column('at', sa.DateTime(timezone=True)), sa.column('actor_id', sa.Integer()),
    sa.column('action', sa.String()), sa.column('subject', sa.String()), sa.column('description', sa.Text()),
    sa.column('prev_hash', sa.String()), sa.column('entry_hash', sa.String()),
)


def frozen_entry_hash(*, prev_hash: str | None, panel_id: int, at: dt.datetime, actor_id: int | None,
                      action: str, subject: str, description: str) -> str:
    """A frozen copy of features.audit.audit.entry_hash as it was when this migration was written (a migration
    must not change when the app does). tests/features/test_audit_chain.py holds the two equal."""
    aware = at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)
    fields = {"prev_hash": prev_hash, "panel_id": panel_id,
              "at": aware.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
              "actor_id": actor_id, "action": action, "subject": subject, "description": description}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _set_triggers_aside() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        return
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_events_no_{event}")


def _restore_triggers() -> None:
    """Exactly the triggers of migration 0004."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only")
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER audit_events_no_{event.lower()} BEFORE {event} ON audit_events BEGIN "
                   "SELECT RAISE(ABORT, 'audit_events is append-only: add a new row instead'); END")


def _chain_existing_rows() -> None:
    """Entries written before the chain existed get their hashes, one chain in id order."""
    bind = op.get_bind()
    rows = bind.execute(sa.select(AUDIT_EVENTS).order_by(AUDIT_EVENTS.c.id)).all()
    if not rows:
        return
    _set_triggers_aside()
    previous = None
    for row in rows:
        digest = frozen_entry_hash(prev_hash=previous, panel_id=row.panel_id, at=row.at, actor_id=row.actor_id,
                                   action=row.action, subject=row.subject, description=row.description)
        bind.execute(AUDIT_EVENTS.update().where(AUDIT_EVENTS.c.id == row.id)
                     .values(prev_hash=previous, entry_hash=digest))
        previous = digest
    _restore_triggers()


def upgrade() -> None:
    op.create_table('sign_in_throttle',
    sa.Column('username_key', sa.String(length=254), nullable=False),
    sa.Column('failures', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('blocked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('username_key', name=op.f('pk_sign_in_throttle'))
    )
    op.add_column('audit_events', sa.Column('prev_hash', sa.String(length=64), nullable=True))
    op.add_column('audit_events', sa.Column('entry_hash', sa.String(length=64), nullable=True))
    op.create_index(op.f('ix_audit_events_entry_hash'), 'audit_events', ['entry_hash'], unique=True)
    _chain_existing_rows()
    op.add_column('users', sa.Column('sessions_valid_after', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column('users', 'sessions_valid_after')
    op.drop_index(op.f('ix_audit_events_entry_hash'), table_name='audit_events')
    op.drop_column('audit_events', 'entry_hash')
    op.drop_column('audit_events', 'prev_hash')
    op.drop_table('sign_in_throttle')
