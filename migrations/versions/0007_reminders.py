"""reminders: settings, due times, sends, push subscriptions

Revision ID: 0007_reminders
Revises: 0003_progress_snapshots
Create Date: 2026-12-01 11:17:15.512612

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_reminders'
down_revision = '0005_outcomes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminder_due',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('local_day', sa.Date(), nullable=False),
    sa.CheckConstraint("kind IN ('daily', 'training')", name=op.f('ck_reminder_due_kind')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminder_due_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_reminder_due'))
    )
    with op.batch_alter_table('reminder_due', schema=None) as batch_op:
        batch_op.create_index('ix_reminder_due_due_at', ['due_at'], unique=False)

    op.create_table('reminder_sends',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('local_day', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('message', sa.String(length=16), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_try_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("channel IN ('email', 'push')", name=op.f('ck_reminder_sends_channel')),
    sa.CheckConstraint("kind IN ('daily', 'training')", name=op.f('ck_reminder_sends_kind')),
    sa.CheckConstraint("message IS NULL OR message IN ('checkin', 'next_morning', 'nudge', 'training')", name=op.f('ck_reminder_sends_message')),
    sa.CheckConstraint("status IN ('sending', 'sent', 'retry', 'failed', 'skipped')", name=op.f('ck_reminder_sends_status')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminder_sends_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_sends')),
    sa.UniqueConstraint('user_id', 'kind', 'local_day', 'channel', name=op.f('uq_reminder_sends_user_id_kind_local_day_channel'))
    )
    with op.batch_alter_table('reminder_sends', schema=None) as batch_op:
        batch_op.create_index('ix_reminder_sends_status_next_try', ['status', 'next_try_at'], unique=False)

    op.create_table('reminder_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('checkin_on', sa.Boolean(), nullable=False),
    sa.Column('checkin_minute', sa.Integer(), nullable=False),
    sa.Column('next_morning_on', sa.Boolean(), nullable=False),
    sa.Column('nudge_on', sa.Boolean(), nullable=False),
    sa.Column('training_on', sa.Boolean(), nullable=False),
    sa.Column('training_minute', sa.Integer(), nullable=False),
    sa.Column('training_days', sa.Integer(), nullable=False),
    sa.Column('quiet_start_minute', sa.Integer(), nullable=False),
    sa.Column('quiet_end_minute', sa.Integer(), nullable=False),
    sa.Column('snoozed_until', sa.Date(), nullable=True),
    sa.Column('email_on', sa.Boolean(), nullable=False),
    sa.Column('push_on', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('checkin_minute BETWEEN 0 AND 1439', name=op.f('ck_reminder_settings_checkin_minute')),
    sa.CheckConstraint('quiet_end_minute BETWEEN 0 AND 1439', name=op.f('ck_reminder_settings_quiet_end_minute')),
    sa.CheckConstraint('quiet_start_minute BETWEEN 0 AND 1439', name=op.f('ck_reminder_settings_quiet_start_minute')),
    sa.CheckConstraint('training_days BETWEEN 0 AND 127', name=op.f('ck_reminder_settings_training_days')),
    sa.CheckConstraint('training_minute BETWEEN 0 AND 1439', name=op.f('ck_reminder_settings_training_minute')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reminder_settings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_reminder_settings'))
    )


    op.create_table('push_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('endpoint', sa.String(length=2048), nullable=False),
    sa.Column('p256dh', sa.String(length=128), nullable=False),
    sa.Column('auth', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_push_subscriptions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_push_subscriptions')),
    sa.UniqueConstraint('endpoint', name=op.f('uq_push_subscriptions_endpoint'))
    )
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.create_index('ix_push_subscriptions_user_id', ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('push_subscriptions', schema=None) as batch_op:
        batch_op.drop_index('ix_push_subscriptions_user_id')

    op.drop_table('push_subscriptions')
    op.drop_table('reminder_settings')
    with op.batch_alter_table('reminder_sends', schema=None) as batch_op:
        batch_op.drop_index('ix_reminder_sends_status_next_try')

    op.drop_table('reminder_sends')
    with op.batch_alter_table('reminder_due', schema=None) as batch_op:
        batch_op.drop_index('ix_reminder_due_due_at')

    op.drop_table('reminder_due')
