"""A stored photo's facts; provenance only for those who may see the original."""

from marshmallow import Schema, fields

from fieldapp.schemas.common import AwareDateTime


class PhotoProvenanceSchema(Schema):
    taken_at = AwareDateTime(
        required=True, allow_none=True, metadata={"description": "EXIF time taken"}
    )
    gps_lat = fields.Float(required=True, allow_none=True)
    gps_lon = fields.Float(required=True, allow_none=True)
    camera = fields.String(required=True, allow_none=True)


class PhotoSchema(Schema):
    sha256 = fields.String(required=True)
    mime_type = fields.String(required=True)
    size_bytes = fields.Integer(required=True)
    width = fields.Integer(required=True, metadata={"description": "After EXIF orientation"})
    height = fields.Integer(required=True)
    created_at = AwareDateTime(required=True)
    urls = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    provenance = fields.Nested(
        PhotoProvenanceSchema,
        required=True,
        allow_none=True,
        metadata={"description": "Only for the uploader, supervisors and admins; else null"},
    )
