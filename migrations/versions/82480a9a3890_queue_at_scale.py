"""the queue at 100,000 concerns: indexes per district and per order, a trigram text index

The counts per status and the page are read per part of the visibility rule
(fieldapp/auth/visibility.py: record_filter_parts), each part from an index that leads with
what it filters on; the free text from a trigram index that works for Thai, which has no spaces
between words (SQLite: an FTS5 table with the trigram tokenizer, kept by triggers; PostgreSQL:
pg_trgm's GIN index). bench/queue_bench.py measures it.

A later migration that recreates `concerns` on SQLite (a batch "move and copy") drops the
triggers with the old table: it must call `create_text_index_sqlite()` again.

Revision ID: 82480a9a3890
Revises: f3b9a2c71d05
Create Date: 2026-12-03 21:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "82480a9a3890"
down_revision = "f3b9a2c71d05"
branch_labels = None
depends_on = None

# The text index row of a concern has the concern's rowid (found by it in one step when the
# description changes).
SQLITE_TEXT_INDEX = (
    "DROP TABLE IF EXISTS concerns_text",
    "CREATE VIRTUAL TABLE concerns_text USING fts5(description, tokenize = 'trigram')",
    "CREATE TRIGGER concerns_text_insert AFTER INSERT ON concerns BEGIN "
    "INSERT INTO concerns_text (rowid, description) VALUES (new.rowid, new.description); END",
    "CREATE TRIGGER concerns_text_update AFTER UPDATE OF description ON concerns BEGIN "
    "DELETE FROM concerns_text WHERE rowid = old.rowid; "
    "INSERT INTO concerns_text (rowid, description) VALUES (new.rowid, new.description); END",
    "CREATE TRIGGER concerns_text_delete AFTER DELETE ON concerns BEGIN "
    "DELETE FROM concerns_text WHERE rowid = old.rowid; END",
    "INSERT INTO concerns_text (rowid, description) SELECT rowid, description FROM concerns",
)


# What the counts filter on, after the part's own column.
COUNTED = ("status", "deleted", "due_date", "category_code", "urgency", "priority", "assignee_id")


def create_text_index_sqlite() -> None:
    """(Re)build the text index and its triggers: also after `concerns` was recreated."""
    for name in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS concerns_text_{name}")
    for statement in SQLITE_TEXT_INDEX:
        op.execute(statement)


def upgrade():
    with op.batch_alter_table("concerns", schema=None) as batch_op:
        batch_op.drop_index("ix_concerns_queue")
        # Counts per status, walked in status order; the overdue ones a range of due dates.
        # (the user's own and assigned concerns outside their districts: by author, assignee)
        parts = (("", []), ("_district", ["district_code"]), ("_author", ["created_by_id"]),
                 ("_assignee", ["assignee_id"]))  # fmt: skip
        for name, leading in parts:
            batch_op.create_index(
                f"ix_concerns{name}_counts",
                [*leading, *(c for c in COUNTED if c not in leading)],
                unique=False,
            )  # fmt: skip
        # Each order's index also holds what nearly every page filters on (live, status,
        # due date), so a page, however deep, is walked in the index without the rows.
        batch_op.drop_index("ix_concerns_reported_at")
        for name, leading in (("", []), ("_district", ["district_code"])):
            batch_op.create_index(
                f"ix_concerns{name}_order",
                [*leading, "reported_at", "id", "deleted", "status", "due_date"],
                unique=False,
            )
            batch_op.create_index(
                f"ix_concerns{name}_due",
                [*leading, sa.text("(due_date IS NULL)"), "due_date", "reported_at", "id",
                 "deleted", "status"],
                unique=False,
            )  # fmt: skip
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_concerns_description_trgm ON concerns "
            "USING gin (description gin_trgm_ops)"
        )
    else:
        create_text_index_sqlite()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_concerns_description_trgm")
    else:
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS concerns_text_{name}")
        op.execute("DROP TABLE IF EXISTS concerns_text")
    with op.batch_alter_table("concerns", schema=None) as batch_op:
        for name in ("district_due", "due", "district_order", "order", "district_counts",
                     "author_counts", "assignee_counts"):  # fmt: skip
            batch_op.drop_index(f"ix_concerns_{name}")
        batch_op.create_index("ix_concerns_reported_at", ["reported_at", "id"], unique=False)
        batch_op.drop_index("ix_concerns_counts")
        batch_op.create_index(
            "ix_concerns_queue",
            ["status", "district_code", "category_code", "urgency", "priority", "due_date",
             "assignee_id", "created_by_id", "deleted", "reported_at", "id"],
            unique=False,
        )  # fmt: skip
