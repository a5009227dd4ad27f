"""The fields a device may send for each synced entity, and a concern transition.

These validate what arrives in a push mutation's `fields` (create: all required fields; update:
`partial`). Workflow and server-set fields are refused before these run (see SERVER_FIELDS).
"""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, ValidationError, fields, validate, validates_schema

from fieldapp.followup.states import (
    ASSIGNMENT_FIELDS,
    REPORTED_FIELDS,
    TRANSITION_ONLY_FIELDS,
    VILLAGER_ANSWERS,
)
from fieldapp.schemas.messages import CodedSchema, coded
from fieldapp.utc import as_utc

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
        "review_status",
        "review_note",
    ),
    "concern": (*COMMON_SERVER_FIELDS, "escalation_level", "tracking_code", "survey_id"),
    "followup": (*COMMON_SERVER_FIELDS, "from_status", "to_status", "data"),
    "survey": (*COMMON_SERVER_FIELDS, "form_key", "form_version", "concern_ids"),
}
WORKFLOW_ONLY: dict[str, tuple[str, ...]] = {"concern": TRANSITION_ONLY_FIELDS}


class UUIDString(fields.UUID):
    """A UUID, kept as its canonical lower-case string."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return str(super()._deserialize(value, attr, data, **kwargs))


class UTCDateTime(fields.AwareDateTime):
    """An ISO 8601 time with an offset, stored in UTC."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any):
        return as_utc(super()._deserialize(value, attr, data, **kwargs))


def _text(max_length: int, **kwargs: Any) -> fields.String:
    return fields.String(validate=validate.Length(max=max_length), **kwargs)


def _required_text(max_length: int) -> fields.String:
    return fields.String(required=True, validate=validate.Length(min=1, max=max_length))


def _choice(choices: tuple[str, ...] | list[str], **kwargs: Any) -> fields.String:
    return fields.String(validate=validate.OneOf(choices), **kwargs)


def _number(low: float, high: float) -> fields.Float:
    return fields.Float(allow_none=True, allow_nan=False, validate=validate.Range(low, high))


def _integer(low: int | None = None, high: int | None = None, **kwargs: Any) -> fields.Integer:
    ranged = low is not None or high is not None
    return fields.Integer(
        strict=True, validate=validate.Range(low, high) if ranged else None, **kwargs
    )


def _texts(item: fields.String, max_items: int) -> fields.List:
    """A list of short texts."""
    at_most = coded("At most {max} items.", "too_long", max=max_items)
    return fields.List(item, validate=validate.Length(max=max_items, error=at_most))


class _Located(CodedSchema):
    class Meta:
        unknown = RAISE

    lat = _number(-90, 90)
    lon = _number(-180, 180)
    gps_accuracy_m = _number(0, 100_000)


class VisitFields(_Located):
    village_id = UUIDString(required=True)
    visited_at = UTCDateTime(required=True)
    companions = _texts(_text(200), max_items=50)
    topics = _texts(_choice(TOPICS), max_items=len(TOPICS))
    villagers_met = _integer(0, 1_000_000, allow_none=True)
    notes = _text(20_000)


class ScoreItem(CodedSchema):
    class Meta:
        unknown = RAISE

    score = _integer(0, required=True)
    note = _text(1_000, load_default="")


class InspectionFields(_Located):
    village_id = UUIDString(required=True)
    place_type = _choice(PLACE_TYPES, required=True)
    place_name = _required_text(200)
    inspected_at = UTCDateTime(required=True)
    template_id = _integer(required=True)
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
    category_code = _required_text(40)
    description = _required_text(5_000)
    urgency = _choice(URGENCIES)
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


class FollowupFields(CodedSchema):
    class Meta:
        unknown = RAISE

    concern_id = UUIDString(required=True)
    kind = _choice(["comment"])
    body = _required_text(5_000)


class SurveyFields(_Located):
    """A filled survey form (docs/sync-protocol.md, "Surveys"): the answers' values are
    checked against the form version by fieldapp/surveys/answers.py."""

    village_id = UUIDString(required=True)
    visit_id = UUIDString(allow_none=True)
    form_id = _integer(1, 2**31 - 1, required=True)
    # Merged item by item: an update sends the answers it changes; null removes an answer.
    answers = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=64)),
        values=fields.Raw(allow_none=True),
        validate=validate.Length(max=500),
    )
    filled_at = UTCDateTime(required=True)
    notes = _text(20_000)


ENTITY_FIELDS: dict[str, CodedSchema] = {
    "visit": VisitFields(),
    "inspection": InspectionFields(),
    "survey": SurveyFields(),
    "concern": ConcernFields(),
    "followup": FollowupFields(),
}


class TransitionFields(CodedSchema):
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
    answer = _choice(VILLAGER_ANSWERS)  # the villager's word: `confirm_fix` only
    # `correct`: the reported fields' corrected values, checked as a concern's fields are
    # (fieldapp/syncstore/policy.py); the reason is the `note`.
    corrections = fields.Dict(
        keys=fields.String(validate=validate.Length(min=1, max=40)),
        validate=validate.Length(max=len(REPORTED_FIELDS)),
    )
    # closing over a failed evidence check (docs/evidence.md)
    override_reason = _text(2_000, allow_none=True)

    @validates_schema
    def _only_assign_takes_assignment(self, data: dict[str, Any], **_: Any) -> None:
        given = [name for name in ASSIGNMENT_FIELDS if name in data]
        if given and data.get("action") != "assign":
            only = coded(f"Only the assign action takes {', '.join(given)}.", "unknown_field")
            raise ValidationError(only, given[0])
        if "answer" in data and data.get("action") != "confirm_fix":
            raise ValidationError(
                coded("Only the confirm_fix action takes answer.", "unknown_field"), "answer"
            )
        if "corrections" in data and data.get("action") != "correct":
            only = coded("Only the correct action takes corrections.", "unknown_field")
            raise ValidationError(only, "corrections")
        if data.get("override_reason") and data.get("action") != "close":
            only = coded("Only the close action takes override_reason.", "unknown_field")
            raise ValidationError(only, "override_reason")


class ConcernTransitionBody(TransitionFields):
    """`POST /api/concerns/<id>/transitions`: a transition, optionally pinned to a version."""

    base_version = fields.Integer(strict=True, validate=validate.Range(min=0))
    mutation_id = UUIDString()
