"""Login, the signed-in user and their devices."""

from marshmallow import Schema, fields, validate

from fieldapp.schemas.common import AwareDateTime
from fieldapp.schemas.messages import CodedSchema


class LoginSchema(CodedSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    device_name = fields.String(load_default="", validate=validate.Length(max=200))


class UserSchema(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    role = fields.String(required=True, metadata={"enum": ["official", "supervisor", "admin"]})
    district_codes = fields.List(
        fields.String(), required=True, metadata={"description": "empty for province-wide"}
    )


class LoginResultSchema(Schema):
    token = fields.String(required=True, metadata={"description": "Bearer token; shown once."})
    device_id = fields.String(
        required=True, metadata={"description": "A new device for every sign-in."}
    )
    user = fields.Nested(UserSchema, required=True)


class DeviceSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    user_id = fields.Integer(required=True)
    created_at = AwareDateTime(required=True)
    last_seen_at = AwareDateTime(required=True, allow_none=True)
    revoked_at = AwareDateTime(required=True, allow_none=True)
