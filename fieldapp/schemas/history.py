"""A record's history as supervisors read it (GET /api/records/<entity>/<id>/history)."""

from marshmallow import Schema, fields

from fieldapp.schemas.common import AwareDateTime
from fieldapp.schemas.workspace import PersonSchema


class FieldChangeSchema(Schema):
    field = fields.String(metadata={"description": "a field, or '<map>.<key>' for an item"})
    before = fields.Raw(allow_none=True, metadata={"description": "null: not set (a create)"})
    after = fields.Raw(allow_none=True)
    withheld = fields.Boolean(
        metadata={"description": "personal data the reader may not see: before/after null"}
    )


class HistoryEntrySchema(Schema):
    id = fields.Integer()
    at = AwareDateTime()
    version = fields.Integer(metadata={"description": "the record's version after the write"})
    op = fields.String(metadata={"enum": ["create", "update", "delete", "transition", "server"]})
    action = fields.String(
        allow_none=True, metadata={"description": "a transition's action, or the server's"}
    )
    status = fields.String(metadata={"enum": ["applied", "merged", "conflict"]})
    mutation_id = fields.String(allow_none=True)
    device_id = fields.String(allow_none=True)
    user = fields.Nested(PersonSchema, allow_none=True)
    reason = fields.String(allow_none=True, metadata={"description": "a transition's note"})
    changes = fields.List(fields.Nested(FieldChangeSchema))


class RecordHistorySchema(Schema):
    entity = fields.String()
    record_id = fields.String()
    items = fields.List(fields.Nested(HistoryEntrySchema), metadata={"description": "oldest first"})
