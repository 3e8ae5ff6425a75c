"""exercise logs: why an exercise was skipped (it hurt / no time / no equipment)

The safety gate (app/domain/gate.py, rule 4) needs the reason: an exercise skipped because it
hurt makes the session painful; one skipped for time or equipment means it neither counts nor
holds. Skips logged before this revision keep a NULL reason and are read as "time".

Revision ID: 0004_skip_reasons
Revises: 0003_progress_snapshots
"""
from alembic import op
import sqlalchemy as sa


revision = '0004_skip_reasons'
down_revision = '0003_progress_snapshots'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('exercise_logs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('skip_reason', sa.String(length=16), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_exercise_logs_skip_reason'),
            "skip_reason IS NULL OR skip_reason IN ('hurt', 'time', 'equipment')")


def downgrade():
    with op.batch_alter_table('exercise_logs', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_exercise_logs_skip_reason'), type_='check')
        batch_op.drop_column('skip_reason')
