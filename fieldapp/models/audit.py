"""The audit log: who did what to which record, for transparent, auditable work.

Entries form a hash chain (fieldapp/audit/chain.py). The chain's head is one row, moved with
UPDATE … RETURNING inside the writing transaction like change_counter: its row lock (SQLite's
write lock) serialises writers until commit, so concurrent writers never fork the chain.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.audit.chain import GENESIS, ChainEntry, entry_hash
from fieldapp.extensions import db
from fieldapp.models.base import utcnow

HASH_LEN = 64


class AuditEntry(db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (UniqueConstraint("position", name="uq_audit_log_position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), nullable=False, index=True)
    entity: Mapped[str | None] = mapped_column(String(30))
    record_id: Mapped[str | None] = mapped_column(String(64), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN), nullable=False)
    hash: Mapped[str] = mapped_column(String(HASH_LEN), nullable=False)


class AuditHead(db.Model):
    """A single row: the position and hash of the chain's last entry."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    hash: Mapped[str] = mapped_column(String(HASH_LEN), nullable=False, default=GENESIS)


def _take_head() -> tuple[int, str]:
    """Claim the next position; the row stays locked until this transaction ends."""
    row = db.session.execute(
        text("UPDATE audit_head SET position = position + 1 WHERE id = 1 RETURNING position, hash")
    ).one_or_none()
    if row is None:
        db.session.add(AuditHead(id=1, position=0, hash=GENESIS))
        db.session.flush()
        return _take_head()
    return int(row.position), str(row.hash)


def record_audit(
    action: str,
    actor_id: int | None = None,
    entity: str | None = None,
    record_id: str | None = None,
    **details: Any,
) -> AuditEntry:
    """Chain an audit entry into the current transaction; the request commits it."""
    position, prev_hash = _take_head()
    content = {
        "position": position,
        "at": utcnow(),
        "actor_id": actor_id,
        "action": action,
        "entity": entity,
        "record_id": record_id,
        "details": details,
    }
    digest = entry_hash(content, prev_hash)
    db.session.execute(text("UPDATE audit_head SET hash = :h WHERE id = 1"), {"h": digest})
    entry = AuditEntry(**content, prev_hash=prev_hash, hash=digest)
    db.session.add(entry)
    db.session.flush()
    return entry


def stored_chain(after: int = 0, page: int = 1000) -> Iterator[ChainEntry]:
    """The stored entries after `after`, in position order, read a page at a time (no cursor
    is left open when the verifier stops at the first break)."""
    while True:
        rows = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.position > after)
            .order_by(AuditEntry.position)
            .limit(page)
        ).all()
        yield from (_as_chain_entry(row) for row in rows)
        if len(rows) < page:
            return
        after = rows[-1].position


def _as_chain_entry(entry: AuditEntry) -> ChainEntry:
    return ChainEntry(
        position=entry.position,
        at=entry.at,
        actor_id=entry.actor_id,
        action=entry.action,
        entity=entry.entity,
        record_id=entry.record_id,
        details=entry.details,
        prev_hash=entry.prev_hash,
        hash=entry.hash,
    )


def stored_hash_at(position: int) -> str | None:
    return db.session.scalar(select(AuditEntry.hash).where(AuditEntry.position == position))


def stored_head() -> tuple[int, str]:
    """The position and hash of the last stored entry; (0, GENESIS) for an empty log."""
    last = db.session.execute(
        select(AuditEntry.position, AuditEntry.hash).order_by(AuditEntry.position.desc()).limit(1)
    ).first()
    return (int(last.position), str(last.hash)) if last else (0, GENESIS)
