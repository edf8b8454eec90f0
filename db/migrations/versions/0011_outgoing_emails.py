"""Email: the outbox of messages (a new circulation at once, a daily digest of notices), with retries

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'outgoing_emails',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('panel_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=80), nullable=False),
        sa.Column('to_address', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('given_up_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['panel_id'], ['panels.id'], name=op.f('fk_outgoing_emails_panel_id_panels')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outgoing_emails_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_emails')),
        sa.UniqueConstraint('reason', name=op.f('uq_outgoing_emails_reason')),
    )
    with op.batch_alter_table('outgoing_emails', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outgoing_emails_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_emails_panel_id'), ['panel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_emails_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_table('outgoing_emails')
