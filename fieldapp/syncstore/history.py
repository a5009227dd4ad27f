"""The record history: what each applied write changed, field by field, written with the
write itself (docs/architecture.md, Record history), and read back for one record."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select

from fieldapp.auth.visibility import may_see_history, scope_of, sees_personal_data
from fieldapp.extensions import db
from fieldapp.models import RecordHistory, User
from fieldapp.syncstore.tables import PUSHABLE, jsonable, table
from sync import Actor, Record, RecordChange

# Written by the engine and the store as bookkeeping, not values anyone entered.
UNTRACKED = frozenset({"tracking_code"})
PERSONAL = frozenset({"reporter_name", "reporter_phone"})


def field_changes(before: Record | None, after: Record) -> dict[str, list[Any]]:
    """field -> [before, after] for every value the write changed (a create: every value it
    set). A map changed item by item (an inspection's scores) is listed per item, as
    "<field>.<key>"; a delete as the field `deleted`."""
    old = before.values if before is not None else {}
    out: dict[str, list[Any]] = {}
    for name, value in after.values.items():
        previous = old.get(name)
        if previous == value or name in UNTRACKED:
            continue
        if type(previous) is dict and type(value) is dict:
            for key in sorted(previous.keys() | value.keys()):
                if previous.get(key) != value.get(key):
                    out[f"{name}.{key}"] = [previous.get(key), value.get(key)]
            continue
        # only times and dates need converting (a push writes thousands of these)
        out[name] = [
            jsonable(previous) if isinstance(previous, date) else previous,
            jsonable(value) if isinstance(value, date) else value,
        ]
    if before is not None and before.deleted != after.deleted:
        out["deleted"] = [before.deleted, after.deleted]
    return out


def write_history(changes: list[RecordChange], actor: Actor, now: datetime) -> None:
    """One history row per record write, in one statement, in the writing transaction."""
    rows = []
    for change in changes:
        fields = field_changes(change.before, change.after)
        if not fields and change.before is not None:
            continue  # a photo added or removed only: the photo links say so
        rows.append(
            {
                "entity": change.after.entity,
                "record_id": change.after.id,
                "version": change.after.version,
                "op": change.op,
                "action": change.action,
                "status": change.status,
                "mutation_id": change.mutation_id,
                "user_id": actor.user_id or None,
                "device_id": actor.device_id,
                "changes": fields,
                "reason": change.note,
                "at": now,
            }
        )
    if rows:
        db.session.execute(insert(RecordHistory.__table__), rows)


def history_of(entity: str, record_id: str) -> list[RecordHistory]:
    """A record's history, oldest first."""
    return list(
        db.session.scalars(
            select(RecordHistory)
            .where(RecordHistory.record_id == record_id, RecordHistory.entity == entity)
            .order_by(RecordHistory.id)
        )
    )


def first_value(entity: str, record_id: str, name: str) -> Any:
    """The value `name` had when the record was first written (None: not in its history)."""
    for row in history_of(entity, record_id):
        if name in row.changes:
            return row.changes[name][0] if row.op != "create" else row.changes[name][1]
    return None


def _scope(entity: str, record_id: str):
    """The record's visibility scope (a follow-up: its concern's), None if it never existed."""
    t = table(entity)
    row = db.session.execute(select(t).where(t.c.id == record_id)).mappings().first()
    if row is None:
        return None
    concern = None
    if entity == "followup":
        c = table("concern")
        query = select(c).where(c.c.id == row["concern_id"])
        concern = db.session.execute(query).mappings().first()
    return scope_of(entity, row, concern)


def readable_history(entity: str, record_id: str, actor: Actor) -> list[dict[str, Any]] | None:
    """The history as `actor` may read it, oldest first; None when the record is unknown or
    the actor may not see its history (fieldapp/auth/visibility.py: may_see_history).
    Reporter names and phones are withheld from a reader who may not see them; a deleted
    record's history stays readable."""
    if entity not in PUSHABLE:
        return None
    scope = _scope(entity, record_id)
    if scope is None or not may_see_history(actor, scope):
        return None
    personal = sees_personal_data(actor, scope)
    rows = history_of(entity, record_id)
    ids = sorted({r.user_id for r in rows if r.user_id is not None})
    query = select(User.id, User.display_name).where(User.id.in_(ids))
    names = {user_id: name for user_id, name in db.session.execute(query)}
    return [
        {
            "id": row.id,
            "at": row.at,
            "version": row.version,
            "op": row.op,
            "action": row.action,
            "status": row.status,
            "mutation_id": row.mutation_id,
            "device_id": row.device_id,
            "user": {"id": row.user_id, "display_name": names.get(row.user_id, "")}
            if row.user_id is not None
            else None,
            "reason": row.reason,
            "changes": [_change(name, pair, personal) for name, pair in row.changes.items()],
        }
        for row in rows
    ]


def _change(name: str, pair: list[Any], personal: bool) -> dict[str, Any]:
    if name in PERSONAL and not personal:
        return {"field": name, "before": None, "after": None, "withheld": True}
    return {"field": name, "before": pair[0], "after": pair[1], "withheld": False}
