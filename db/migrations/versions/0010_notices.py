"""Notices: which notices (what needs each person) a person has marked as read

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'notice_reads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('notice_key', sa.String(length=80), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notice_reads_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_reads')),
        sa.UniqueConstraint('user_id', 'notice_key', name=op.f('uq_notice_reads_user_id_notice_key')),
    )
    with op.batch_alter_table('notice_reads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_reads_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notice_reads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_reads_user_id'))
    op.drop_table('notice_reads')
