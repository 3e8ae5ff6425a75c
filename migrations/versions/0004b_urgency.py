"""check-in urgency: the swollen-calf flag's follow-up (breathless or chest pain?)

Revision ID: 0004b_urgency
Revises: 0003_progress_snapshots
Create Date: 2026-12-01 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004b_urgency'
down_revision = '0004_skip_reasons'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: only asked when the calf flag is ticked; older check-ins never had it.
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calf_breathless', sa.Boolean(), nullable=True))


def downgrade():
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_column('calf_breathless')
