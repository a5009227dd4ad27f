"""Synced records as a device receives them (push results and pull pages), per entity.

These document what fieldapp/syncstore/render.py writes; tests/api/test_openapi.py checks
every real answer against them, so a field added to a model without being added here fails.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from fieldapp.followup.states import Status
from fieldapp.schemas.common import AwareDateTime
from fieldapp.schemas.records import PLACE_TYPES, TOPICS, URGENCIES


def _nullable(field: type[fields.Field], **kwargs: object) -> fields.Field:
    return field(required=True, allow_none=True, **kwargs)


class PhotoLinkSchema(Schema):
    sha256 = fields.String(required=True)
    item_key = fields.String(required=True, metadata={"description": '"" for the record'})
    caption = fields.String(required=True)
    position = fields.Integer(required=True)
    role = fields.String(required=True, metadata={"enum": ["before", "after"]})
    present = fields.Boolean(required=True, metadata={"description": "the server has the bytes"})


class RecordConflictSchema(Schema):
    """An open conflict on the record: the value that lost, kept until a supervisor looks."""

    id = fields.Integer(required=True)
    field = fields.String(required=True, metadata={"description": "or scores.<item key>"})
    kept_value = fields.Raw(required=True, allow_none=True)
    lost_value = fields.Raw(required=True, allow_none=True)
    kept_mutation_id = _nullable(fields.String)
    lost_mutation_id = _nullable(fields.String)
    kept_by_id = _nullable(fields.Integer)
    lost_by_id = _nullable(fields.Integer)
    state = fields.String(required=True, metadata={"enum": ["open"]})
    created_at = AwareDateTime(required=True)


class _Synced(Schema):
    """What the server keeps on every synced record."""

    id = fields.String(required=True)
    version = fields.Integer(required=True)
    deleted = fields.Boolean(required=True)
    created_by_id = _nullable(fields.Integer)
    device_id = _nullable(fields.String)
    observed_at = _nullable(AwareDateTime, metadata={"description": "the device's clock"})
    created_at = AwareDateTime(required=True)
    updated_at = AwareDateTime(required=True)


class _Recorded(_Synced):
    """A record officials make: photos, photos still missing, open conflicts."""

    photos = fields.List(fields.Nested(PhotoLinkSchema), required=True)
    missing_photos = fields.List(fields.String(), required=True)
    conflicts = fields.List(fields.Nested(RecordConflictSchema), required=True)


class _InVillage(_Recorded):
    village_id = fields.String(required=True)
    district_code = fields.String(required=True)
    lat = _nullable(fields.Float)
    lon = _nullable(fields.Float)
    gps_accuracy_m = _nullable(fields.Float)


class VisitRecordSchema(_InVillage):
    visited_at = AwareDateTime(required=True)
    companions = fields.List(fields.String(), required=True)
    topics = fields.List(fields.String(metadata={"enum": list(TOPICS)}), required=True)
    villagers_met = _nullable(fields.Integer)
    notes = fields.String(required=True)


class ScoreSchema(Schema):
    score = fields.Integer(required=True)
    note = fields.String()


class InspectionRecordSchema(_InVillage):
    place_type = fields.String(required=True, metadata={"enum": list(PLACE_TYPES)})
    place_name = fields.String(required=True)
    inspected_at = AwareDateTime(required=True)
    template_id = fields.Integer(required=True)
    scores = fields.Dict(keys=fields.String(), values=fields.Nested(ScoreSchema), required=True)
    total = fields.Integer(required=True, metadata={"description": "sum of the scores"})
    max_total = fields.Integer(required=True, metadata={"description": "the template's maximum"})
    grade = _nullable(fields.String, metadata={"description": "from the template's grades"})
    followup_needed = fields.Boolean(required=True)
    reinspection_of_id = _nullable(fields.String)
    approved_by_id = _nullable(fields.Integer)
    approved_at = _nullable(AwareDateTime)
    review_status = fields.String(
        required=True, metadata={"enum": ["pending", "approved", "reinspection_requested"]}
    )
    review_note = _nullable(fields.String)
    notes = fields.String(required=True)


class ConcernRecordSchema(_InVillage):
    visit_id = _nullable(fields.String)
    category_code = fields.String(required=True)
    description = fields.String(required=True)
    urgency = fields.String(required=True, metadata={"enum": list(URGENCIES)})
    reported_at = AwareDateTime(required=True)
    # Personal data: absent (not null) for viewers who may not see it.
    reporter_consent = fields.Boolean(metadata={"description": "absent for some viewers"})
    reporter_name = fields.String(allow_none=True, metadata={"description": "ditto"})
    reporter_phone = fields.String(allow_none=True, metadata={"description": "ditto"})
    status = fields.String(required=True, metadata={"enum": [s.value for s in Status]})
    assignee_id = _nullable(fields.Integer)
    assignee_agency = _nullable(fields.String)
    due_date = _nullable(fields.Date)
    priority = _nullable(fields.Integer, metadata={"minimum": 1, "maximum": 5})
    resolution_note = _nullable(fields.String)
    resolved_at = _nullable(AwareDateTime)
    duplicate_of_id = _nullable(fields.String)
    villager_confirmed = _nullable(fields.Boolean)
    escalation_level = fields.Integer(
        required=True, metadata={"description": "0, or how often it was escalated overdue"}
    )
    # Given by the server when the concern first arrives (docs/open311.md); null only for a
    # row written outside the push path.
    tracking_code = _nullable(fields.String, metadata={"example": "PL-7K4Q-9M2T"})
    survey_id = _nullable(fields.String, metadata={"description": "the survey that raised it"})


class FollowupRecordSchema(_Recorded):
    concern_id = fields.String(required=True)
    district_code = fields.String(required=True)
    kind = fields.String(
        required=True,
        metadata={
            "enum": ["comment", "status", "assignment", "reminder", "escalation", "correction"]
        },
    )
    body = fields.String(required=True)
    from_status = _nullable(fields.String)
    to_status = _nullable(fields.String)
    data = fields.Dict(required=True, metadata={"description": "the action and its values"})


class SurveyRecordSchema(_InVillage):
    """A filled survey form (docs/sync-protocol.md, "Surveys")."""

    visit_id = _nullable(fields.String)
    form_id = fields.Integer(required=True, metadata={"description": "the form version's id"})
    form_key = fields.String(required=True)
    form_version = fields.String(required=True)
    answers = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(allow_none=True),
        required=True,
        metadata={"description": "question name -> value; merged answer by answer"},
    )
    filled_at = AwareDateTime(required=True)
    notes = fields.String(required=True)
    concern_ids = fields.List(
        fields.String(), required=True, metadata={"description": "concerns its answers raised"}
    )


class VillageRecordSchema(_Synced):
    subdistrict_code = fields.String(required=True)
    district_code = fields.String(required=True)
    moo = fields.Integer(required=True, metadata={"description": "หมู่ที่"})
    name_th = fields.String(required=True)
    name_en = _nullable(fields.String)


class CategoryRecordSchema(Schema):
    code = fields.String(required=True)
    name_th = fields.String(required=True)
    name_en = fields.String(required=True)
    position = fields.Integer(required=True)
    active = fields.Boolean(required=True)


class TemplateItemSchema(Schema):
    key = fields.String(required=True)
    text_th = fields.String(required=True)
    text_en = fields.String(required=True)
    max_score = fields.Integer(required=True)


class TemplateGradeSchema(Schema):
    grade = fields.String(required=True)
    min_percent = fields.Float(required=True)
    label_th = fields.String(required=True)
    label_en = fields.String(required=True)


class TemplateRecordSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    version = fields.Integer(required=True)
    name_th = fields.String(required=True)
    name_en = fields.String(required=True)
    items = fields.List(fields.Nested(TemplateItemSchema), required=True)
    grades = fields.List(
        fields.Nested(TemplateGradeSchema), required=True, metadata={"description": "best first"}
    )
    max_total = fields.Integer(required=True)
    active = fields.Boolean(required=True)


class FormRecordSchema(Schema):
    """A survey form version given to the user; `definition` is what the phone renders."""

    id = fields.String(required=True, metadata={"description": "the form version's id"})
    form_key = fields.String(required=True)
    version = fields.String(required=True)
    title_th = fields.String(required=True)
    title_en = fields.String(required=True)
    public = fields.Boolean(required=True)
    retired = fields.Boolean(required=True, metadata={"description": "offer no new surveys"})
    definition = fields.Dict(required=True, metadata={"description": "docs/surveys.md"})


# The record schema of each entity a device may push, and of each it only pulls.
PUSHED_RECORDS: dict[str, type[Schema]] = {
    "visit": VisitRecordSchema,
    "inspection": InspectionRecordSchema,
    "survey": SurveyRecordSchema,
    "concern": ConcernRecordSchema,
    "followup": FollowupRecordSchema,
}
PULLED_RECORDS: dict[str, type[Schema]] = {
    **PUSHED_RECORDS,
    "village": VillageRecordSchema,
    "category": CategoryRecordSchema,
    "template": TemplateRecordSchema,
    "form": FormRecordSchema,
}
