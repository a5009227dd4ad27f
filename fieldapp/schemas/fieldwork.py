"""Visits and inspections under review, a review, and a village's Clean & Tidy history."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from fieldapp.followup.review import REQUEST_REINSPECTION, REVIEW_ACTIONS
from fieldapp.models.records import ReviewStatus
from fieldapp.schemas.records import PLACE_TYPES, TOPICS
from fieldapp.schemas.workspace import (
    DISTRICT,
    CommaList,
    Instant,
    PageQuery,
    PersonSchema,
    PhotoLinkSchema,
    VillageRefSchema,
)

REVIEW_STATES = tuple(s.value for s in ReviewStatus)


class FieldworkQuerySchema(PageQuery):
    district = CommaList(fields.String(validate=DISTRICT), load_default=())
    village = CommaList(fields.UUID(), load_default=())
    author = CommaList(fields.Integer(validate=validate.Range(min=1)), load_default=())
    from_ = fields.Date(data_key="from", load_default=None)
    to = fields.Date(load_default=None)
    q = fields.String(load_default=None, validate=validate.Length(max=200))


class InspectionQuerySchema(FieldworkQuerySchema):
    review = CommaList(fields.String(validate=validate.OneOf(REVIEW_STATES)), load_default=())
    followup_needed = fields.Boolean(load_default=None)


class _Located(Schema):
    id = fields.String()
    version = fields.Integer()
    village_id = fields.String()
    district_code = fields.String()
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    gps_accuracy_m = fields.Float(allow_none=True)
    notes = fields.String()
    created_by_id = fields.Integer(allow_none=True)
    created_at = Instant()
    updated_at = Instant()
    village = fields.Nested(VillageRefSchema, allow_none=True)
    author = fields.Nested(PersonSchema, allow_none=True)


class VisitLineSchema(_Located):
    visited_at = Instant()
    companions = fields.List(fields.String())
    topics = fields.List(fields.String(metadata={"enum": list(TOPICS)}))
    villagers_met = fields.Integer(allow_none=True)


class InspectionLineSchema(_Located):
    place_type = fields.String(metadata={"enum": list(PLACE_TYPES)})
    place_name = fields.String()
    inspected_at = Instant()
    template_id = fields.Integer()
    total = fields.Integer()
    max_total = fields.Integer()
    grade = fields.String(allow_none=True)
    followup_needed = fields.Boolean()
    reinspection_of_id = fields.String(allow_none=True)
    review_status = fields.String(metadata={"enum": list(REVIEW_STATES)})
    review_note = fields.String(allow_none=True)
    approved_by_id = fields.Integer(allow_none=True)
    approved_at = Instant(allow_none=True)
    approved_by = fields.Nested(PersonSchema, allow_none=True)


class _Record(Schema):
    """What a detail adds to a line: the record's sync metadata and photos."""

    deleted = fields.Boolean()
    device_id = fields.String(allow_none=True)
    observed_at = Instant(allow_none=True)
    photos = fields.List(fields.Nested(PhotoLinkSchema))
    missing_photos = fields.List(fields.String())
    conflicts = fields.List(fields.Dict())


class VisitDetailSchema(VisitLineSchema, _Record):
    pass


class ChecklistItemSchema(Schema):
    key = fields.String()
    text_th = fields.String()
    text_en = fields.String()
    max_score = fields.Integer()
    score = fields.Integer(allow_none=True)
    note = fields.String()
    photos = fields.List(fields.Nested(PhotoLinkSchema))


class InspectionDetailSchema(InspectionLineSchema, _Record):
    scores = fields.Dict()
    items = fields.List(fields.Nested(ChecklistItemSchema))
    may_review = fields.Boolean(metadata={"description": "Whether you may review it now."})


def _page_of(item: type[Schema]) -> type[Schema]:
    return type(
        f"{item.__name__.removesuffix('LineSchema')}PageSchema",
        (Schema,),
        {
            "items": fields.List(fields.Nested(item)),
            "total": fields.Integer(),
            "page": fields.Integer(),
            "per_page": fields.Integer(),
        },
    )


VisitPageSchema = _page_of(VisitLineSchema)
InspectionPageSchema = _page_of(InspectionLineSchema)


class ReviewSchema(Schema):
    class Meta:
        unknown = RAISE

    action = fields.String(required=True, validate=validate.OneOf(REVIEW_ACTIONS))
    note = fields.String(load_default="", validate=validate.Length(max=2000))

    @validates_schema
    def _why(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("action") == REQUEST_REINSPECTION and not data.get("note", "").strip():
            raise ValidationError("Say what to put right before the re-inspection.", "note")


class CleanTidyRowSchema(Schema):
    inspection_id = fields.String()
    inspected_at = Instant()
    place_type = fields.String()
    place_name = fields.String()
    total = fields.Integer()
    max_total = fields.Integer()
    percent = fields.Float(allow_none=True)
    grade = fields.String(allow_none=True)
