"""Shapes of the audit log as admins browse it."""

from marshmallow import Schema, fields, validate

from fieldapp.schemas.common import AwareDateTime


class AuditQuerySchema(Schema):
    """Filters and paging; every filter is optional and they combine with AND."""

    action = fields.String(validate=validate.Length(max=60), metadata={"example": "device.revoke"})
    actor = fields.Integer(validate=validate.Range(min=1), metadata={"description": "user id"})
    entity = fields.String(validate=validate.Length(max=30), metadata={"example": "concern"})
    record_id = fields.String(validate=validate.Length(max=64))
    from_ = fields.AwareDateTime(
        data_key="from", metadata={"description": "entries at or after this time (with offset)"}
    )
    to = fields.AwareDateTime(metadata={"description": "entries before this time (with offset)"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class AuditEntrySchema(Schema):
    position = fields.Integer()
    at = AwareDateTime()
    actor_id = fields.Integer(allow_none=True)
    action = fields.String()
    entity = fields.String(allow_none=True)
    record_id = fields.String(allow_none=True)
    details = fields.Dict()
    prev_hash = fields.String()
    hash = fields.String()


class AuditHeadSchema(Schema):
    """The chain's last entry: what `flask audit-head` prints, for the province to publish."""

    position = fields.Integer(metadata={"description": "0 for an empty log"})
    hash = fields.String()


class AuditPageSchema(Schema):
    """One page of entries, newest first, and the chain's head."""

    items = fields.List(fields.Nested(AuditEntrySchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    head = fields.Nested(AuditHeadSchema)
