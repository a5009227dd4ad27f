"""quarantined mutations keep their per-field error codes

Each message of `errors` gets a code with parameters beside it (`error_codes`), so a device or
an admin screen words a refusal in its own language. Entries quarantined before this have no
codes: an empty list, and their English messages stay as they were.

Revision ID: e8a41c2d9b07
Revises: c4d5e6f7a8b9
Create Date: 2026-12-03 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e8a41c2d9b07"
down_revision = "c4d5e6f7a8b9"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("quarantined_mutations") as batch_op:
        batch_op.add_column(
            sa.Column("error_codes", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade():
    with op.batch_alter_table("quarantined_mutations") as batch_op:
        batch_op.drop_column("error_codes")
