"""Evidence checks of a resolved concern's after-photos, one row per concern and photo."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.extensions import db
from fieldapp.models.base import UUID_LEN, utcnow


class EvidenceCheck(db.Model):
    """What the server found about one after-photo (docs/evidence.md).

    Each `*_result` is passed, failed, unknown (no time or position to judge by) or, for the
    checks that need the photo's bytes, pending until they arrive."""

    __tablename__ = "evidence_checks"

    concern_id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
    # the time and place decided for the photo (fieldapp/photos/provenance.py: decide_capture)
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    time_source: Mapped[str | None] = mapped_column(String(10))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    position_source: Mapped[str | None] = mapped_column(String(10))
    time_result: Mapped[str] = mapped_column(String(10), nullable=False)
    minutes_after: Mapped[int | None] = mapped_column(Integer)
    distance_result: Mapped[str] = mapped_column(String(10), nullable=False)
    metres: Mapped[int | None] = mapped_column(Integer)
    limit_metres: Mapped[int | None] = mapped_column(Integer)
    reuse_result: Mapped[str] = mapped_column(String(10), nullable=False)
    reuse_concern_id: Mapped[str | None] = mapped_column(String(UUID_LEN))
    phash_result: Mapped[str] = mapped_column(String(10), nullable=False)
    phash_distance: Mapped[int | None] = mapped_column(Integer)
    phash_match_sha256: Mapped[str | None] = mapped_column(String(64))
    phash_match_concern_id: Mapped[str | None] = mapped_column(String(UUID_LEN))
    # "before_photo" (this concern's own) or "earlier_photo" (any earlier one)
    phash_match_kind: Mapped[str | None] = mapped_column(String(20))
    checked_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )
