"""decisions, locked review versions, anonymous ballots and the append-only audit log

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

APPEND_ONLY_TABLES = ("audit_events", "decisions", "review_versions")
OLD_REVIEW_STATUSES = "'in_progress', 'ready_for_panel', 'on_agenda', 'signed_off', 'returned'"
NEW_REVIEW_STATUSES = OLD_REVIEW_STATUSES + ", 'escalated'"


def _set_review_statuses(allowed: str) -> None:
    with op.batch_alter_table('focused_reviews', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_focused_reviews_review_status'), type_='check')
        batch_op.create_check_constraint('review_status', f"status IN ({allowed})")


def _make_append_only() -> None:
    """The database itself refuses UPDATE and DELETE on these tables, whoever connects."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION leder_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION '% is append-only: add a new row instead', TG_TABLE_NAME; END $$ LANGUAGE plpgsql"
        )
        for table in APPEND_ONLY_TABLES:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION leder_append_only()")
        return
    for table in APPEND_ONLY_TABLES:
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} BEGIN "
                       f"SELECT RAISE(ABORT, '{table} is append-only: add a new row instead'); END")


def _drop_append_only() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in APPEND_ONLY_TABLES:
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            for event in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS leder_append_only()")


def upgrade() -> None:
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.ForeignKeyConstraint(['panel_id'], ['panels.id'], name=op.f('fk_audit_events_panel_id_panels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_panel_id'), ['panel_id'], unique=False)

    op.create_table('anonymous_ballots',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['option_id'], ['vote_options.id'], name=op.f('fk_anonymous_ballots_option_id_vote_options')),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_anonymous_ballots_poll_id_polls')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_anonymous_ballots')),
    sqlite_with_rowid=False,
    )
    with op.batch_alter_table('anonymous_ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_anonymous_ballots_poll_id'), ['poll_id'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('signed_off', 'signed_off_with_amendments', 'returned', 'escalated', name='decision_outcome', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('tally', sa.Text(), nullable=False),
    sa.Column('voted_count', sa.Integer(), nullable=False),
    sa.Column('eligible_count', sa.Integer(), nullable=False),
    sa.Column('quorum_met', sa.Boolean(), nullable=False),
    sa.Column('quorum_summary', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_decisions_agenda_item_id_agenda_items')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_decisions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['poll_id'], ['polls.id'], name=op.f('fk_decisions_poll_id_polls')),
    sa.ForeignKeyConstraint(['review_id'], ['focused_reviews.id'], name=op.f('fk_decisions_review_id_focused_reviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('poll_id', name=op.f('uq_decisions_poll_id'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_review_id'), ['review_id'], unique=False)

    op.create_table('review_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('signed_off', 'amendment', name='version_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_review_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_review_versions_decision_id_decisions')),
    sa.ForeignKeyConstraint(['review_id'], ['focused_reviews.id'], name=op.f('fk_review_versions_review_id_focused_reviews')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_versions')),
    sa.UniqueConstraint('review_id', 'number', name=op.f('uq_review_versions_review_id_number'))
    )
    with op.batch_alter_table('review_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_versions_review_id'), ['review_id'], unique=False)

    with op.batch_alter_table('panel_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('count_apology_views', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymous', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('quorum_met', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('quorum_summary', sa.Text(), nullable=True))

    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vote_option_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_review_comments_vote_option_id_vote_options'), 'vote_options', ['vote_option_id'], ['id'])

    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.alter_column('option_id',
               existing_type=sa.INTEGER(),
               nullable=True)

    _set_review_statuses(NEW_REVIEW_STATUSES)
    _make_append_only()


def downgrade() -> None:
    _drop_append_only()
    op.execute("UPDATE focused_reviews SET status = 'on_agenda' WHERE status = 'escalated'")
    _set_review_statuses(OLD_REVIEW_STATUSES)
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.alter_column('option_id',
               existing_type=sa.INTEGER(),
               nullable=False)

    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_review_comments_vote_option_id_vote_options'), type_='foreignkey')
        batch_op.drop_column('vote_option_id')

    with op.batch_alter_table('polls', schema=None) as batch_op:
        batch_op.drop_column('quorum_summary')
        batch_op.drop_column('quorum_met')
        batch_op.drop_column('anonymous')

    with op.batch_alter_table('panel_settings', schema=None) as batch_op:
        batch_op.drop_column('count_apology_views')

    with op.batch_alter_table('review_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_versions_review_id'))

    op.drop_table('review_versions')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_review_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_agenda_item_id'))

    op.drop_table('decisions')
    with op.batch_alter_table('anonymous_ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_anonymous_ballots_poll_id'))

    op.drop_table('anonymous_ballots')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_panel_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))

    op.drop_table('audit_events')
