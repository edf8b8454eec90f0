"""meetings agenda attendance declarations quorum

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


# A frozen copy of the national learning themes at the time of this revision (domain pack, section 6).
NATIONAL_THEMES = [
    "Respiratory and aspiration pneumonia", "Epilepsy", "Sepsis", "Constipation", "Cancer screening",
    "DNACPR", "Annual health checks", "STOMP", "Reasonable adjustments", "Ethnicity and inequalities",
]


def _defaults_for_existing_panels() -> None:
    """Every panel gets default settings and the national themes; later edits are the secretariat's."""
    connection = op.get_bind()
    panel_ids = [row[0] for row in connection.execute(sa.text("SELECT id FROM panels"))]
    settings = sa.table("panel_settings", sa.column("panel_id", sa.Integer))
    themes = sa.table("themes", sa.column("panel_id", sa.Integer), sa.column("name", sa.String),
                      sa.column("position", sa.Integer))
    for panel_id in panel_ids:
        op.bulk_insert(settings, [{"panel_id": panel_id}])
        op.bulk_insert(themes, [{"panel_id": panel_id, "name": name, "position": n}
                                for n, name in enumerate(NATIONAL_THEMES, start=1)])


def upgrade() -> None:
    op.create_table('panel_settings',
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('quorum_min_voting_members', sa.Integer(), server_default='5', nullable=False),
    sa.Column('quorum_require_chair_or_vice', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('quorum_min_lived_experience', sa.Integer(), server_default='1', nullable=False),
    sa.Column('quorum_require_em_lead', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('require_em_lead_view', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('clock_target_months', sa.Integer(), server_default='6', nullable=False),
    sa.Column('clock_amber_days', sa.Integer(), server_default='30', nullable=False),
    sa.Column('version_id', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['panel_id'], ['panels.id'], name=op.f('fk_panel_settings_panel_id_panels')),
    sa.PrimaryKeyConstraint('panel_id', name=op.f('pk_panel_settings'))
    )
    op.create_table('themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.ForeignKeyConstraint(['panel_id'], ['panels.id'], name=op.f('fk_themes_panel_id_panels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_themes')),
    sa.UniqueConstraint('panel_id', 'name', name=op.f('uq_themes_panel_id_name'))
    )
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_themes_panel_id'), ['panel_id'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('present_in_person', 'present_remote', 'apologies', 'absent', name='attendance_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('deputy_for_user_id', sa.Integer(), nullable=True),
    sa.Column('version_id', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['deputy_for_user_id'], ['users.id'], name=op.f('fk_attendance_deputy_for_user_id_users')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_attendance_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attendance_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('meeting_id', 'deputy_for_user_id', name=op.f('uq_attendance_meeting_id_deputy_for_user_id')),
    sa.UniqueConstraint('meeting_id', 'user_id', name=op.f('uq_attendance_meeting_id_user_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_user_id'), ['user_id'], unique=False)

    op.create_table('registered_interests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('declared_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_registered_interests_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registered_interests'))
    )
    with op.batch_alter_table('registered_interests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registered_interests_user_id'), ['user_id'], unique=False)

    op.create_table('review_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('before_meeting', 'during_meeting', name='comment_stage', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('as_role', sa.Enum('chair', 'vice_chair', 'panel_member', 'lived_experience_member', 'ethnic_minority_lead', 'reviewer', 'secretariat', 'observer', name='comment_role', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('as_deputy', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_review_comments_author_id_users')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_review_comments_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['review_id'], ['focused_reviews.id'], name=op.f('fk_review_comments_review_id_focused_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_comments'))
    )
    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_comments_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_comments_review_id'), ['review_id'], unique=False)

    op.create_table('review_pauses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('reason', sa.Enum('coroner', 'police', 'safeguarding', 'other', name='pause_reason', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['review_id'], ['focused_reviews.id'], name=op.f('fk_review_pauses_review_id_focused_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_pauses'))
    )
    with op.batch_alter_table('review_pauses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_pauses_review_id'), ['review_id'], unique=False)

    op.create_table('finding_themes',
    sa.Column('finding_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['finding_id'], ['review_findings.id'], name=op.f('fk_finding_themes_finding_id_review_findings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['themes.id'], name=op.f('fk_finding_themes_theme_id_themes')),
    sa.PrimaryKeyConstraint('finding_id', 'theme_id', name=op.f('pk_finding_themes'))
    )
    with op.batch_alter_table('finding_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finding_themes_theme_id'), ['theme_id'], unique=False)

    op.create_table('item_declarations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('interest', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Enum('declared_only', 'recused', name='declaration_outcome', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_item_declarations_agenda_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_item_declarations_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_item_declarations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_declarations')),
    sa.UniqueConstraint('agenda_item_id', 'user_id', name=op.f('uq_item_declarations_agenda_item_id_user_id'))
    )
    with op.batch_alter_table('item_declarations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_declarations_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_item_declarations_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.Enum('pending', 'in_discussion', 'ready_for_vote', 'decided', 'deferred', name='item_status', native_enum=False, create_constraint=True, length=32), server_default='pending', nullable=False))
        batch_op.add_column(sa.Column('quorum_met', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('quorum_summary', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('quorum_checked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('version_id', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('focused_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('senior_reviewer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('presented_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('finished_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_focused_reviews_senior_reviewer_id'), ['senior_reviewer_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_focused_reviews_senior_reviewer_id_users'), 'users', ['senior_reviewer_id'], ['id'])

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('current_position', sa.Integer(), nullable=True))

    _defaults_for_existing_panels()

def downgrade() -> None:
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('current_position')

    with op.batch_alter_table('focused_reviews', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_focused_reviews_senior_reviewer_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_focused_reviews_senior_reviewer_id'))
        batch_op.drop_column('finished_on')
        batch_op.drop_column('presented_on')
        batch_op.drop_column('senior_reviewer_id')

    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_column('version_id')
        batch_op.drop_column('quorum_checked_at')
        batch_op.drop_column('quorum_summary')
        batch_op.drop_column('quorum_met')
        batch_op.drop_column('status')

    with op.batch_alter_table('item_declarations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_declarations_user_id'))
        batch_op.drop_index(batch_op.f('ix_item_declarations_agenda_item_id'))

    op.drop_table('item_declarations')
    with op.batch_alter_table('finding_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finding_themes_theme_id'))

    op.drop_table('finding_themes')
    with op.batch_alter_table('review_pauses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_pauses_review_id'))

    op.drop_table('review_pauses')
    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_comments_review_id'))
        batch_op.drop_index(batch_op.f('ix_review_comments_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_review_comments_author_id'))

    op.drop_table('review_comments')
    with op.batch_alter_table('registered_interests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registered_interests_user_id'))

    op.drop_table('registered_interests')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_user_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_meeting_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_themes_panel_id'))

    op.drop_table('themes')
    op.drop_table('panel_settings')
