"""board counts: each coach's board counts, kept so a big roster's load makes no pass over it

Revision ID: 0012_board_counts
Revises: 0011_random_generations
Create Date: 2026-12-07 12:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012_board_counts'
down_revision = '0011_random_generations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('board_counts',
    sa.Column('coach_id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.BigInteger(), nullable=False),
    sa.Column('rules', sa.String(length=16), nullable=True),
    sa.Column('valid_until', sa.DateTime(), nullable=True),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('attention', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['coach_id'], ['users.id'], name=op.f('fk_board_counts_coach_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('coach_id', name=op.f('pk_board_counts'))
    )


def downgrade():
    op.drop_table('board_counts')
