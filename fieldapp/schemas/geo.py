"""The gazetteer as devices and pages see it."""

from marshmallow import Schema, fields, validate

from fieldapp.schemas.messages import CodedSchema


class DistrictSchema(Schema):
    code = fields.String(required=True)
    name_th = fields.String(required=True)
    name_en = fields.String(required=True)


class SubdistrictSchema(Schema):
    code = fields.String(required=True)
    district_code = fields.String(required=True)
    name_th = fields.String(required=True)
    name_en = fields.String(required=True)


class VillageSchema(Schema):
    id = fields.String(required=True)
    subdistrict_code = fields.String(required=True)
    district_code = fields.String(required=True)
    moo = fields.Integer(required=True)
    name_th = fields.String(required=True)
    name_en = fields.String(required=True, allow_none=True)
    version = fields.Integer(required=True)


class VillageQuerySchema(CodedSchema):
    q = fields.String(load_default=None, validate=validate.Length(max=100))
    district = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4}$"))
