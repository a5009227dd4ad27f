"""Which table holds each synced entity, and how a row becomes a Record and back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table

from fieldapp.models import Concern, FollowupEntry, Inspection, Survey, Village, Visit
from fieldapp.utc import aware
from sync import Record, Writer

MODELS = {
    "visit": Visit,
    "inspection": Inspection,
    "concern": Concern,
    "followup": FollowupEntry,
    "village": Village,
    "survey": Survey,
}
# In the order a batch inserts them: parents first (a concern names the survey raising it).
PUSHABLE = ("visit", "inspection", "survey", "concern", "followup")
REFERENCE = ("category", "template", "form")

META_COLUMNS = (
    "id",
    "version",
    "field_versions",
    "deleted",
    "device_id",
    "observed_at",
    "created_at",
    "updated_at",
    "created_by_id",
)
WRITERS_KEY = "~w"


def table(entity: str) -> Table:
    return MODELS[entity].__table__


VALUE_COLUMNS: dict[str, tuple[str, ...]] = {
    entity: tuple(c.name for c in table(entity).columns if c.name not in META_COLUMNS)
    for entity in MODELS
}


def _column_default(column: Any) -> Any:
    default = column.default
    if default is None:
        return None
    arg = default.arg
    if callable(arg):
        # SQLAlchemy wraps plain callables (list, dict) to take a context argument.
        try:
            return arg(None)
        except TypeError:
            return arg()
    return arg.value if hasattr(arg, "value") else arg


# What a create leaves unset gets the column's default, so every row has every column.
DEFAULTS: dict[str, dict[str, Any]] = {
    entity: {name: _column_default(table(entity).c[name]) for name in VALUE_COLUMNS[entity]}
    for entity in MODELS
}


def _datetime_columns(entity: str) -> tuple[str, ...]:
    return tuple(
        c.name
        for c in table(entity).columns
        if c.name in VALUE_COLUMNS[entity] and c.type.python_type is datetime
    )


DATETIME_VALUES = {entity: _datetime_columns(entity) for entity in MODELS}


def encode_versions(record: Record) -> dict[str, Any]:
    out: dict[str, Any] = dict(record.field_versions)
    if record.writers:
        out[WRITERS_KEY] = {
            name: [w.user_id, w.device_id, w.mutation_id] for name, w in record.writers.items()
        }
    return out


def decode_versions(stored: dict[str, Any] | None) -> tuple[dict[str, int], dict[str, Writer]]:
    if not stored:
        return {}, {}
    versions = {k: v for k, v in stored.items() if k != WRITERS_KEY}
    writers = {name: Writer(*w) for name, w in (stored.get(WRITERS_KEY) or {}).items()}
    return versions, writers


def record_from_row(entity: str, row: Any) -> Record:
    mapping = row._mapping
    values = {name: mapping[name] for name in VALUE_COLUMNS[entity]}
    for name in DATETIME_VALUES[entity]:
        values[name] = aware(values[name])
    versions, writers = decode_versions(mapping["field_versions"])
    return Record(
        entity,
        mapping["id"],
        values,
        version=mapping["version"],
        field_versions=versions,
        deleted=bool(mapping["deleted"]),
        created_by_id=mapping["created_by_id"],
        device_id=mapping["device_id"],
        observed_at=aware(mapping["observed_at"]),
        created_at=aware(mapping["created_at"]),
        updated_at=aware(mapping["updated_at"]),
        writers=writers,
    )


def row_from_record(record: Record) -> dict[str, Any]:
    row = {name: record.values.get(name) for name in VALUE_COLUMNS[record.entity]}
    row.update(
        id=record.id,
        version=record.version,
        field_versions=encode_versions(record),
        deleted=record.deleted,
        device_id=record.device_id,
        observed_at=record.observed_at,
        created_at=record.created_at,
        updated_at=record.updated_at,
        created_by_id=record.created_by_id,
    )
    return row


def jsonable(value: Any) -> Any:
    """A value as it goes into JSON: times and dates as ISO 8601."""
    if isinstance(value, datetime):
        return aware(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


Converter = Callable[[Any], Any]
