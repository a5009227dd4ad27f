"""What a client needs to know about the records it sends, read from the server's own rules.

`GET /api/meta` answers this: per entity the fields a device may send (type, required, limits,
choices: taken from the marshmallow schemas that validate a push, never a second list), the
fields only the server sets, the workflow fields, the item maps, and the enumerations. A new
field therefore costs the model with its migration, the schema, and the form.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from marshmallow import Schema, fields, validate

from fieldapp.followup.states import ACTIONS, Status
from fieldapp.schemas.records import (
    ENTITY_FIELDS,
    PLACE_TYPES,
    SERVER_FIELDS,
    TOPICS,
    URGENCIES,
    WORKFLOW_ONLY,
    TransitionFields,
)
from fieldapp.syncstore.policy import ITEM_MAPS, SENDABLE

# marshmallow field classes by the name a client knows them by; the first match wins.
_TYPES: tuple[tuple[type[fields.Field], str], ...] = (
    (fields.UUID, "uuid"),
    (fields.DateTime, "datetime"),
    (fields.Date, "date"),
    (fields.Boolean, "boolean"),
    (fields.Integer, "integer"),
    (fields.Number, "number"),
    (fields.String, "string"),
    (fields.List, "list"),
    (fields.Dict, "map"),
    (fields.Nested, "object"),
)


def _limits(field: fields.Field, kind: str) -> dict[str, Any]:
    """Lengths, ranges, choices and patterns from the field's validators."""
    out: dict[str, Any] = {}
    sized = kind in ("list", "map")
    for rule in field.validators:
        if isinstance(rule, validate.Length):
            low, high = ("min_items", "max_items") if sized else ("min_length", "max_length")
            if rule.min is not None:
                out[low] = rule.min
            if rule.max is not None:
                out[high] = rule.max
            if rule.equal is not None:
                out[low] = out[high] = rule.equal
        elif isinstance(rule, validate.Range):
            if rule.min is not None:
                out["min"] = rule.min
            if rule.max is not None:
                out["max"] = rule.max
        elif isinstance(rule, validate.OneOf):
            out["choices"] = [str(choice) for choice in rule.choices]
        elif isinstance(rule, validate.Regexp):
            out["pattern"] = rule.regex.pattern
    return out


def describe_field(field: fields.Field) -> dict[str, Any]:
    """One field as a client reads it: type, required, nullable and its limits."""
    kind = next((name for cls, name in _TYPES if isinstance(field, cls)), "any")
    out = {"type": kind, **_limits(field, kind)}
    if isinstance(field, fields.List):
        out["item"] = describe_field(field.inner)
    elif isinstance(field, fields.Dict) and field.value_field is not None:
        if field.key_field is not None:
            out["key"] = describe_field(field.key_field)
        out["item"] = describe_field(field.value_field)
    elif isinstance(field, fields.Nested) and isinstance(field.schema, Schema):
        out["fields"] = describe_schema(field.schema)
    out["required"] = bool(field.required)
    out["nullable"] = bool(field.allow_none)
    return out


def describe_schema(schema: Schema, only: frozenset[str] | None = None) -> dict[str, Any]:
    """The loadable fields of `schema` (by the name a client sends), in declaration order."""
    described = {}
    for name, field in schema.load_fields.items():
        key = field.data_key or name
        if only is None or key in only:
            described[key] = describe_field(field)
    return described


def _action(name: str) -> dict[str, Any]:
    action = ACTIONS[name]
    return {
        "name": name,
        "from": sorted(status.value for status in action.sources),
        "to": action.target.value if action.target else None,
        "who": sorted(action.who),
        "requires": list(action.requires),
    }


@cache
def describe() -> dict[str, Any]:
    """The whole description; the rules it reads are fixed while the process runs."""
    entities = {
        entity: {
            "fields": describe_schema(schema, SENDABLE[entity]),
            "server_fields": list(SERVER_FIELDS[entity]),
            "workflow_fields": list(WORKFLOW_ONLY.get(entity, ())),
            "item_maps": sorted(ITEM_MAPS.get(entity, ())),
        }
        for entity, schema in ENTITY_FIELDS.items()
    }
    return {
        "entities": entities,
        "transition": {"fields": describe_schema(TransitionFields())},
        "enums": {
            "topics": list(TOPICS),
            "place_types": list(PLACE_TYPES),
            "urgencies": list(URGENCIES),
            "concern_statuses": [status.value for status in Status],
            "concern_actions": [_action(name) for name in ACTIONS],
        },
    }
