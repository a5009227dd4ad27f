"""slim the change feed and the mutation log: only their keys are indexed

Pull walks `changes` by seq and compaction reads it whole, so its four secondary indexes
cost every push four index writes per record and served no query; `applied_mutations` is
looked up by mutation id only. On SQLite `changes.seq` becomes INTEGER, the rowid itself,
instead of a BIGINT key beside it (the table is rebuilt once).

Revision ID: b3c1d2e4f5a6
Revises: 5a7f3069a880
Create Date: 2026-11-25 00:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b3c1d2e4f5a6"
down_revision = "5a7f3069a880"
branch_labels = None
depends_on = None

FEED_INDEXES = ("assignee_id", "district_code", "owner_id", "record_id")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade():
    with op.batch_alter_table("changes", recreate="always" if _sqlite() else "auto") as batch_op:
        for column in FEED_INDEXES:
            batch_op.drop_index(batch_op.f(f"ix_changes_{column}"))
        if _sqlite():
            batch_op.alter_column(
                "seq",
                existing_type=sa.BigInteger(),
                type_=sa.Integer(),
                existing_nullable=False,
                autoincrement=False,
            )
    with op.batch_alter_table("applied_mutations") as batch_op:
        batch_op.drop_index(batch_op.f("ix_applied_mutations_device_id"))


def downgrade():
    with op.batch_alter_table("applied_mutations") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_applied_mutations_device_id"), ["device_id"], unique=False
        )
    with op.batch_alter_table("changes", recreate="always" if _sqlite() else "auto") as batch_op:
        if _sqlite():
            batch_op.alter_column(
                "seq",
                existing_type=sa.Integer(),
                type_=sa.BigInteger(),
                existing_nullable=False,
                autoincrement=False,
            )
        for column in FEED_INDEXES:
            batch_op.create_index(batch_op.f(f"ix_changes_{column}"), [column], unique=False)
