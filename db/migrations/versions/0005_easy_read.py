"""Easy Read summaries, the jargon list, Easy Read comments and reading preferences

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# A frozen copy of the starting jargon list at the time of this revision: (term, plain words).
DEFAULT_JARGON = [
    ("LeDeR", "the programme that learns from the lives and deaths of people with a learning disability"),
    ("ICB", "the care board that plans health services in the area"),
    ("DNACPR", "a decision not to try to restart the heart"),
    ("STOMP", "stopping too much medicine for people with a learning disability"),
    ("aspiration pneumonia", "a chest infection from food or drink going into the lungs"),
    ("SMART", "clear, with a date and a way to check it is done"),
    ("quorum", "enough people at the meeting to make decisions"),
    ("sign-off", "agreeing the review is good enough"),
    ("safeguarding", "keeping people safe from harm"),
    ("psychotropic", "medicine that changes how the mind works"),
]


def _jargon_for_existing_panels() -> None:
    panel_ids = [row[0] for row in op.get_bind().execute(sa.text("SELECT id FROM panels"))]
    terms = sa.table("jargon_terms", sa.column("panel_id", sa.Integer), sa.column("term", sa.String),
                     sa.column("plain", sa.String))
    for panel_id in panel_ids:
        op.bulk_insert(terms, [{"panel_id": panel_id, "term": term, "plain": plain} for term, plain in DEFAULT_JARGON])


def upgrade() -> None:
    op.create_table('jargon_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('panel_id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=100), nullable=False),
    sa.Column('plain', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['panel_id'], ['panels.id'], name=op.f('fk_jargon_terms_panel_id_panels')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jargon_terms')),
    sa.UniqueConstraint('panel_id', 'term', name=op.f('uq_jargon_terms_panel_id_term'))
    )
    with op.batch_alter_table('jargon_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jargon_terms_panel_id'), ['panel_id'], unique=False)

    with op.batch_alter_table('focused_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('easy_read_summary', sa.Text(), server_default='', nullable=False))

    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('feeling', sa.Enum('agree', 'unsure', 'worried', name='feeling', native_enum=False, create_constraint=True, length=32), nullable=True))
        batch_op.add_column(sa.Column('supported_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('larger_text', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('high_contrast', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('fewer_things', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('live_updates', sa.Boolean(), server_default=sa.false(), nullable=False))

    _jargon_for_existing_panels()



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('live_updates')
        batch_op.drop_column('fewer_things')
        batch_op.drop_column('high_contrast')
        batch_op.drop_column('larger_text')

    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('supported_by')
        batch_op.drop_column('feeling')

    with op.batch_alter_table('focused_reviews', schema=None) as batch_op:
        batch_op.drop_column('easy_read_summary')

    with op.batch_alter_table('jargon_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jargon_terms_panel_id'))

    op.drop_table('jargon_terms')
