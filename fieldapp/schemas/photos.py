"""A stored photo's facts; provenance only for those who may see the original."""

from marshmallow import Schema, fields


class PhotoProvenanceSchema(Schema):
    taken_at = fields.DateTime(allow_none=True, metadata={"description": "EXIF time taken"})
    gps_lat = fields.Float(allow_none=True)
    gps_lon = fields.Float(allow_none=True)
    camera = fields.String(allow_none=True)


class PhotoSchema(Schema):
    sha256 = fields.String()
    mime_type = fields.String()
    size_bytes = fields.Integer()
    width = fields.Integer(metadata={"description": "After EXIF orientation"})
    height = fields.Integer()
    created_at = fields.DateTime()
    urls = fields.Dict(keys=fields.String(), values=fields.String())
    provenance = fields.Nested(
        PhotoProvenanceSchema,
        allow_none=True,
        metadata={"description": "Only for the uploader, supervisors and admins; else null"},
    )
