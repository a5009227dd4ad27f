"""The append-only timeline of a concern."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.extensions import db
from fieldapp.models.base import SyncedRecord


class FollowupEntry(SyncedRecord, db.Model):
    """A comment, status change, assignment or reminder on a concern; never rewritten."""

    __tablename__ = "followup_entries"

    concern_id: Mapped[str] = mapped_column(ForeignKey("concerns.id"), nullable=False, index=True)
    district_code: Mapped[str] = mapped_column(
        ForeignKey("districts.code"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(
        String(20), nullable=False
    )  # comment|status|assignment|reminder
    body: Mapped[str] = mapped_column(Text, default="", nullable=False)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
