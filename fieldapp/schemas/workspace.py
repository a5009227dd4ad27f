"""The supervisors' workspace: the concern queue, a concern's detail, people, home summary and
service levels (the contract is docs/workspace-api.md)."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate

from fieldapp.followup.queue import ME, NOBODY, SORTS, TEXT_MIN
from fieldapp.followup.states import ACTIONS, Status
from fieldapp.schemas.messages import CodedSchema
from fieldapp.schemas.records import URGENCIES
from fieldapp.schemas.synced import PhotoLinkSchema
from fieldapp.syncstore.tables import aware, jsonable

STATUSES = tuple(s.value for s in Status)
DISTRICT = validate.Regexp(r"^\d{4}$", error="A 4-digit district code.")
SUBDISTRICT = validate.Regexp(r"^\d{6}$", error="A 6-digit subdistrict code.")


class CommaList(fields.Field):
    """A query parameter holding values separated by commas: `status=new,accepted`."""

    def __init__(self, item: fields.Field, *, max_items: int = 50, **kwargs: Any) -> None:
        # Documented as what it is on the wire: one string of values separated by commas.
        metadata = {"type": "string", "default": "", "description": "Values separated by commas."}
        kwargs["metadata"] = {**metadata, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)
        self.item, self.max_items = item, max_items

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> tuple:
        if not isinstance(value, str):
            raise ValidationError("Values separated by commas.")
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if len(parts) > self.max_items:
            raise ValidationError(f"At most {self.max_items} values.")
        errors, out = {}, []
        for index, part in enumerate(parts):
            try:
                out.append(self.item.deserialize(part))
            except ValidationError as exc:
                errors[index] = exc.messages
        if errors:
            raise ValidationError(errors)
        return tuple(out)


class Instant(fields.DateTime):
    """A time as ISO 8601 with its offset (SQLite hands times back naive, in UTC); a time
    already rendered as pull renders it passes as it is."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        return jsonable(aware(value))


class Day(fields.Date):
    """A date as YYYY-MM-DD (one already rendered passes as it is)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is None or isinstance(value, str):
            return value
        return value.isoformat()


class AssigneeFilter(fields.Field):
    """`me`, `none` or a user id."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if value in (ME, NOBODY):
            return value
        if isinstance(value, str) and value.isdigit() and len(value) <= 12:
            return int(value)
        raise ValidationError("A user id, 'me' or 'none'.")


class PageQuery(CodedSchema):
    class Meta:
        unknown = RAISE

    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class QueueQuerySchema(PageQuery):
    status = CommaList(fields.String(validate=validate.OneOf(STATUSES)), load_default=())
    category = CommaList(fields.String(validate=validate.Length(1, 40)), load_default=())
    district = CommaList(fields.String(validate=DISTRICT), load_default=())
    subdistrict = CommaList(fields.String(validate=SUBDISTRICT), load_default=())
    village = CommaList(fields.UUID(), load_default=())
    urgency = CommaList(fields.String(validate=validate.OneOf(URGENCIES)), load_default=())
    priority = CommaList(fields.Integer(validate=validate.Range(1, 5)), load_default=())
    assignee = AssigneeFilter(load_default=None, metadata={"type": "string"})
    overdue = fields.Boolean(load_default=None)
    # Matched by trigrams, so at least three characters (fieldapp/followup/queue.py); blank
    # is no text filter.
    q = fields.String(load_default=None, validate=validate.Length(TEXT_MIN, 200))
    sort = fields.String(load_default="oldest", validate=validate.OneOf(SORTS))

    @pre_load
    def _blank_text(self, data: Any, **_kwargs: Any) -> Any:
        if hasattr(data, "get") and isinstance(data.get("q"), str):
            data = {**data, "q": data["q"].strip()}
            if not data["q"]:
                del data["q"]
        return data


class PersonSchema(Schema):
    id = fields.Integer()
    display_name = fields.String()


class VillageRefSchema(Schema):
    id = fields.String()
    moo = fields.Integer()
    name_th = fields.String()
    name_en = fields.String(allow_none=True)
    subdistrict_code = fields.String()


class ConcernSummarySchema(Schema):
    id = fields.String()
    version = fields.Integer()
    status = fields.String(metadata={"enum": list(STATUSES)})
    category_code = fields.String()
    category_name_th = fields.String(allow_none=True)
    category_name_en = fields.String(allow_none=True)
    summary = fields.String(metadata={"description": "The description's first 80 characters."})
    urgency = fields.String(metadata={"enum": list(URGENCIES)})
    priority = fields.Integer(allow_none=True)
    due_date = Day(allow_none=True)
    overdue = fields.Boolean()
    escalation_level = fields.Integer()
    assignee = fields.Nested(PersonSchema, allow_none=True)
    assignee_agency = fields.String(allow_none=True)
    district_code = fields.String()
    subdistrict_code = fields.String(allow_none=True)
    village = fields.Nested(VillageRefSchema, allow_none=True)
    reported_at = Instant()
    created_at = Instant()
    updated_at = Instant()
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)


class NearbyConcernSchema(ConcernSummarySchema):
    distance_m = fields.Float()


class QueueCountsSchema(Schema):
    new = fields.Integer()
    accepted = fields.Integer()
    in_progress = fields.Integer()
    resolved = fields.Integer()
    closed = fields.Integer()
    rejected = fields.Integer()
    duplicate = fields.Integer()
    overdue = fields.Integer()


class QueuePageSchema(Schema):
    items = fields.List(fields.Nested(ConcernSummarySchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    counts = fields.Nested(
        QueueCountsSchema,
        metadata={"description": "Per status under the same filters except status."},
    )


class NearbyQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    radius_m = fields.Float(load_default=500, validate=validate.Range(1, 50_000))
    same_category = fields.Boolean(load_default=True)
    open = fields.Boolean(load_default=True)


class TimelineEntrySchema(Schema):
    id = fields.String()
    kind = fields.String(
        metadata={"enum": ["comment", "status", "assignment", "escalation", "correction"]}
    )
    body = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String(allow_none=True)
    data = fields.Dict(
        metadata={
            "description": "The action and its values; an assignment names "
            "assignee {id, display_name}, due_date, priority; an escalation level, "
            "due_date, days_overdue and notify (the province admins)."
        }
    )
    created_at = Instant()
    actor = fields.Nested(PersonSchema, allow_none=True)


class ConcernDetailSchema(ConcernSummarySchema):
    """The concern as pull renders it, with names, timeline and the steps allowed now."""

    deleted = fields.Boolean()
    village_id = fields.String()
    visit_id = fields.String(allow_none=True)
    description = fields.String()
    reporter_consent = fields.Boolean(
        metadata={"description": "Absent unless you may see personal data."}
    )
    reporter_name = fields.String(allow_none=True)
    reporter_phone = fields.String(allow_none=True)
    assignee_id = fields.Integer(allow_none=True)
    resolution_note = fields.String(allow_none=True)
    resolved_at = Instant(allow_none=True)
    duplicate_of_id = fields.String(allow_none=True)
    villager_confirmed = fields.Boolean(allow_none=True)
    gps_accuracy_m = fields.Float(allow_none=True)
    created_by_id = fields.Integer(allow_none=True)
    device_id = fields.String(allow_none=True)
    observed_at = Instant(allow_none=True)
    created_by = fields.Nested(PersonSchema, allow_none=True)
    service_level_days = fields.Integer(allow_none=True)
    photos = fields.List(fields.Nested(PhotoLinkSchema))
    missing_photos = fields.List(fields.String())
    conflicts = fields.List(fields.Dict())
    timeline = fields.List(fields.Nested(TimelineEntrySchema))
    allowed_actions = fields.List(fields.String(metadata={"enum": list(ACTIONS)}))
    may_edit = fields.Boolean()
    may_delete = fields.Boolean()
    # --- history (issue 13) ---
    locked_fields = fields.List(
        fields.String(),
        metadata={"description": "fields a plain update may no longer change (correct them)"},
    )
    edit_lock = fields.String(
        allow_none=True, metadata={"description": "why no update is possible now, as a code"}
    )
    delete_lock = fields.String(
        allow_none=True, metadata={"description": "why it cannot be deleted, as a code"}
    )
    original_description = fields.String(
        allow_none=True,
        metadata={"description": "the citizen's words as first recorded, when corrected since"},
    )
    public_photos = fields.List(
        fields.String(), metadata={"description": "Photos the public page shows (sha256)."}
    )
    may_publish_photos = fields.Boolean(
        metadata={"description": "You may show or withdraw its photos on the public page."}
    )


class AssignableQuerySchema(Schema):
    concern = fields.UUID(required=True)


class AssignableUserSchema(Schema):
    id = fields.Integer()
    display_name = fields.String()
    role = fields.String(metadata={"enum": ["official", "supervisor"]})
    district_codes = fields.List(fields.String())


class HomeSummarySchema(Schema):
    role = fields.String()
    overdue = fields.Integer(metadata={"description": "Open concerns you see past due."})
    new = fields.Integer(metadata={"description": "Concerns you see waiting to be accepted."})
    assigned_to_me = fields.Integer(metadata={"description": "Open concerns assigned to you."})
    assigned_to_me_overdue = fields.Integer()
    reinspections_requested = fields.Integer(
        metadata={"description": "Your inspections a supervisor asked to re-inspect."}
    )
    inspections_to_review = fields.Integer(
        metadata={"description": "Others' inspections waiting for your review (supervisors)."}
    )


class ServiceLevelSchema(Schema):
    class Meta:
        unknown = RAISE

    category_code = fields.String(required=True, validate=validate.Length(1, 40))
    urgency = fields.String(required=True, validate=validate.OneOf(URGENCIES))
    days = fields.Integer(required=True, strict=True, validate=validate.Range(1, 365))
