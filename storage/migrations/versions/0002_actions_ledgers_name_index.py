"""Joint action (actions, reply due dates, outcomes), the digest and reminder ledgers, handled
Slack events, and a keyed index of targets' names. Adds only: no existing row changes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 19:35:15.395865
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('digests_sent',
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('recipient', sa.String(length=64), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('period', 'recipient', name=op.f('pk_digests_sent'))
    )
    op.create_table('handled_events',
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_handled_events'))
    )
    with op.batch_alter_table('handled_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handled_events_received_at'), ['received_at'], unique=False)

    op.create_table('case_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('committees', sa.JSON(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('note_sealed', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['people.id'], name=op.f('fk_case_actions_actor_id_people')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_actions_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_actions'))
    )
    with op.batch_alter_table('case_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_actions_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_actions_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_actions_taken_on'), ['taken_on'], unique=False)

    op.create_table('reminders_sent',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_reminders_sent_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', 'due_on', 'kind', name=op.f('pk_reminders_sent'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('closed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_reply_due_on'), ['reply_due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_closed_on'), ['closed_on'], unique=False)

    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_index', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_targets_name_index'), ['name_index'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_targets_name_index'))
        batch_op.drop_column('name_index')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_reply_due_on'))
        batch_op.drop_index(batch_op.f('ix_cases_received_on'))
        batch_op.drop_index(batch_op.f('ix_cases_closed_on'))
        batch_op.drop_column('outcome')
        batch_op.drop_column('closed_on')
        batch_op.drop_column('reply_due_on')

    op.drop_table('reminders_sent')
    with op.batch_alter_table('case_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_actions_taken_on'))
        batch_op.drop_index(batch_op.f('ix_case_actions_kind'))
        batch_op.drop_index(batch_op.f('ix_case_actions_case_id'))

    op.drop_table('case_actions')
    with op.batch_alter_table('handled_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handled_events_received_at'))

    op.drop_table('handled_events')
    op.drop_table('digests_sent')
