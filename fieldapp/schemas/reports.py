"""Query strings of the dashboard and the exports, and the publishable flag's body."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from fieldapp.followup.states import Status

DISTRICT = validate.Regexp(r"^\d{4}$", error="A district code: four digits.")


class ReportQuerySchema(Schema):
    start = fields.Date(load_default=None, metadata={"description": "First Bangkok day"})
    end = fields.Date(load_default=None, metadata={"description": "Last Bangkok day"})
    district = fields.String(load_default=None, validate=DISTRICT)
    category = fields.String(load_default=None, validate=validate.Length(min=1, max=40))

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError("The period ends before it starts.", "end")


class ExportQuerySchema(ReportQuerySchema):
    format = fields.String(load_default="csv", validate=validate.OneOf(("csv", "xlsx", "geojson")))
    status = fields.String(load_default=None, validate=validate.OneOf([s.value for s in Status]))
    personal = fields.Boolean(
        load_default=False,
        metadata={"description": "Reporter names and phones (roles allowed only; audited)"},
    )


class PublishableBody(Schema):
    publishable = fields.Boolean(required=True)
