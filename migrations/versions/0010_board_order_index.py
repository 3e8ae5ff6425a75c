"""board cards: an index in the board's order, so a page reads its cards without sorting everyone

Revision ID: 0010_board_order_index
Revises: 0009_board_cards
Create Date: 2026-12-06 20:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_board_order_index'
down_revision = '0009_board_cards'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_board_cards_order', 'board_cards',
                    ['tier', 'urgency', sa.text('alerts DESC'), 'name_key', 'athlete_id'], unique=False)


def downgrade():
    op.drop_index('ix_board_cards_order', table_name='board_cards')
