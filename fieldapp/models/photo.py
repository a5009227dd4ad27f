"""Photos, content-addressed by the SHA-256 of the bytes the device sent, and their links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.extensions import db
from fieldapp.models.base import UUID_LEN, utcnow


class Photo(db.Model):
    __tablename__ = "photos"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    mime_type: Mapped[str] = mapped_column(String(40), nullable=False)
    size_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    # Provenance from EXIF: kept as data for checking resolution evidence, never public.
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    gps_lat: Mapped[float | None] = mapped_column(Float)
    gps_lon: Mapped[float | None] = mapped_column(Float)
    camera: Mapped[str | None] = mapped_column(String(200))
    # 64-bit perceptual hash (imagehash pHash) as 16 hex digits: finds re-encoded copies
    # of an earlier photo (docs/evidence.md).
    phash: Mapped[str | None] = mapped_column(String(16))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )


class PhotoLink(db.Model):
    """A record naming a photo; the photo may arrive before or after the record."""

    __tablename__ = "photo_links"
    __table_args__ = (UniqueConstraint("entity", "record_id", "sha256", "item_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(20), nullable=False)
    record_id: Mapped[str] = mapped_column(String(UUID_LEN), nullable=False, index=True)
    # Not a foreign key to photos: the link is allowed to exist before the bytes arrive.
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    # The checklist item a photo belongs to, or "" for the record itself.
    item_key: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    caption: Mapped[str] = mapped_column(Text, nullable=False, default="")
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # "before" for the problem, "after" for resolution evidence.
    role: Mapped[str] = mapped_column(String(10), nullable=False, default="before")
    # Capture provenance the phone sent with the reference (docs/sync-protocol.md, "Photo
    # references"): the original's EXIF read before resizing, and where and when the phone
    # was when the photo was attached. Never public.
    exif_taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    exif_lat: Mapped[float | None] = mapped_column(Float)
    exif_lon: Mapped[float | None] = mapped_column(Float)
    camera_make: Mapped[str | None] = mapped_column(String(100))
    camera_model: Mapped[str | None] = mapped_column(String(100))
    attached_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    device_lat: Mapped[float | None] = mapped_column(Float)
    device_lon: Mapped[float | None] = mapped_column(Float)
    device_accuracy_m: Mapped[float | None] = mapped_column(Float)
    # A supervisor's choice: this photo's derivatives may be shown on the public page.
    publishable: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )


class PhotoHashBand(db.Model):
    """One byte of a photo's perceptual hash, indexed: two hashes at most 7 bits apart share at
    least one of their 8 bytes (pigeonhole), so look-alikes are found through this index
    instead of by reading every hash (docs/evidence.md, fieldapp/photos/likeness.py)."""

    __tablename__ = "photo_hash_bands"

    band: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    value: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)
