"""Slack deactivation kept in the database (every instance sees it), and marks on the database
itself (a demo database is marked so that `serve` does not message real people from it).
Adds only: no existing row changes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08 00:30:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('slack_deactivated_at', sa.DateTime(timezone=True), nullable=True)
        )
    op.create_table('database_marks',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_database_marks'))
    )


def downgrade() -> None:
    op.drop_table('database_marks')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('slack_deactivated_at')
