"""record history: each applied write of a synced record, per field before and after

Revision ID: f3b9a2c71d05
Revises: f3b8e2a1c6d4
Create Date: 2026-12-03 21:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f3b9a2c71d05"
down_revision = "f3b8e2a1c6d4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "record_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("op", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("mutation_id", sa.String(length=36), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("device_id", sa.String(length=64), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_record_history_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_history")),
    )
    op.create_index("ix_record_history_record", "record_history", ["record_id", "id"])


def downgrade():
    op.drop_index("ix_record_history_record", table_name="record_history")
    op.drop_table("record_history")
