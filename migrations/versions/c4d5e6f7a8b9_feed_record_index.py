"""the change feed is looked up by record: is a page's record changed again later?

Pull serves a record once, at its latest change; each page asks whether its records have a
later entry the user may see, by (record_id, seq).

Revision ID: c4d5e6f7a8b9
Revises: b3c1d2e4f5a6
Create Date: 2026-12-03 18:00:00
"""

from alembic import op

revision = "c4d5e6f7a8b9"
down_revision = "b3c1d2e4f5a6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_changes_record_id_seq", "changes", ["record_id", "seq"], unique=False)


def downgrade():
    op.drop_index("ix_changes_record_id_seq", table_name="changes")
