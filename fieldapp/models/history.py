"""The history of every synced record: one row per applied write, each field's value before
and after, who made it, from which device, by which mutation, when (docs/architecture.md,
Record history). Written in the transaction of the write itself; never updated."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.extensions import db
from fieldapp.models.base import UUID_LEN, utcnow


class RecordHistory(db.Model):
    __tablename__ = "record_history"
    # A record's history, oldest first: the only way it is read.
    __table_args__ = (Index("ix_record_history_record", "record_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(20), nullable=False)
    record_id: Mapped[str] = mapped_column(String(UUID_LEN), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)  # the record's, after
    # create, update, delete, transition, or server (the server's own change)
    op: Mapped[str] = mapped_column(String(20), nullable=False)
    action: Mapped[str | None] = mapped_column(String(40))  # a transition's action
    status: Mapped[str] = mapped_column(String(20), nullable=False)  # applied/merged/conflict
    mutation_id: Mapped[str | None] = mapped_column(String(UUID_LEN))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[str | None] = mapped_column(String(64))
    # field -> [before, after], JSON-ready; an item of a map as "<map>.<key>"
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)  # a transition's note (a correction's why)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
