"""Related cases (links between two cases), the messages posted in case threads (sealed), and
when a case was shared by hand with a committee.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 20:00:08.985774
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case_committees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shared_at', sa.DateTime(timezone=True), nullable=True))

    op.create_table('case_links',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('other_id', sa.Integer(), nullable=False),
    sa.Column('linked_by', sa.Integer(), nullable=True),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_links_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['linked_by'], ['people.id'], name=op.f('fk_case_links_linked_by_people')),
    sa.ForeignKeyConstraint(['other_id'], ['cases.id'], name=op.f('fk_case_links_other_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', 'other_id', name=op.f('pk_case_links'))
    )
    with op.batch_alter_table('case_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_links_other_id'), ['other_id'], unique=False)

    op.create_table('case_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('text_sealed', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_case_messages_author_id_people')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_messages_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_messages')),
    sa.UniqueConstraint('platform', 'ref', name=op.f('uq_case_messages_platform'))
    )
    with op.batch_alter_table('case_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_messages_case_id'), ['case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('case_committees', schema=None) as batch_op:
        batch_op.drop_column('shared_at')

    with op.batch_alter_table('case_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_messages_case_id'))

    op.drop_table('case_messages')
    with op.batch_alter_table('case_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_links_other_id'))

    op.drop_table('case_links')
