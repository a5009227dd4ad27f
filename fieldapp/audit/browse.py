"""Finding audit entries for admins: filters combine with AND, newest first, in pages, with
the chain's head (position and hash) for the screen to show (docs/operations.md)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry
from fieldapp.models.audit import stored_head
from fieldapp.utc import as_utc

_EXACT = {
    "action": AuditEntry.action,
    "actor": AuditEntry.actor_id,
    "entity": AuditEntry.entity,
    "record_id": AuditEntry.record_id,
}


def audit_page(query: dict[str, Any]) -> dict[str, Any]:
    """The page of entries matching `query` (as AuditQuerySchema loads it) and their total."""
    found = select(AuditEntry)
    for name, column in _EXACT.items():
        if query.get(name) is not None:
            found = found.where(column == query[name])
    if query.get("from_") is not None:
        found = found.where(AuditEntry.at >= as_utc(query["from_"]))
    if query.get("to") is not None:
        found = found.where(AuditEntry.at < as_utc(query["to"]))
    total = db.session.scalar(select(func.count()).select_from(found.subquery()))
    page, per_page = query["page"], query["per_page"]
    items = db.session.scalars(
        found.order_by(AuditEntry.position.desc()).limit(per_page).offset((page - 1) * per_page)
    ).all()
    position, digest = stored_head()
    return {
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": total,
        "head": {"position": position, "hash": digest},
    }
