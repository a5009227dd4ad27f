"""The sync protocol's envelopes (docs/sync-protocol.md): push, pull, quarantine, conflicts."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from fieldapp.schemas.common import ErrorCodeSchema
from fieldapp.schemas.messages import CodedSchema, coded
from fieldapp.schemas.records import UTCDateTime, UUIDString
from fieldapp.syncstore.tables import PUSHABLE
from sync import OPS

SHA256 = validate.Regexp(r"^[0-9a-f]{64}$", error="A lower-case hex SHA-256.")


class PhotoRefSchema(CodedSchema):
    class Meta:
        unknown = RAISE

    sha256 = fields.String(required=True, validate=SHA256)
    item_key = fields.String(load_default="", validate=validate.Length(max=40))
    caption = fields.String(load_default="", validate=validate.Length(max=500))
    position = fields.Integer(load_default=0, strict=True, validate=validate.Range(0, 10_000))
    role = fields.String(load_default="before", validate=validate.OneOf(["before", "after"]))
    remove = fields.Boolean(load_default=False)


class MutationSchema(CodedSchema):
    class Meta:
        unknown = RAISE

    mutation_id = UUIDString(required=True)
    entity = fields.String(required=True, validate=validate.OneOf(PUSHABLE))
    record_id = UUIDString(required=True)
    op = fields.String(required=True, validate=validate.OneOf(OPS))
    base_version = fields.Integer(strict=True, validate=validate.Range(min=0), load_default=None)
    changes = fields.Dict(data_key="fields", load_default=dict)
    transition = fields.Dict(load_default=None)
    photos = fields.List(
        fields.Nested(PhotoRefSchema), load_default=list, validate=validate.Length(max=100)
    )
    observed_at = UTCDateTime(load_default=None, allow_none=True)

    @validates_schema
    def _op_needs(self, data: dict[str, Any], **_: Any) -> None:
        op = data.get("op")
        if op in ("update", "delete", "transition") and data.get("base_version") is None:
            raise ValidationError(coded(f"Required for {op}.", "required"), "base_version")
        if op == "transition" and not data.get("transition"):
            raise ValidationError(coded("Required for a transition.", "required"), "transition")
        if op != "transition" and data.get("transition") is not None:
            only = coded("Only for op transition.", "unknown_field")
            raise ValidationError(only, "transition")


class PushRequestSchema(CodedSchema):
    class Meta:
        unknown = RAISE

    device_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    mutations = fields.List(
        fields.Nested(MutationSchema), required=True, validate=validate.Length(min=1)
    )


class ConflictSchema(Schema):
    id = fields.Integer()
    entity = fields.String()
    record_id = fields.String()
    district_code = fields.String(allow_none=True)
    field = fields.String()
    kept_value = fields.Raw(allow_none=True)
    lost_value = fields.Raw(allow_none=True)
    kept_mutation_id = fields.String(allow_none=True)
    lost_mutation_id = fields.String(allow_none=True)
    kept_by_id = fields.Integer(allow_none=True)
    lost_by_id = fields.Integer(allow_none=True)
    state = fields.String()
    created_at = fields.DateTime()


class OutcomeSchema(Schema):
    mutation_id = fields.String()
    status = fields.String(
        metadata={"enum": ["applied", "merged", "conflict", "rejected", "duplicate"]}
    )
    entity = fields.String()
    record_id = fields.String()
    version = fields.Integer()
    record = fields.Dict()
    missing_photos = fields.List(fields.String())
    conflicts = fields.List(fields.Dict())
    reason = fields.String()
    detail = fields.String()
    errors = fields.Dict()
    error_codes = fields.List(fields.Nested(ErrorCodeSchema))
    quarantine_id = fields.Integer()
    original = fields.Dict()


class PushResultSchema(Schema):
    results = fields.List(fields.Nested(OutcomeSchema))


class PullQuerySchema(CodedSchema):
    cursor = fields.String(load_default="0", validate=validate.Regexp(r"^\d{1,18}$"))
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1))


class PullChangeSchema(Schema):
    seq = fields.Integer()
    entity = fields.String()
    id = fields.String()
    deleted = fields.Boolean()
    out_of_scope = fields.Boolean()
    record = fields.Dict(allow_none=True)


class PullResultSchema(Schema):
    cursor = fields.String()
    has_more = fields.Boolean()
    reset = fields.Boolean()
    reason = fields.String()
    changes = fields.List(fields.Nested(PullChangeSchema))
    missing_photos = fields.List(
        fields.String(),
        metadata={
            "description": "On the last page: photos your records name that the server "
            "still needs (SHA-256)."
        },
    )


class QuarantineSchema(Schema):
    id = fields.Integer()
    mutation_id = fields.String()
    device_id = fields.String()
    user_id = fields.Integer()
    district_code = fields.String(allow_none=True)
    payload = fields.Dict()
    reason = fields.String()
    detail = fields.String()
    errors = fields.Dict()
    error_codes = fields.List(fields.Nested(ErrorCodeSchema))
    state = fields.String()
    resolved_by_id = fields.Integer(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class QuarantineQuerySchema(CodedSchema):
    state = fields.String(
        load_default="open", validate=validate.OneOf(["open", "dismissed", "reapplied", "all"])
    )
    device_id = fields.String(load_default=None)
    reason = fields.String(load_default=None)
    limit = fields.Integer(load_default=200, validate=validate.Range(1, 1000))


class ReapplySchema(CodedSchema):
    class Meta:
        unknown = RAISE

    changes = fields.Dict(data_key="fields")
    transition = fields.Dict()
    base_version = fields.Integer(strict=True, validate=validate.Range(min=0))


class ReapplyResultSchema(Schema):
    quarantine = fields.Nested(QuarantineSchema)
    outcome = fields.Nested(OutcomeSchema)


class NoteSchema(CodedSchema):
    class Meta:
        unknown = RAISE

    note = fields.String(load_default="", validate=validate.Length(max=2000))


class ConflictQuerySchema(CodedSchema):
    state = fields.String(load_default="open", validate=validate.OneOf(["open", "resolved", "all"]))
    entity = fields.String(load_default=None)
    record_id = fields.String(load_default=None)
    limit = fields.Integer(load_default=200, validate=validate.Range(1, 1000))
