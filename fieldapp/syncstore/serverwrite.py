"""Changes the server makes itself (a supervisor's review, an overdue escalation), written as
a push's are: a new version, per-field versions and writers, the same row writer and a
change-feed entry per record, so devices receive them by pull."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fieldapp.syncstore.load import load_records
from fieldapp.syncstore.tables import DEFAULTS
from fieldapp.syncstore.write import write_result
from sync import Actor, BatchResult, PhotoRef, Record, RecordChange, Writer

SERVER_DEVICE = "server"


@dataclass
class ServerWrite:
    """Field changes to existing records and new records (follow-up entries) to add."""

    updates: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    creates: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    # photo links to add: (entity, record_id, ref), e.g. a survey's photos on its concern
    photos: list[tuple[str, str, PhotoRef]] = field(default_factory=list)
    action: str = "server"  # what the record history names the change (escalate, review)


def _changed(current: Record, changes: dict[str, Any], writer: Writer, now: datetime) -> Record:
    record = current.copy()
    record.version += 1
    record.values.update(changes)
    for name in changes:
        record.field_versions[name] = record.version
        record.writers[name] = writer
    record.updated_at = now
    return record


def write_server_changes(
    work: ServerWrite, user_id: int | None, now: datetime
) -> dict[tuple[str, str], Record]:
    """Apply `work` in this transaction; returns the records as written. The records to
    change are locked first (PostgreSQL), as a push locks them."""
    wanted: dict[str, set[str]] = {}
    for entity, record_id in work.updates:
        wanted.setdefault(entity, set()).add(record_id)
    current = load_records(wanted, lock=set(work.updates)) if wanted else {}
    writer = Writer(user_id, SERVER_DEVICE, None)
    result = BatchResult()
    for key, changes in work.updates.items():
        before = current[key]
        changed = {k: v for k, v in changes.items() if before.values.get(k) != v}
        if changed:
            _store(result, _changed(before, changed, writer, now), work.action, before)
    for entity, record_id, values in work.creates:
        record = Record(
            entity,
            record_id,
            {**DEFAULTS[entity], **values},
            created_by_id=user_id,
            device_id=SERVER_DEVICE,
            created_at=now,
            updated_at=now,
            writers={"*": writer},
        )
        _store(result, record, work.action)
    result.photos.extend(work.photos)
    if result.written:
        write_result(result, _server_actor(user_id), now, None)
    return dict(result.written)


def _store(result: BatchResult, record: Record, action: str, before: Record | None = None) -> None:
    key = (record.entity, record.id)
    result.written[key] = record
    result.write_order[key] = len(result.write_order) + 1
    if before is None:
        result.created.add(key)
    result.changes.append(RecordChange(before, record, "server", None, action))


def _server_actor(user_id: int | None) -> Actor:
    # write_result names an actor for the mutation log and quarantine, which a server
    # change never fills: it has no mutations.
    return Actor(user_id=user_id or 0, role="server", device_id=SERVER_DEVICE)
