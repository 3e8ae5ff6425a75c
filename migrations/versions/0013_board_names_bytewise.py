"""board cards: names compare byte by byte on PostgreSQL, so the board's index gives its order

The board orders names by their bytes (COLLATE "C"); with the column in the database's own
collation its index could not give that order and every page sorted the first group of cards.
SQLite's default collation, BINARY, already compares bytes.

Revision ID: 0013_board_names_bytewise
Revises: 0012_board_counts
Create Date: 2026-12-07 13:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013_board_names_bytewise'
down_revision = '0012_board_counts'
branch_labels = None
depends_on = None


def _collate(collation):
    # Changing a column's type rebuilds the indexes on it (ix_board_cards_order) in PostgreSQL.
    if op.get_bind().dialect.name == 'postgresql':
        op.alter_column('board_cards', 'name_key', existing_type=sa.String(length=320),
                        type_=sa.String(length=320, collation=collation), existing_nullable=True)


def upgrade():
    _collate('C')


def downgrade():
    _collate(None)
