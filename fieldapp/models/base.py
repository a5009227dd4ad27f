"""Shared column types and the columns every synced record carries."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> str:
    return str(uuid.uuid4())


UUID_LEN = 36


class SyncedRecord:
    """Columns of a record that devices create offline and the sync engine merges."""

    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True, default=new_uuid)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    # field name -> the record version at which that field last changed
    field_versions: Mapped[dict[str, int]] = mapped_column(JSON, default=dict, nullable=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    device_id: Mapped[str | None] = mapped_column(String(64))
    observed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, nullable=False
    )

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id"), index=True)

    def field_values(self, names: list[str]) -> dict[str, Any]:
        return {name: getattr(self, name) for name in names}
