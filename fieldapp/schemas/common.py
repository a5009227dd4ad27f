"""Shapes shared by every route."""

from marshmallow import Schema, fields


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    code = fields.String()
    errors = fields.Dict()


class HealthSchema(Schema):
    status = fields.String()
