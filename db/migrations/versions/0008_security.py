"""Security: the audit log's hash chain, sign-in cookies refused after logout, and sign-in throttling

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23

Columns are added with plain ALTER TABLE (no batch copy), so SQLite keeps the append-only triggers that
migration 0004 put on audit_events.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


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
    op.add_column('users', sa.Column('sessions_valid_after', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column('users', 'sessions_valid_after')
    op.drop_index(op.f('ix_audit_events_entry_hash'), table_name='audit_events')
    op.drop_column('audit_events', 'entry_hash')
    op.drop_column('audit_events', 'prev_hash')
    op.drop_table('sign_in_throttle')
