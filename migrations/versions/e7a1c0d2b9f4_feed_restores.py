"""feed restores: the sequence ranges a restore from a backup left void

Revision ID: e7a1c0d2b9f4
Revises: 3fe785936a66
Create Date: 2026-12-03 18:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e7a1c0d2b9f4'
down_revision = '3fe785936a66'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('feed_restores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('restored_seq', sa.BigInteger(), nullable=False),
    sa.Column('resumed_seq', sa.BigInteger(), nullable=False),
    sa.Column('restored_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_restores'))
    )


def downgrade():
    op.drop_table('feed_restores')
