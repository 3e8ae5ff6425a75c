"""progress snapshots: the coach dashboard's cache of each athlete's progression

Revision ID: 0003_progress_snapshots
Revises: 0002_run_pain
Create Date: 2026-11-24 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_progress_snapshots'
down_revision = '0002_run_pain'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('progress_snapshots',
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('state', sa.JSON(), nullable=True),
    sa.Column('computed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['athlete_id'], ['users.id'], name=op.f('fk_progress_snapshots_athlete_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('athlete_id', name=op.f('pk_progress_snapshots'))
    )


def downgrade():
    op.drop_table('progress_snapshots')
