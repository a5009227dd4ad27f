"""capture provenance on photo links, a perceptual hash on photos, evidence checks

The phone sends what the original's EXIF said and where it was when the photo was attached
(docs/sync-protocol.md, "Photo references"); the server keeps each resolved concern's checks
per after-photo (docs/evidence.md). Photos stored before this revision have no pHash and are
not compared.

Revision ID: f3b8e2a1c6d4
Revises: f7d8d8e8d9af
Create Date: 2026-12-03 21:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f3b8e2a1c6d4"
down_revision = "f7d8d8e8d9af"
branch_labels = None
depends_on = None

CAPTURE = (
    ("exif_taken_at", sa.DateTime(timezone=True)),
    ("exif_lat", sa.Float()),
    ("exif_lon", sa.Float()),
    ("camera_make", sa.String(length=100)),
    ("camera_model", sa.String(length=100)),
    ("attached_at", sa.DateTime(timezone=True)),
    ("device_lat", sa.Float()),
    ("device_lon", sa.Float()),
    ("device_accuracy_m", sa.Float()),
)


def upgrade():
    with op.batch_alter_table("photo_links") as batch_op:
        for name, kind in CAPTURE:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
    with op.batch_alter_table("photos") as batch_op:
        batch_op.add_column(sa.Column("phash", sa.String(length=16), nullable=True))
    op.create_table(
        "evidence_checks",
        sa.Column("concern_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("time_source", sa.String(length=10), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("position_source", sa.String(length=10), nullable=True),
        sa.Column("time_result", sa.String(length=10), nullable=False),
        sa.Column("minutes_after", sa.Integer(), nullable=True),
        sa.Column("distance_result", sa.String(length=10), nullable=False),
        sa.Column("metres", sa.Integer(), nullable=True),
        sa.Column("limit_metres", sa.Integer(), nullable=True),
        sa.Column("reuse_result", sa.String(length=10), nullable=False),
        sa.Column("reuse_concern_id", sa.String(length=36), nullable=True),
        sa.Column("phash_result", sa.String(length=10), nullable=False),
        sa.Column("phash_distance", sa.Integer(), nullable=True),
        sa.Column("phash_match_sha256", sa.String(length=64), nullable=True),
        sa.Column("phash_match_concern_id", sa.String(length=36), nullable=True),
        sa.Column("phash_match_kind", sa.String(length=20), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("concern_id", "sha256", name=op.f("pk_evidence_checks")),
    )
    with op.batch_alter_table("evidence_checks") as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_checks_sha256"), ["sha256"], unique=False)
    op.create_table(
        "photo_hash_bands",
        sa.Column("band", sa.SmallInteger(), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("band", "value", "sha256", name=op.f("pk_photo_hash_bands")),
    )
    with op.batch_alter_table("photo_hash_bands") as batch_op:
        batch_op.create_index(batch_op.f("ix_photo_hash_bands_sha256"), ["sha256"], unique=False)


def downgrade():
    op.drop_table("photo_hash_bands")
    with op.batch_alter_table("evidence_checks") as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_checks_sha256"))
    op.drop_table("evidence_checks")
    with op.batch_alter_table("photos") as batch_op:
        batch_op.drop_column("phash")
    with op.batch_alter_table("photo_links") as batch_op:
        for name, _ in reversed(CAPTURE):
            batch_op.drop_column(name)
