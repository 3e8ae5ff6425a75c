"""kept tables: a generation is a random 62-bit number, never reused, so it needs 64 bits

Revision ID: 0011_random_generations
Revises: 0010_board_order_index
Create Date: 2026-12-06 22:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011_random_generations'
down_revision = '0010_board_order_index'
branch_labels = None
depends_on = None

TABLES = ('progress_snapshots', 'board_cards')


def _retype(old, new):
    # SQLite's batch mode copies the table and would recreate the board's index without its
    # DESC: take the index away first and build it as 0010 made it.
    op.drop_index('ix_board_cards_order', table_name='board_cards')
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column('generation', existing_type=old, type_=new, existing_nullable=False)
    op.create_index('ix_board_cards_order', 'board_cards',
                    ['tier', 'urgency', sa.text('alerts DESC'), 'name_key', 'athlete_id'], unique=False)


def upgrade():
    _retype(sa.Integer(), sa.BigInteger())


def downgrade():
    # A random generation does not fit 32 bits: every kept state is dropped and rebuilt on demand.
    for table in TABLES:
        op.execute(sa.text(f'DELETE FROM {table}'))
    _retype(sa.BigInteger(), sa.Integer())
