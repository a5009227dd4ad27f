"""Login, the signed-in user and their devices."""

from marshmallow import Schema, fields, validate

from fieldapp.schemas.messages import CodedSchema


class LoginSchema(CodedSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))
    device_name = fields.String(load_default="", validate=validate.Length(max=200))


class UserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    district_codes = fields.List(fields.String())


class LoginResultSchema(Schema):
    token = fields.String(metadata={"description": "Bearer token; shown only once."})
    device_id = fields.String()
    user = fields.Nested(UserSchema)


class DeviceSchema(Schema):
    id = fields.String()
    name = fields.String()
    user_id = fields.Integer()
    created_at = fields.DateTime()
    last_seen_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
