"""polls and votes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


# A frozen copy of the default sign-off options at the time of this revision.
DEFAULT_OPTIONS = [
    ("sign_off", "Sign off", "The review is good enough to sign off as it is.", False),
    ("sign_off_with_changes", "Sign off with changes", "Sign off once the listed changes are made.", False),
    ("not_yet", "Not yet: return to reviewer", "The review needs more work before it can be signed off.", True),
    ("abstain", "Abstain", "I do not take part in this decision.", False),
]


def _default_options_for_existing_panels() -> None:
    connection = op.get_bind()
    panel_ids = [row[0] for row in connection.execute(sa.text("SELECT id FROM panels"))]
    options = sa.table("vote_options", sa.column("panel_id", sa.Integer), sa.column("code", sa.String),
                       sa.column("label", sa.String), sa.column("meaning", sa.String),
                       sa.column("requires_reason", sa.Boolean), sa.column("position", sa.Integer))
    for panel_id in panel_ids:
        op.bulk_insert(options, [
            {"panel_id": panel_id, "code": code, "label": label, "meaning": meaning, "requires_reason": needs,
             "position": n}
            for n, (code, label, meaning, needs) in enumerate(DEFAULT_OPTIONS, start=1)
        ])


def upgrade() -> None:
    op.create_table('vote_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('meaning', sa.String(length=300), nullable=False),
    sa.Column('requires_reason', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.ForeignKeyConstraint(['panel_id'], ['panels.id'], name=op.f('fk_vote_options_panel_id_panels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote_options')),
    sa.UniqueConstraint('panel_id', 'code', name=op.f('uq_vote_options_panel_id_code'))
    )
    with op.batch_alter_table('vote_options', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_options_panel_id'), ['panel_id'], unique=False)

    op.create_table('polls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', name='poll_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('eligible_count', sa.Integer(), nullable=True),
    sa.Column('version_id', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_polls_agenda_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_polls_closed_by_id_users')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_polls_opened_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_polls')),
    sa.UniqueConstraint('agenda_item_id', 'round', name=op.f('uq_polls_agenda_item_id_round'))
    )
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_polls_agenda_item_id'), ['agenda_item_id'], unique=False)

    op.create_table('votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('mode', sa.Enum('own_device', 'supporter', 'recorded_by_secretariat', name='vote_mode', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('supported_by', sa.String(length=200), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('cast_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changes', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_votes_member_id_users')),
    sa.ForeignKeyConstraint(['option_id'], ['vote_options.id'], name=op.f('fk_votes_option_id_vote_options')),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_votes_poll_id_polls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_votes_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes')),
    sa.UniqueConstraint('poll_id', 'member_id', name=op.f('uq_votes_poll_id_member_id'))
    )
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_votes_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_votes_poll_id'), ['poll_id'], unique=False)

    _default_options_for_existing_panels()

def downgrade() -> None:
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_votes_poll_id'))
        batch_op.drop_index(batch_op.f('ix_votes_member_id'))

    op.drop_table('votes')
    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_polls_agenda_item_id'))

    op.drop_table('polls')
    with op.batch_alter_table('vote_options', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_options_panel_id'))

    op.drop_table('vote_options')
