"""The gazetteer as devices and pages see it."""

from marshmallow import Schema, fields, validate

from fieldapp.schemas.messages import CodedSchema


class DistrictSchema(Schema):
    code = fields.String()
    name_th = fields.String()
    name_en = fields.String()


class SubdistrictSchema(Schema):
    code = fields.String()
    district_code = fields.String()
    name_th = fields.String()
    name_en = fields.String()


class VillageSchema(Schema):
    id = fields.String()
    subdistrict_code = fields.String()
    district_code = fields.String()
    moo = fields.Integer()
    name_th = fields.String()
    name_en = fields.String(allow_none=True)
    version = fields.Integer()


class VillageQuerySchema(CodedSchema):
    q = fields.String(load_default=None, validate=validate.Length(max=100))
    district = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4}$"))
