"""`GET /api/concerns/<id>/evidence`: the evidence checks of a concern's after-photos."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

RESULTS = ["passed", "failed", "unknown", "pending"]


def _result() -> fields.String:
    return fields.String(required=True, validate=validate.OneOf(RESULTS))


class _Named(Schema):
    # the other concern involved; withheld (null, concern_withheld true) from one who may
    # not see it
    concern_id = fields.String(allow_none=True, required=True)
    concern_withheld = fields.Boolean(required=True)


class TimeCheckSchema(Schema):
    result = _result()
    minutes = fields.Integer(
        allow_none=True,
        required=True,
        metadata={
            "description": "Minutes from the report to the photo (negative: taken before it)."
        },
    )


class DistanceCheckSchema(Schema):
    result = _result()
    metres = fields.Integer(allow_none=True, required=True)
    limit_metres = fields.Integer(allow_none=True, required=True)


class ReuseCheckSchema(_Named):
    result = _result()


class LikenessCheckSchema(_Named):
    result = _result()
    bits = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "Hamming distance of the 64-bit pHashes (0: alike)."},
    )
    sha256 = fields.String(allow_none=True, required=True)
    kind = fields.String(
        allow_none=True, required=True, validate=validate.OneOf(["before_photo", "earlier_photo"])
    )


class PhotoChecksSchema(Schema):
    time = fields.Nested(TimeCheckSchema, required=True)
    distance = fields.Nested(DistanceCheckSchema, required=True)
    reuse = fields.Nested(ReuseCheckSchema, required=True)
    phash = fields.Nested(LikenessCheckSchema, required=True)


class EvidencePhotoSchema(Schema):
    sha256 = fields.String(required=True)
    taken_at = fields.AwareDateTime(allow_none=True, required=True)
    time_source = fields.String(allow_none=True, required=True)
    position_source = fields.String(allow_none=True, required=True)
    checked_at = fields.AwareDateTime(required=True)
    checks = fields.Nested(PhotoChecksSchema, required=True)


class EvidenceSchema(Schema):
    concern_id = fields.String(required=True)
    result = fields.String(allow_none=True, required=True, validate=validate.OneOf(RESULTS))
    max_distance_m = fields.Integer(required=True)
    open_checks = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Checks failed or pending: closing needs an override_reason."},
    )
    photos = fields.List(fields.Nested(EvidencePhotoSchema), required=True)
