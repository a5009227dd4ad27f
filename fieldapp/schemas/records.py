"""The fields a device may send for each synced entity, and a concern transition.

These validate what arrives in a push mutation's `fields` (create: all required fields; update:
`partial`). Workflow and server-set fields are refused before these run (see SERVER_FIELDS).
"""

from __future__ import annotations

import uuid
from datetime import UTC
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from fieldapp.followup.states import ASSIGNMENT_FIELDS, TRANSITION_ONLY_FIELDS

TOPICS = (
    "clean_tidy",
    "safe_vegetables",
    "haze",
    "disaster",
    "health",
    "anti_corruption",
    "smart_city",
    "general",
    "other",
)
PLACE_TYPES = ("household", "school", "temple", "market", "roadside", "public_area", "office")
URGENCIES = ("low", "normal", "high", "critical")

# Set by the server on every synced record; a device never sends them.
COMMON_SERVER_FIELDS = (
    "id",
    "version",
    "deleted",
    "district_code",
    "created_by_id",
    "device_id",
    "observed_at",
    "created_at",
    "updated_at",
    "field_versions",
    "photos",
    "missing_photos",
    "conflicts",
)
SERVER_FIELDS: dict[str, tuple[str, ...]] = {
    "visit": COMMON_SERVER_FIELDS,
    "inspection": (
        *COMMON_SERVER_FIELDS,
        "total",
        "max_total",
        "grade",
        "approved_by_id",
        "approved_at",
    ),
    "concern": COMMON_SERVER_FIELDS,
    "followup": (*COMMON_SERVER_FIELDS, "from_status", "to_status", "data"),
}
WORKFLOW_ONLY: dict[str, tuple[str, ...]] = {"concern": TRANSITION_ONLY_FIELDS}


class UUIDString(fields.UUID):
    """A UUID, kept as its canonical lower-case string."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        result = super()._deserialize(value, attr, data, **kwargs)
        return str(result) if isinstance(result, uuid.UUID) else result


class UTCDateTime(fields.AwareDateTime):
    """An ISO 8601 time with an offset, stored in UTC."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any):
        return super()._deserialize(value, attr, data, **kwargs).astimezone(UTC)


class TextList(fields.Field):
    """A list of short texts, checked in one pass (a push validates thousands of them)."""

    def __init__(
        self,
        *,
        max_items: int,
        max_length: int = 200,
        choices: tuple[str, ...] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.max_items, self.max_length = max_items, max_length
        self.choices = frozenset(choices) if choices else None

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        if type(value) is not list:
            raise ValidationError("Not a valid list.")
        if len(value) > self.max_items:
            raise ValidationError(f"At most {self.max_items} items.")
        errors: dict[int, list[str]] = {}
        for index, item in enumerate(value):
            if type(item) is not str:
                errors[index] = ["Not a valid string."]
            elif len(item) > self.max_length:
                errors[index] = [f"Longer than maximum length {self.max_length}."]
            elif self.choices is not None and item not in self.choices:
                errors[index] = [f"Must be one of: {', '.join(sorted(self.choices))}."]
        if errors:
            raise ValidationError(errors)
        return list(value)


def _text(max_length: int, **kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Length(max=max_length), **kwargs)


def _required_text(max_length: int) -> fields.String:
    return fields.String(required=True, validate=validate.Length(min=1, max=max_length))


class _Located(Schema):
    class Meta:
        unknown = RAISE

    lat = fields.Float(allow_none=True, validate=validate.Range(-90, 90), allow_nan=False)
    lon = fields.Float(allow_none=True, validate=validate.Range(-180, 180), allow_nan=False)
    gps_accuracy_m = fields.Float(
        allow_none=True, validate=validate.Range(0, 100_000), allow_nan=False
    )


class VisitFields(_Located):
    village_id = UUIDString(required=True)
    visited_at = UTCDateTime(required=True)
    companions = TextList(max_items=50, max_length=200)
    topics = TextList(max_items=len(TOPICS), choices=TOPICS)
    villagers_met = fields.Integer(
        allow_none=True, strict=True, validate=validate.Range(0, 1_000_000)
    )
    notes = _text(20_000)


class ScoreItem(Schema):
    class Meta:
        unknown = RAISE

    score = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    note = _text(1_000, load_default="")


class InspectionFields(_Located):
    village_id = UUIDString(required=True)
    place_type = fields.String(required=True, validate=validate.OneOf(PLACE_TYPES))
    place_name = _required_text(200)
    inspected_at = UTCDateTime(required=True)
    template_id = fields.Integer(required=True, strict=True)
    scores = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=40)),
        values=fields.Nested(ScoreItem),
        validate=validate.Length(max=200),
    )
    followup_needed = fields.Boolean()
    reinspection_of_id = UUIDString(allow_none=True)
    notes = _text(20_000)


class ConcernFields(_Located):
    village_id = UUIDString(required=True)
    visit_id = UUIDString(allow_none=True)
    category_code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    description = _required_text(5_000)
    urgency = fields.String(validate=validate.OneOf(URGENCIES))
    reported_at = UTCDateTime(required=True)
    reporter_consent = fields.Boolean()
    reporter_name = _text(200, allow_none=True)
    reporter_phone = fields.String(
        allow_none=True, validate=validate.Regexp(r"^[0-9+()\- ]{3,40}$")
    )


class FollowupFields(Schema):
    class Meta:
        unknown = RAISE

    concern_id = UUIDString(required=True)
    kind = fields.String(validate=validate.OneOf(["comment"]))
    body = _required_text(5_000)


ENTITY_FIELDS: dict[str, Schema] = {
    "visit": VisitFields(),
    "inspection": InspectionFields(),
    "concern": ConcernFields(),
    "followup": FollowupFields(),
}


class TransitionFields(Schema):
    """The `transition` object of a push mutation, and the body of the transitions route."""

    class Meta:
        unknown = RAISE

    action = fields.String(required=True, validate=validate.Length(min=1, max=40))
    from_status = fields.String(validate=validate.Length(max=20))
    note = _text(5_000, allow_none=True)
    assignee_id = fields.Integer(allow_none=True, strict=True)
    assignee_agency = _text(200, allow_none=True)
    due_date = fields.Date(allow_none=True)
    priority = fields.Integer(allow_none=True, strict=True, validate=validate.Range(1, 5))
    duplicate_of_id = UUIDString()
    villager_confirmed = fields.Boolean()

    @validates_schema
    def _only_assign_takes_assignment(self, data: dict[str, Any], **_: Any) -> None:
        given = [name for name in ASSIGNMENT_FIELDS if name in data]
        if given and data.get("action") != "assign":
            raise ValidationError(f"Only the assign action takes {', '.join(given)}.", given[0])


class ConcernTransitionBody(TransitionFields):
    """`POST /api/concerns/<id>/transitions`: a transition, optionally pinned to a version."""

    base_version = fields.Integer(strict=True, validate=validate.Range(min=0))
    mutation_id = UUIDString()
