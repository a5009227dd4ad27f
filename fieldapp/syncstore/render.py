"""Records as a device receives them, in push results and pull pages alike."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select

from fieldapp.auth.visibility import scope_of, sees_personal_data
from fieldapp.models import Conflict, Photo, PhotoLink
from fieldapp.syncstore.tables import MODELS, VALUE_COLUMNS, jsonable, table
from fieldapp.utc import aware
from sync import Actor

PERSONAL_FIELDS = ("reporter_name", "reporter_phone", "reporter_consent")


@dataclass(frozen=True)
class Viewer:
    """Who the record is shown to."""

    actor: Actor

    def sees_personal(self, concern: Any) -> bool:
        """Reporter name and phone of this concern (a Record, a row's mapping or its JSON)?"""
        return sees_personal_data(self.actor, scope_of("concern", concern))


@dataclass
class Attachments:
    """Photo links and open conflicts of the records being shown, loaded in one query each."""

    photos: dict[str, list[dict[str, Any]]]
    conflicts: dict[str, list[dict[str, Any]]]

    @classmethod
    def empty(cls) -> Attachments:
        return cls({}, {})


_LINK, _PHOTO, _CONFLICT = PhotoLink.__table__, Photo.__table__, Conflict.__table__
_PHOTO_LINKS = (
    select(
        _LINK.c.record_id,
        _LINK.c.sha256,
        _LINK.c.item_key,
        _LINK.c.caption,
        _LINK.c.position,
        _LINK.c.role,
        _PHOTO.c.sha256.is_not(None).label("present"),
    )
    .select_from(_LINK.outerjoin(_PHOTO, _PHOTO.c.sha256 == _LINK.c.sha256))
    .order_by(_LINK.c.record_id, _LINK.c.position, _LINK.c.id)
)
_OPEN_CONFLICTS = (
    select(
        _CONFLICT.c.id,
        _CONFLICT.c.record_id,
        _CONFLICT.c.field,
        _CONFLICT.c.kept_value,
        _CONFLICT.c.lost_value,
        _CONFLICT.c.kept_mutation_id,
        _CONFLICT.c.lost_mutation_id,
        _CONFLICT.c.kept_by_id,
        _CONFLICT.c.lost_by_id,
        _CONFLICT.c.created_at,
    )
    .where(_CONFLICT.c.state == "open")
    .order_by(_CONFLICT.c.id)
)


def _among(conn: Any, statement: Select, column: Any, ids: list[str] | Select) -> Any:
    return conn.execute(statement.where(column.in_(ids)))


def load_attachments(
    conn: Any, record_ids: Iterable[str] | Select, *, conflicts: bool = True
) -> Attachments:
    """`record_ids`: the ids, or a select of them (a pull page: no parameter per id).
    `conflicts=False`: photos only, when no record is rendered (a push of plain applies)."""
    ids = record_ids if isinstance(record_ids, Select) else sorted(set(record_ids))
    if isinstance(ids, list) and not ids:
        return Attachments.empty()
    photos: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = _among(conn, _PHOTO_LINKS, _LINK.c.record_id, ids)
    for record_id, sha256, item_key, caption, position, role, present in rows:
        photos[record_id].append(
            {
                "sha256": sha256,
                "item_key": item_key,
                "caption": caption,
                "position": position,
                "role": role,
                "present": bool(present),
            }
        )
    if not conflicts:
        return Attachments(dict(photos), {})
    open_conflicts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = _among(conn, _OPEN_CONFLICTS, _CONFLICT.c.record_id, ids)
    for row in rows:
        open_conflicts[row.record_id].append(
            {
                "id": row.id,
                "field": row.field,
                "kept_value": row.kept_value,
                "lost_value": row.lost_value,
                "kept_mutation_id": row.kept_mutation_id,
                "lost_mutation_id": row.lost_mutation_id,
                "kept_by_id": row.kept_by_id,
                "lost_by_id": row.lost_by_id,
                "state": "open",
                "created_at": jsonable(aware(row.created_at)),
            }
        )
    return Attachments(dict(photos), dict(open_conflicts))


def _kind(column: Any) -> int:
    """0: shown as it is; 1: a time, 2: a date (both shown as ISO 8601)."""
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return 0
    return 1 if python_type is datetime else 2 if python_type is date else 0


# Per entity, the value columns in table order, each with its kind: computed once, so a row
# is rendered straight from its mapping (no Record, no type test per value).
_SHOWN: dict[str, tuple[tuple[str, int], ...]] = {
    entity: tuple((name, _kind(table(entity).c[name])) for name in VALUE_COLUMNS[entity])
    for entity in MODELS
}


def _iso(value: Any, kind: int) -> Any:
    """A time in ISO 8601 with its offset (a naive one is UTC: fieldapp/utc.py), a date
    as it is."""
    if value is None or kind == 0:
        return value
    if kind == 1 and value.tzinfo is None:
        return value.isoformat() + "+00:00"  # = aware(value).isoformat(), one object fewer
    return value.isoformat()


def record_json(
    entity: str, row: Mapping[str, Any], viewer: Viewer, attachments: Attachments | None
) -> dict[str, Any]:
    """The record's JSON from its columns (a row's mapping, or `row_from_record` of a Record):
    server metadata, values, photos, missing photos, open conflicts (reference data such as a
    village, shown with `attachments` None, has none of those). The one renderer of a synced
    record: pull pages, push answers and the workspace's detail views all use it."""
    out: dict[str, Any] = {
        "id": row["id"],
        "version": row["version"],
        "deleted": bool(row["deleted"]),
    }
    for name, kind in _SHOWN[entity]:
        value = row[name]
        out[name] = value if kind == 0 or value is None else _iso(value, kind)
    if entity == "concern" and not viewer.sees_personal(row):
        for name in PERSONAL_FIELDS:
            out.pop(name, None)
    out["created_by_id"] = row["created_by_id"]
    out["device_id"] = row["device_id"]
    out["observed_at"] = _iso(row["observed_at"], 1)
    out["created_at"] = _iso(row["created_at"], 1)
    out["updated_at"] = _iso(row["updated_at"], 1)
    if attachments is None:
        return out
    photos = attachments.photos.get(row["id"], [])
    out["photos"] = photos
    out["missing_photos"] = [p["sha256"] for p in photos if not p["present"]]
    out["conflicts"] = attachments.conflicts.get(row["id"], [])
    return out
