"""Decisions by circulation: a meeting has a kind (a meeting, or a circulation sent to members), and a
circulation has a deadline and the number of answers it needs

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

Every meeting already recorded is a meeting (server default). The deadline is stored in UTC.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('meeting', 'circulation', name='meeting_kind', native_enum=False,
                                                      create_constraint=True, length=32),
                                      server_default='meeting', nullable=False))
        batch_op.add_column(sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('min_responses', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_meetings_kind'), ['kind'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_kind'))
        batch_op.drop_column('min_responses')
        batch_op.drop_column('deadline_at')
        batch_op.drop_column('kind')
