"""The fields a device may send for each synced entity, and a concern transition.

These validate what arrives in a push mutation's `fields` (create: all required fields; update:
`partial`). Workflow and server-set fields are refused before these run (see SERVER_FIELDS).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from fieldapp.followup.states import ASSIGNMENT_FIELDS, TRANSITION_ONLY_FIELDS
from fieldapp.schemas.quick import (
    SLOW,
    BoundedFloat,
    BoundedInteger,
    Choice,
    FlatSchema,
    QuickField,
    QuickUUIDString,
    Text,
)

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
    "concern": (*COMMON_SERVER_FIELDS, "tracking_code"),
    "followup": (*COMMON_SERVER_FIELDS, "from_status", "to_status", "data"),
}
WORKFLOW_ONLY: dict[str, tuple[str, ...]] = {"concern": TRANSITION_ONLY_FIELDS}


UUIDString = QuickUUIDString  # a UUID, kept as its canonical lower-case string


class UTCDateTime(QuickField, fields.AwareDateTime):
    """An ISO 8601 time with an offset, stored in UTC."""

    def _quick(self, value: Any) -> Any:
        # marshmallow parses with datetime.fromisoformat too; a naive time takes its path
        # to be refused with its words.
        if type(value) is str and value:
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                return SLOW
            if parsed.utcoffset() is not None:
                return parsed.astimezone(UTC)
        return SLOW

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any):
        return super()._deserialize(value, attr, data, **kwargs).astimezone(UTC)


class TextList(QuickField, fields.Field):
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

    def _quick(self, value: Any) -> Any:
        if type(value) is not list or len(value) > self.max_items:
            return SLOW
        longest, choices = self.max_length, self.choices
        for item in value:
            if type(item) is not str or len(item) > longest:
                return SLOW
            if choices is not None and item not in choices:
                return SLOW
        return list(value)

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


def _text(max_length: int, **kwargs: Any) -> Text:
    return Text(max_length=max_length, **kwargs)


def _required_text(max_length: int) -> Text:
    return Text(required=True, min_length=1, max_length=max_length)


class _Located(FlatSchema):
    class Meta:
        unknown = RAISE

    lat = BoundedFloat(-90, 90, allow_none=True)
    lon = BoundedFloat(-180, 180, allow_none=True)
    gps_accuracy_m = BoundedFloat(0, 100_000, allow_none=True)


class VisitFields(_Located):
    village_id = UUIDString(required=True)
    visited_at = UTCDateTime(required=True)
    companions = TextList(max_items=50, max_length=200)
    topics = TextList(max_items=len(TOPICS), choices=TOPICS)
    villagers_met = BoundedInteger(0, 1_000_000, allow_none=True)
    notes = _text(20_000)


class ScoreItem(FlatSchema):
    class Meta:
        unknown = RAISE

    score = BoundedInteger(0, required=True)
    note = _text(1_000, load_default="")


class InspectionFields(_Located):
    village_id = UUIDString(required=True)
    place_type = Choice(PLACE_TYPES, required=True)
    place_name = _required_text(200)
    inspected_at = UTCDateTime(required=True)
    template_id = BoundedInteger(required=True)
    # Merged item by item: an update sends the items it changes; null removes an item's score.
    scores = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=40)),
        values=fields.Nested(ScoreItem, allow_none=True),
        validate=validate.Length(max=200),
    )
    followup_needed = fields.Boolean()
    reinspection_of_id = UUIDString(allow_none=True)
    notes = _text(20_000)


class ConcernFields(_Located):
    village_id = UUIDString(required=True)
    visit_id = UUIDString(allow_none=True)
    category_code = Text(required=True, min_length=1, max_length=40)
    description = _required_text(5_000)
    urgency = Choice(URGENCIES)
    reported_at = UTCDateTime(required=True)
    reporter_consent = fields.Boolean()
    reporter_name = _text(200, allow_none=True)
    reporter_phone = fields.String(
        allow_none=True,
        validate=validate.Regexp(
            r"^[0-9+()\- ]{3,40}$",
            error="A phone number: 3 to 40 of the digits 0-9, spaces and + ( ) -.",
        ),
    )


class FollowupFields(FlatSchema):
    class Meta:
        unknown = RAISE

    concern_id = UUIDString(required=True)
    kind = Choice(["comment"])
    body = _required_text(5_000)


ENTITY_FIELDS: dict[str, Schema] = {
    "visit": VisitFields(),
    "inspection": InspectionFields(),
    "concern": ConcernFields(),
    "followup": FollowupFields(),
}


class TransitionFields(FlatSchema):
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
