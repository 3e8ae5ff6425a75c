"""outcome measures: AKPS, PSFS and GROC answers; two new coach acts

Revision ID: 0005_outcomes
Revises: 0003_progress_snapshots
Create Date: 2026-12-01 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_outcomes'
down_revision = '0006_runs'
branch_labels = None
depends_on = None

OLD_KINDS = "kind IN ('pause', 'resume', 'set_stage', 'set_threshold', 'set_sessions_to_advance', 'note', 'ack_red_flag')"
NEW_KINDS = ("kind IN ('pause', 'resume', 'set_stage', 'set_threshold', 'set_sessions_to_advance', 'note', "
             "'ack_red_flag', 'set_outcome_interval', 'request_outcomes')")


def upgrade():
    op.create_table('outcome_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('akps', 'psfs', 'groc')", name=op.f('ck_outcome_responses_kind')),
    sa.CheckConstraint("kind <> 'akps' OR score BETWEEN 0 AND 100", name=op.f('ck_outcome_responses_akps_score')),
    sa.CheckConstraint("kind <> 'psfs' OR score BETWEEN 0 AND 10", name=op.f('ck_outcome_responses_psfs_score')),
    sa.CheckConstraint("kind <> 'groc' OR score BETWEEN -7 AND 7", name=op.f('ck_outcome_responses_groc_score')),
    sa.ForeignKeyConstraint(['athlete_id'], ['users.id'], name=op.f('fk_outcome_responses_athlete_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_responses')),
    sa.UniqueConstraint('athlete_id', 'kind', 'local_date', name=op.f('uq_outcome_responses_athlete_id_kind_local_date'))
    )
    op.create_index('ix_outcome_responses_athlete_date', 'outcome_responses', ['athlete_id', 'local_date'], unique=False)
    with op.batch_alter_table('coach_actions') as batch_op:
        batch_op.drop_constraint(op.f('ck_coach_actions_kind'), type_='check')
        batch_op.create_check_constraint('kind', NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM coach_actions WHERE kind IN ('set_outcome_interval', 'request_outcomes')")
    with op.batch_alter_table('coach_actions') as batch_op:
        batch_op.drop_constraint(op.f('ck_coach_actions_kind'), type_='check')
        batch_op.create_check_constraint('kind', OLD_KINDS)
    op.drop_index('ix_outcome_responses_athlete_date', table_name='outcome_responses')
    op.drop_table('outcome_responses')
