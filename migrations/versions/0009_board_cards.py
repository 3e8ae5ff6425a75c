"""board cards: each athlete's card on the coach's board, kept so its first page is one ordered query

Revision ID: 0009_board_cards
Revises: 0008_coach_digest
Create Date: 2026-12-01 21:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_board_cards'
down_revision = '0008_coach_digest'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('board_cards',
    sa.Column('athlete_id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.Column('rules', sa.String(length=16), nullable=True),
    sa.Column('valid_until', sa.DateTime(), nullable=True),
    sa.Column('tier', sa.Integer(), nullable=True),
    sa.Column('urgency', sa.Integer(), nullable=True),
    sa.Column('alerts', sa.Integer(), nullable=True),
    sa.Column('name_key', sa.String(length=320), nullable=True),
    sa.Column('card', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['athlete_id'], ['users.id'], name=op.f('fk_board_cards_athlete_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('athlete_id', name=op.f('pk_board_cards'))
    )


def downgrade():
    op.drop_table('board_cards')
