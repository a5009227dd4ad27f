"""The query string of Open311 GeoReport v2 `requests`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from fieldapp.reports.sqltime import BANGKOK


class CommaList(fields.String):
    """`a,b,c` as a tuple of its non-empty parts."""

    def __init__(self, *, choices: tuple[str, ...] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices = choices

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> tuple[str, ...]:
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > 2000:
            raise ValidationError("Too long.")
        parts = tuple(p.strip() for p in text.split(",") if p.strip())
        if self.choices and any(p not in self.choices for p in parts):
            raise ValidationError(f"Each one of: {', '.join(self.choices)}.")
        return parts


class W3CDateTime(fields.DateTime):
    """A W3C date-time; one without an offset is read in Bangkok time."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        return moment if moment.tzinfo else moment.replace(tzinfo=BANGKOK)


class RequestsQuery(Schema):
    class Meta:
        unknown = EXCLUDE  # jurisdiction_id, api_key and the like are ignored

    service_request_id = CommaList(load_default=())
    service_code = CommaList(load_default=())
    start_date = W3CDateTime(load_default=None)
    end_date = W3CDateTime(load_default=None)
    status = CommaList(load_default=(), choices=("open", "closed"))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))

    @post_load
    def _ordered(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if data["start_date"] and data["end_date"] and data["start_date"] > data["end_date"]:
            raise ValidationError("end_date is before start_date.", "end_date")
        return data
