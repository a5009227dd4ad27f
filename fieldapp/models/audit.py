"""The audit log: who did what to which record, for transparent, auditable work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.extensions import db
from fieldapp.models.base import utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), nullable=False, index=True)
    entity: Mapped[str | None] = mapped_column(String(30))
    record_id: Mapped[str | None] = mapped_column(String(64), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)


def record_audit(
    action: str,
    actor_id: int | None = None,
    entity: str | None = None,
    record_id: str | None = None,
    **details: Any,
) -> AuditEntry:
    """Add an audit entry to the current transaction; the request commits it."""
    entry = AuditEntry(
        action=action, actor_id=actor_id, entity=entity, record_id=record_id, details=details
    )
    db.session.add(entry)
    return entry
