"""tracking codes on concerns (backfilled), publishable flag on photo links

Every concern gets the code a villager follows it by (fieldapp/followup/tracking.py); the
concerns already stored get theirs here. A supervisor marks a photo link publishable before
its derivatives may appear on the public page.

Revision ID: c7d4e1f2a9b3
Revises: e7a1c0d2b9f4
Create Date: 2026-12-03 17:43:15
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "c7d4e1f2a9b3"
down_revision = "e7a1c0d2b9f4"
branch_labels = None
depends_on = None

# A copy, not an import: a migration keeps producing what it produced when it was written.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _code() -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"PL-{chars[:4]}-{chars[4:]}"


def _backfill() -> None:
    concerns = sa.table("concerns", sa.column("id", sa.String), sa.column("tracking_code"))
    bind = op.get_bind()
    ids = bind.execute(
        sa.select(concerns.c.id).where(concerns.c.tracking_code.is_(None))
    ).scalars()
    used: set[str] = set()
    rows = []
    for concern_id in ids:
        code = _code()
        while code in used:
            code = _code()
        used.add(code)
        rows.append({"_id": concern_id, "code": code})
    if rows:
        bind.execute(
            concerns.update()
            .where(concerns.c.id == sa.bindparam("_id"))
            .values(tracking_code=sa.bindparam("code")),
            rows,
        )


def upgrade():
    with op.batch_alter_table("concerns") as batch_op:
        batch_op.add_column(sa.Column("tracking_code", sa.String(length=16), nullable=True))
    _backfill()
    with op.batch_alter_table("concerns") as batch_op:
        batch_op.create_unique_constraint("uq_concerns_tracking_code", ["tracking_code"])
    with op.batch_alter_table("photo_links") as batch_op:
        batch_op.add_column(
            sa.Column("publishable", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("photo_links") as batch_op:
        batch_op.drop_column("publishable")
    with op.batch_alter_table("concerns") as batch_op:
        batch_op.drop_constraint("uq_concerns_tracking_code", type_="unique")
        batch_op.drop_column("tracking_code")
