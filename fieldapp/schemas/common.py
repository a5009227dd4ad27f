"""Shapes and output fields shared by every route."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import INCLUDE, Schema, fields


class AwareDateTime(fields.DateTime):
    """A time the API sends: ISO 8601 with its offset, always. A naive value (SQLite hands
    stored times back without one) is UTC, as everything is stored."""

    def _serialize(self, value: datetime | None, attr: Any, obj: Any, **kwargs: Any) -> Any:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class OneOf(fields.Raw):
    """A JSON-ready value documented as exactly one of several schemas (OpenAPI `oneOf`);
    dumped as it is. `nullable`: `null` is one of them too."""

    def __init__(self, *schemas: type[Schema], nullable: bool = False, **kwargs: Any) -> None:
        super().__init__(allow_none=nullable, **kwargs)
        self.schemas = schemas
        self.nullable = nullable


NULL = {"type": "object", "nullable": True, "enum": [None]}  # OpenAPI 3.0's way to say null


def one_of_property(converter: Any, field: fields.Field, **_: Any) -> dict[str, Any]:
    """apispec attribute function: a OneOf field as `oneOf` of its schemas' references."""
    if not isinstance(field, OneOf):
        return {}
    choices = [converter.resolve_nested_schema(schema) for schema in field.schemas]
    return {"oneOf": [*choices, NULL] if field.nullable else choices}


class ErrorCodeSchema(Schema):
    """One per-field message as a code with parameters, for a client to word itself."""

    field = fields.String(metadata={"description": "the key of `errors` it belongs to"})
    code = fields.String(metadata={"example": "too_long"})
    params = fields.Dict(metadata={"example": {"max": 200}})


class ProblemSchema(Schema):
    """RFC 9457 problem details: every error under /api is one (application/problem+json).
    Some problems add members, e.g. `limit` (the limit passed)."""

    class Meta:
        unknown = INCLUDE  # documented as open: a problem may carry more members

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    code = fields.String(metadata={"description": "What refused the request, e.g. sync.x"})
    errors = fields.Dict(
        keys=fields.String(),
        metadata={"description": "Messages per field path (`mutations.3.op`)."},
    )
    error_codes = fields.List(
        fields.Nested(ErrorCodeSchema), metadata={"description": "`errors` as codes"}
    )
    limit = fields.Integer(metadata={"description": "The limit passed (413)."})


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ok"]})
