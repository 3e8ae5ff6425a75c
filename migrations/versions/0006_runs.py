"""runs: the run log (by hand, imported files, walk–run ladder sessions)

Revision ID: 0006_runs
Revises: 0003_progress_snapshots
Create Date: 2026-12-01 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_runs'
down_revision = '0004b_urgency'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('distance_m', sa.Integer(), nullable=True),
    sa.Column('duration_s', sa.Integer(), nullable=False),
    sa.Column('terrain', sa.String(length=16), nullable=False),
    sa.Column('downhill', sa.Boolean(), nullable=False),
    sa.Column('pain_during', sa.Integer(), nullable=False),
    sa.Column('pain_after', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=True),
    sa.Column('elevation_loss_m', sa.Integer(), nullable=True),
    sa.Column('avg_cadence', sa.Integer(), nullable=True),
    sa.Column('ladder_level', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("terrain IN ('road', 'trail', 'track', 'treadmill')", name=op.f('ck_runs_terrain')),
    sa.CheckConstraint("source IN ('manual', 'gpx', 'tcx', 'fit', 'ladder')", name=op.f('ck_runs_source')),
    sa.CheckConstraint('distance_m IS NULL OR distance_m BETWEEN 1 AND 150000', name=op.f('ck_runs_distance')),
    sa.CheckConstraint('duration_s BETWEEN 60 AND 86400', name=op.f('ck_runs_duration')),
    sa.CheckConstraint('pain_during BETWEEN 0 AND 10', name=op.f('ck_runs_pain_during')),
    sa.CheckConstraint('pain_after IS NULL OR pain_after BETWEEN 0 AND 10', name=op.f('ck_runs_pain_after')),
    sa.CheckConstraint('elevation_loss_m IS NULL OR elevation_loss_m BETWEEN 0 AND 20000', name=op.f('ck_runs_elevation_loss')),
    sa.CheckConstraint('avg_cadence IS NULL OR avg_cadence BETWEEN 60 AND 260', name=op.f('ck_runs_avg_cadence')),
    sa.CheckConstraint('ladder_level IS NULL OR ladder_level BETWEEN 1 AND 8', name=op.f('ck_runs_ladder_level')),
    sa.ForeignKeyConstraint(['athlete_id'], ['users.id'], name=op.f('fk_runs_athlete_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_runs')),
    sa.UniqueConstraint('athlete_id', 'file_sha256', name=op.f('uq_runs_athlete_id_file_sha256'))
    )
    op.create_index('ix_runs_athlete_date', 'runs', ['athlete_id', 'local_date'], unique=False)


def downgrade():
    op.drop_index('ix_runs_athlete_date', table_name='runs')
    op.drop_table('runs')
