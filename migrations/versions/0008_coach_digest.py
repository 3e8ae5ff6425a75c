"""coach weekly digest: the coach's choice and zone, and one send row per coach and week

Revision ID: 0008_coach_digest
Revises: 0007_reminders
Create Date: 2026-12-01 14:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008_coach_digest'
down_revision = '0007_reminders'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('coach_digests',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('weekly_on', sa.Boolean(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=True),
    sa.Column('week_of', sa.Date(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_coach_digests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_coach_digests'))
    )
    with op.batch_alter_table('coach_digests', schema=None) as batch_op:
        batch_op.create_index('ix_coach_digests_due_at', ['due_at'], unique=False)

    op.create_table('digest_sends',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coach_id', sa.Integer(), nullable=False),
    sa.Column('week_of', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_try_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('sending', 'sent', 'retry', 'failed', 'skipped')", name=op.f('ck_digest_sends_status')),
    sa.ForeignKeyConstraint(['coach_id'], ['users.id'], name=op.f('fk_digest_sends_coach_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_sends')),
    sa.UniqueConstraint('coach_id', 'week_of', name=op.f('uq_digest_sends_coach_id_week_of'))
    )
    with op.batch_alter_table('digest_sends', schema=None) as batch_op:
        batch_op.create_index('ix_digest_sends_status_next_try', ['status', 'next_try_at'], unique=False)


def downgrade():
    with op.batch_alter_table('digest_sends', schema=None) as batch_op:
        batch_op.drop_index('ix_digest_sends_status_next_try')
    op.drop_table('digest_sends')
    with op.batch_alter_table('coach_digests', schema=None) as batch_op:
        batch_op.drop_index('ix_coach_digests_due_at')
    op.drop_table('coach_digests')
