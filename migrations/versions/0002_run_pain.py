"""training sessions: the pain felt during a walk–run (run sessions have no exercise logs)

Revision ID: 0002_run_pain
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002_run_pain'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('run_pain', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_training_sessions_run_pain'), 'run_pain IS NULL OR run_pain BETWEEN 0 AND 10')


def downgrade():
    with op.batch_alter_table('training_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_training_sessions_run_pain'), type_='check')
        batch_op.drop_column('run_pain')
