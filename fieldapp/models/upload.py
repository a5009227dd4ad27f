"""Resumable (tus) uploads in progress: state in the database, bytes under PHOTO_DIR."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.extensions import db
from fieldapp.models.base import UUID_LEN, new_uuid, utcnow


class Upload(db.Model):
    """One tus upload: how long it is, how much arrived, and which photo it must become."""

    __tablename__ = "uploads"

    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    device_id: Mapped[str | None] = mapped_column(String(64))
    length: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # Bytes received and durably written; the partial file may hold more, which is discarded.
    received: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    # The decoded Upload-Metadata pairs (filename, filetype, sha256, …) as the client sent them.
    meta: Mapped[dict[str, str]] = mapped_column(JSON, nullable=False, default=dict)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    filetype: Mapped[str] = mapped_column(String(40), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )
    expires_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, index=True
    )
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
