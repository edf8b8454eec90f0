"""Minutes workflow: the record of where minutes are (draft, circulated, approved), the secretariat's
narrative per item, frozen approved versions (append-only) and members' comments on circulated drafts

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

APPEND_ONLY = "minutes_versions"


def _make_append_only() -> None:
    """As in 0004: the database refuses UPDATE and DELETE on approved minutes, whoever connects."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE TRIGGER {APPEND_ONLY}_append_only BEFORE UPDATE OR DELETE ON {APPEND_ONLY} "
                   "FOR EACH ROW EXECUTE FUNCTION leder_append_only()")
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER {APPEND_ONLY}_no_{event.lower()} BEFORE {event} ON {APPEND_ONLY} BEGIN "
                   f"SELECT RAISE(ABORT, '{APPEND_ONLY} is append-only: add a new row instead'); END")


def _drop_append_only() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {APPEND_ONLY}_append_only ON {APPEND_ONLY}")
        return
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {APPEND_ONLY}_no_{event}")


def upgrade() -> None:
    op.create_table('minutes_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_minutes_comments_author_id_users')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_minutes_comments_meeting_id_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_comments'))
    )
    with op.batch_alter_table('minutes_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minutes_comments_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('minutes_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'circulated', 'approved', name='minutes_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('circulated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('circulated_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approval_route', sa.Enum('at_meeting', 'by_chair', name='approval_route', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('approved_at_meeting_id', sa.Integer(), nullable=True),
    sa.Column('version_id', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['approved_at_meeting_id'], ['meetings.id'], name=op.f('fk_minutes_records_approved_at_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_minutes_records_approved_by_id_users')),
    sa.ForeignKeyConstraint(['circulated_by_id'], ['users.id'], name=op.f('fk_minutes_records_circulated_by_id_users')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_minutes_records_meeting_id_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_records')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_minutes_records_meeting_id'))
    )
    op.create_table('minutes_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_minutes_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_minutes_versions_meeting_id_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_versions')),
    sa.UniqueConstraint('meeting_id', 'number', name=op.f('uq_minutes_versions_meeting_id_number'))
    )
    with op.batch_alter_table('minutes_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minutes_versions_meeting_id'), ['meeting_id'], unique=False)
    _make_append_only()

    op.create_table('minutes_narratives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version_id', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_minutes_narratives_agenda_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_minutes_narratives_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minutes_narratives')),
    sa.UniqueConstraint('agenda_item_id', name=op.f('uq_minutes_narratives_agenda_item_id'))
    )
    with op.batch_alter_table('panel_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chair_may_approve_minutes', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    _drop_append_only()
    with op.batch_alter_table('panel_settings', schema=None) as batch_op:
        batch_op.drop_column('chair_may_approve_minutes')

    op.drop_table('minutes_narratives')
    with op.batch_alter_table('minutes_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minutes_versions_meeting_id'))

    op.drop_table('minutes_versions')
    op.drop_table('minutes_records')
    with op.batch_alter_table('minutes_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minutes_comments_meeting_id'))

    op.drop_table('minutes_comments')
