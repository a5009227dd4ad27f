"""`GET /api/meta`: the fields and enumerations a client reads instead of copying them."""

from __future__ import annotations

from marshmallow import Schema
from marshmallow import fields as f  # `fields` is also the name of a field here


class FieldMetaSchema(Schema):
    """One field a client may send, as the server's schema checks it."""

    type = f.String(
        metadata={
            "enum": [
                "uuid",
                "datetime",
                "date",
                "boolean",
                "integer",
                "number",
                "string",
                "list",
                "map",
                "object",
                "any",
            ]
        }
    )
    required = f.Boolean(metadata={"description": "required in a create"})
    nullable = f.Boolean()
    min_length = f.Integer()
    max_length = f.Integer()
    min_items = f.Integer()
    max_items = f.Integer()
    min = f.Raw(metadata={"type": "number"})
    max = f.Raw(metadata={"type": "number"})
    choices = f.List(f.String())
    pattern = f.String()
    key = f.Nested(lambda: FieldMetaSchema(), metadata={"description": "a map's keys"})
    item = f.Nested(
        lambda: FieldMetaSchema(), metadata={"description": "a list's or a map's items"}
    )
    fields = f.Dict(
        keys=f.String(),
        values=f.Nested(lambda: FieldMetaSchema()),
        metadata={"description": "an object's fields"},
    )


class EntityMetaSchema(Schema):
    fields = f.Dict(
        keys=f.String(),
        values=f.Nested(FieldMetaSchema),
        metadata={"description": "the fields a device may send in a create or update"},
    )
    server_fields = f.List(f.String(), metadata={"description": "never sent"})
    workflow_fields = f.List(f.String(), metadata={"description": "changed only by a transition"})
    item_maps = f.List(f.String(), metadata={"description": "maps merged item by item"})


class TransitionMetaSchema(Schema):
    fields = f.Dict(keys=f.String(), values=f.Nested(FieldMetaSchema))


class ActionMetaSchema(Schema):
    name = f.String()
    from_ = f.List(f.String(), data_key="from", attribute="from")
    to = f.String(allow_none=True)
    who = f.List(f.String())
    requires = f.List(f.String())


class EnumsMetaSchema(Schema):
    topics = f.List(f.String())
    place_types = f.List(f.String())
    urgencies = f.List(f.String())
    concern_statuses = f.List(f.String())
    concern_actions = f.List(f.Nested(ActionMetaSchema))


class MetaSchema(Schema):
    entities = f.Dict(keys=f.String(), values=f.Nested(EntityMetaSchema))
    transition = f.Nested(TransitionMetaSchema)
    enums = f.Nested(EnumsMetaSchema)
