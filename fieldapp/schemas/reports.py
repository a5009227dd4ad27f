"""Query strings of the dashboard and the exports, and the publishable flag's body."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from fieldapp.schemas.workspace import QueueQuerySchema

DISTRICT = validate.Regexp(r"^\d{4}$", error="A district code: four digits.")


class PeriodQuery(Schema):
    start = fields.Date(load_default=None, metadata={"description": "First Bangkok day"})
    end = fields.Date(load_default=None, metadata={"description": "Last Bangkok day"})

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError("The period ends before it starts.", "end")


class ReportQuerySchema(PeriodQuery):
    district = fields.String(load_default=None, validate=DISTRICT)
    category = fields.String(load_default=None, validate=validate.Length(min=1, max=40))


class ExportQuerySchema(QueueQuerySchema, PeriodQuery):
    """The queue's own filters (status, category, district, subdistrict, village, urgency,
    priority, assignee, overdue, q, sort; values separated by commas), a period, the format
    and whether reporter data is wanted."""

    class Meta(QueueQuerySchema.Meta):
        exclude = ("page", "per_page")

    format = fields.String(load_default="csv", validate=validate.OneOf(("csv", "xlsx", "geojson")))
    personal = fields.Boolean(
        load_default=False,
        metadata={"description": "Reporter names and phones (roles allowed only; audited)"},
    )


class PublishableBody(Schema):
    publishable = fields.Boolean(required=True)
