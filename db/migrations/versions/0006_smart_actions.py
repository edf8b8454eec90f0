"""SMART actions: strategic priorities, dated updates, the escalation log and the builder's fields on actions

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('strategic_priorities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('plan_start', sa.Date(), nullable=False),
    sa.Column('plan_end', sa.Date(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.ForeignKeyConstraint(['panel_id'], ['panels.id'], name=op.f('fk_strategic_priorities_panel_id_panels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_strategic_priorities'))
    )
    with op.batch_alter_table('strategic_priorities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_strategic_priorities_panel_id'), ['panel_id'], unique=False)

    op.create_table('action_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('not_started', 'in_progress', 'completed', 'closed', name='update_action_status', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('new_due_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_action_updates_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_action_updates_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_updates'))
    )
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_updates_action_id'), ['action_id'], unique=False)

    op.create_table('escalations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=True),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.Column('escalated_on', sa.Date(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('to_whom', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('open', 'responded', 'closed', name='escalation_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('response', sa.Text(), server_default='', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_escalations_action_id_actions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_escalations_created_by_id_users')),
    sa.ForeignKeyConstraint(['panel_id'], ['panels.id'], name=op.f('fk_escalations_panel_id_panels')),
    sa.ForeignKeyConstraint(['review_id'], ['focused_reviews.id'], name=op.f('fk_escalations_review_id_focused_reviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalations'))
    )
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalations_panel_id'), ['panel_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_escalations_review_id'), ['review_id'], unique=False)

    with op.batch_alter_table('panel_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('protective_marking', sa.String(length=100), server_default='OFFICIAL-SENSITIVE',
                                      nullable=False))

    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('finding_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('priority_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('owner_agreed', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('is_draft', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('evidence', sa.Text(), server_default='', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_actions_finding_id_review_findings'), 'review_findings', ['finding_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_actions_priority_id_strategic_priorities'), 'strategic_priorities', ['priority_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('panel_settings', schema=None) as batch_op:
        batch_op.drop_column('protective_marking')

    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_actions_priority_id_strategic_priorities'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_actions_finding_id_review_findings'), type_='foreignkey')
        batch_op.drop_column('evidence')
        batch_op.drop_column('is_draft')
        batch_op.drop_column('owner_agreed')
        batch_op.drop_column('priority_id')
        batch_op.drop_column('finding_id')

    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalations_review_id'))
        batch_op.drop_index(batch_op.f('ix_escalations_panel_id'))

    op.drop_table('escalations')
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_updates_action_id'))

    op.drop_table('action_updates')
    with op.batch_alter_table('strategic_priorities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_strategic_priorities_panel_id'))

    op.drop_table('strategic_priorities')
