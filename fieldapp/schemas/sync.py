"""What the sync routes read (docs/sync-protocol.md): push, pull queries, quarantine, conflicts.

What they answer is in fieldapp/schemas/answers.py.
"""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, ValidationError, fields, validate, validates_schema

from fieldapp.schemas.messages import CodedSchema, coded
from fieldapp.schemas.records import UTCDateTime, UUIDString
from fieldapp.syncstore.tables import PUSHABLE
from sync import OPS

SHA256 = validate.Regexp(r"^[0-9a-f]{64}$", error="A lower-case hex SHA-256.")


class ExifSchema(CodedSchema):
    """What the original photo's EXIF said, read on the phone before resizing."""

    class Meta:
        unknown = RAISE

    taken_at = UTCDateTime(load_default=None, allow_none=True)
    gps_lat = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-90, 90))
    gps_lon = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-180, 180))
    make = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    model = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))


class AttachedSchema(CodedSchema):
    """The phone's own clock and position when the photo was attached to the record."""

    class Meta:
        unknown = RAISE

    at = UTCDateTime(load_default=None, allow_none=True)
    lat = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-90, 90))
    lon = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-180, 180))
    accuracy_m = fields.Float(
        load_default=None, allow_none=True, validate=validate.Range(0, 1_000_000)
    )


class PhotoRefSchema(CodedSchema):
    class Meta:
        unknown = RAISE

    sha256 = fields.String(required=True, validate=SHA256)
    item_key = fields.String(load_default="", validate=validate.Length(max=40))
    caption = fields.String(load_default="", validate=validate.Length(max=500))
    position = fields.Integer(load_default=0, strict=True, validate=validate.Range(0, 10_000))
    role = fields.String(load_default="before", validate=validate.OneOf(["before", "after"]))
    remove = fields.Boolean(load_default=False)
    exif = fields.Nested(ExifSchema, load_default=None, allow_none=True)
    attached = fields.Nested(AttachedSchema, load_default=None, allow_none=True)


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


class PullQuerySchema(CodedSchema):
    # ASCII digits only: \d would also take Thai (๑๒๓) and other scripts' digits.
    cursor = fields.String(
        load_default="0",
        validate=validate.Regexp(r"^[0-9]{1,18}$", error="A cursor of 1 to 18 digits 0-9."),
    )
    limit = fields.Integer(load_default=500, validate=validate.Range(min=1))


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


class NoteSchema(CodedSchema):
    class Meta:
        unknown = RAISE

    note = fields.String(load_default="", validate=validate.Length(max=2000))


class ConflictQuerySchema(CodedSchema):
    state = fields.String(load_default="open", validate=validate.OneOf(["open", "resolved", "all"]))
    entity = fields.String(load_default=None)
    record_id = fields.String(load_default=None)
    limit = fields.Integer(load_default=200, validate=validate.Range(1, 1000))
