"""Calendar invites: a meeting can be cancelled (a new status, with the reason), and it counts the changes
sent to members' calendars (the .ics SEQUENCE)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

The status column's CHECK constraint lists the statuses, so it is made again with "cancelled" added: on
SQLite by copying the table (batch), on PostgreSQL by dropping and adding the constraint.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

BEFORE = ('planned', 'papers_circulated', 'in_progress', 'held', 'minutes_drafted', 'minutes_approved')
AFTER = (*BEFORE, 'cancelled')
CONSTRAINT = 'ck_meetings_meeting_status'


def _status(values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name='meeting_status', native_enum=False, create_constraint=True, length=32)


def _change_statuses(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"ALTER TABLE meetings DROP CONSTRAINT {CONSTRAINT}")
        listed = ", ".join(f"'{value}'" for value in new)
        op.execute(f"ALTER TABLE meetings ADD CONSTRAINT {CONSTRAINT} CHECK (status IN ({listed}))")
        return
    with op.batch_alter_table('meetings', recreate='always') as batch_op:
        batch_op.alter_column('status', existing_type=_status(old), type_=_status(new), existing_nullable=False)


def upgrade() -> None:
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_sequence', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('cancelled_reason', sa.Text(), nullable=True))
    _change_statuses(BEFORE, AFTER)


def downgrade() -> None:
    op.execute("UPDATE meetings SET status = 'planned' WHERE status = 'cancelled'")
    _change_statuses(AFTER, BEFORE)
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('cancelled_reason')
        batch_op.drop_column('calendar_sequence')
