"""the audit log becomes a hash chain: position, prev_hash, hash, and a head row

Existing entries are chained in id order, so a server upgraded today publishes a head that
covers its whole history (docs/operations.md, "The audit chain").

Revision ID: a1d17c4a1b01
Revises: c7d4e1f2a9b3
Create Date: 2026-12-03 19:15:00
"""

import sqlalchemy as sa
from alembic import op

from fieldapp.audit.chain import GENESIS, entry_hash

revision = "a1d17c4a1b01"
down_revision = "c7d4e1f2a9b3"
branch_labels = None
depends_on = None

audit_log = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("position", sa.BigInteger),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("record_id", sa.String),
    sa.column("details", sa.JSON),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def _chain_existing(bind) -> tuple[int, str]:
    position, prev = 0, GENESIS
    for row in bind.execute(sa.select(audit_log).order_by(audit_log.c.id)).mappings():
        position += 1
        content = dict(row, position=position, details=row["details"] or {})
        digest = entry_hash(content, prev)
        bind.execute(
            audit_log.update()
            .where(audit_log.c.id == row["id"])
            .values(position=position, prev_hash=prev, hash=digest)
        )
        prev = digest
    return position, prev


def upgrade():
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.add_column(sa.Column("position", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    position, digest = _chain_existing(op.get_bind())
    op.bulk_insert(head, [{"id": 1, "position": position, "hash": digest}])
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.alter_column("position", existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint("uq_audit_log_position", ["position"])


def downgrade():
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.drop_constraint("uq_audit_log_position", type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("position")
    op.drop_table("audit_head")
