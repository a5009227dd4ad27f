"""Tables behind the sync invariants: change feed, mutation log, quarantine, conflicts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.extensions import db
from fieldapp.models.base import UUID_LEN, utcnow


class ChangeCounter(db.Model):
    """A single row; incremented inside the writing transaction so sequence numbers
    become visible in the order they were handed out (docs/architecture.md, invariant 4)."""

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


class Change(db.Model):
    """One entry of the change feed per record write; pull reads it after a cursor.

    Every push writes one of these per record, so the table carries one index beside its
    key: pull walks it by `seq` and filters by the scope columns as it goes, and looks up by
    (record_id, seq) whether a page's records changed again later (a record is served once,
    at its latest change); compaction reads it whole. On SQLite `seq` is an INTEGER PRIMARY
    KEY, the table's own rowid."""

    __tablename__ = "changes"
    __table_args__ = (Index("ix_changes_record_id_seq", "record_id", "seq"),)

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False
    )
    entity: Mapped[str] = mapped_column(String(20), nullable=False)
    record_id: Mapped[str] = mapped_column(String(UUID_LEN), nullable=False)
    # Scope columns: what pull filters each entry by.
    district_code: Mapped[str | None] = mapped_column(String(4))
    owner_id: Mapped[int | None] = mapped_column(Integer)
    assignee_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )


class AppliedMutation(db.Model):
    """Every mutation id the server has answered, with its first outcome (exactly once).

    Looked up only by mutation id: no other index to keep up on every push."""

    __tablename__ = "applied_mutations"

    mutation_id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )


class QuarantinedMutation(db.Model):
    """A mutation the server could not apply, kept verbatim with the reason."""

    __tablename__ = "quarantined_mutations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mutation_id: Mapped[str] = mapped_column(String(UUID_LEN), nullable=False, index=True)
    device_id: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    district_code: Mapped[str | None] = mapped_column(String(4), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    reason: Mapped[str] = mapped_column(String(60), nullable=False)
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")
    errors: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    # one {field, code, params} per message of `errors` (docs/sync-protocol.md, Errors)
    error_codes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="open", index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )


class Conflict(db.Model):
    """The same field edited twice: the later arrival won, the losing value is kept here."""

    __tablename__ = "conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(20), nullable=False)
    record_id: Mapped[str] = mapped_column(String(UUID_LEN), nullable=False, index=True)
    district_code: Mapped[str | None] = mapped_column(String(4), index=True)
    field: Mapped[str] = mapped_column(String(60), nullable=False)
    kept_value: Mapped[Any] = mapped_column(JSON)
    lost_value: Mapped[Any] = mapped_column(JSON)
    kept_mutation_id: Mapped[str | None] = mapped_column(String(UUID_LEN))
    lost_mutation_id: Mapped[str | None] = mapped_column(String(UUID_LEN))
    kept_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lost_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="open")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )


class FeedRestore(db.Model):
    """A restore from a backup: the feed went back to `restored_seq` and its counter was set
    to `resumed_seq`. A cursor strictly between names changes that no longer exist: pull
    answers it with a reset (docs/sync-protocol.md, Reset)."""

    __tablename__ = "feed_restores"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    restored_seq: Mapped[int] = mapped_column(BigInteger, nullable=False)
    resumed_seq: Mapped[int] = mapped_column(BigInteger, nullable=False)
    restored_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )
