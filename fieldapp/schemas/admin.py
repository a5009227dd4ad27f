"""Admins' management of accounts and devices."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from fieldapp.models import Role
from fieldapp.schemas.workspace import DISTRICT, Instant, PersonSchema

ROLES = [r.value for r in Role]
PASSWORD = validate.Length(min=8, max=256)


class UserQuerySchema(Schema):
    q = fields.String(load_default=None, validate=validate.Length(max=100))
    role = fields.String(load_default=None, validate=validate.OneOf(ROLES))
    active = fields.Boolean(load_default=None)


class AdminUserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    role = fields.String(metadata={"enum": ROLES})
    district_codes = fields.List(fields.String())
    active = fields.Boolean()
    created_at = Instant()
    device_count = fields.Integer(metadata={"description": "Devices not revoked."})
    last_seen_at = Instant(allow_none=True)


class NewUserSchema(Schema):
    class Meta:
        unknown = RAISE

    username = fields.String(
        required=True,
        validate=[
            validate.Length(min=2, max=80),
            validate.Regexp(r"^[A-Za-z0-9._-]+$", error="Letters, digits, . _ - only."),
        ],
    )
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    district_codes = fields.List(
        fields.String(validate=DISTRICT), load_default=list, validate=validate.Length(max=20)
    )
    password = fields.String(required=True, load_only=True, validate=PASSWORD)


class UserChangeSchema(Schema):
    class Meta:
        unknown = RAISE

    display_name = fields.String(validate=validate.Length(min=1, max=200))
    role = fields.String(validate=validate.OneOf(ROLES))
    district_codes = fields.List(fields.String(validate=DISTRICT), validate=validate.Length(max=20))
    active = fields.Boolean()


class PasswordSchema(Schema):
    class Meta:
        unknown = RAISE

    password = fields.String(required=True, load_only=True, validate=PASSWORD)


class DeviceQuerySchema(Schema):
    user = fields.Integer(load_default=None, validate=validate.Range(min=1))


class AdminDeviceSchema(Schema):
    id = fields.String()
    user = fields.Nested(PersonSchema)
    name = fields.String()
    created_at = Instant()
    last_seen_at = Instant(allow_none=True)
    revoked_at = Instant(allow_none=True)
