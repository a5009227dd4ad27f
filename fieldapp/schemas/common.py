"""Shapes shared by every route."""

from marshmallow import Schema, fields


class ErrorCodeSchema(Schema):
    """One per-field message as a code with parameters, for a client to word itself."""

    field = fields.String(metadata={"description": "the key of `errors` it belongs to"})
    code = fields.String(metadata={"example": "too_long"})
    params = fields.Dict(metadata={"example": {"max": 200}})


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    code = fields.String()
    errors = fields.Dict()
    error_codes = fields.List(fields.Nested(ErrorCodeSchema))


class HealthSchema(Schema):
    status = fields.String()
