"""What the sync routes answer (docs/sync-protocol.md), as OpenAPI documents it.

Push and pull answer through json_response (fieldapp/api/body.py) without dumping; these
schemas are their contract, checked against real answers by tests/api/test_openapi.py.
"""

from __future__ import annotations

from marshmallow import Schema, fields

from fieldapp.schemas.common import AwareDateTime, ErrorCodeSchema, OneOf
from fieldapp.schemas.synced import PULLED_RECORDS, PUSHED_RECORDS, ConcernRecordSchema
from fieldapp.syncstore.tables import PUSHABLE

REJECTION_REASONS = (
    "validation",
    "out_of_scope",
    "forbidden",
    "not_found",
    "deleted",
    "append_only",
    "invalid_base_version",
    "invalid_transition",
    "stale_transition",
    "mutation_id_taken",
)


def _one(*values: str) -> fields.String:
    return fields.String(required=True, metadata={"enum": list(values)})


class ConflictSchema(Schema):
    """A conflict as the conflicts list and its resolve route answer it."""

    id = fields.Integer(required=True)
    entity = _one(*PUSHABLE)
    record_id = fields.String(required=True)
    district_code = fields.String(required=True, allow_none=True)
    field = fields.String(required=True)
    kept_value = fields.Raw(required=True, allow_none=True)
    lost_value = fields.Raw(required=True, allow_none=True)
    kept_mutation_id = fields.String(required=True, allow_none=True)
    lost_mutation_id = fields.String(required=True, allow_none=True)
    kept_by_id = fields.Integer(required=True, allow_none=True)
    lost_by_id = fields.Integer(required=True, allow_none=True)
    state = _one("open", "resolved")
    created_at = AwareDateTime(required=True)


class OutcomeConflictSchema(Schema):
    """A conflict as an outcome names it."""

    id = fields.Integer(required=True, allow_none=True)
    field = fields.String(required=True)
    kept_value = fields.Raw(required=True, allow_none=True)
    lost_value = fields.Raw(required=True, allow_none=True)
    kept_mutation_id = fields.String(required=True, allow_none=True)
    lost_mutation_id = fields.String(required=True, allow_none=True)
    state = _one("open")


class _Outcome(Schema):
    mutation_id = fields.String(required=True)
    entity = _one(*PUSHABLE)
    record_id = fields.String(required=True)


class _Written(_Outcome):
    version = fields.Integer(required=True)
    missing_photos = fields.List(
        fields.String(), required=True, metadata={"description": "SHA-256 still to upload"}
    )


class AppliedOutcomeSchema(_Written):
    status = _one("applied")
    record = OneOf(
        *PUSHED_RECORDS.values(), metadata={"description": "only for an applied transition"}
    )


class MergedOutcomeSchema(_Written):
    status = _one("merged")
    record = OneOf(*PUSHED_RECORDS.values(), required=True)


class ConflictOutcomeSchema(_Written):
    status = _one("conflict")
    conflicts = fields.List(fields.Nested(OutcomeConflictSchema), required=True)
    record = OneOf(*PUSHED_RECORDS.values(), required=True)


class RejectedOutcomeSchema(_Outcome):
    status = _one("rejected")
    reason = _one(*REJECTION_REASONS)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)
    error_codes = fields.List(fields.Nested(ErrorCodeSchema))
    quarantine_id = fields.Integer(required=True, allow_none=True)
    version = fields.Integer()
    reapplied = fields.Boolean(metadata={"description": "an admin re-applied it"})


class StoredOutcomeSchema(Schema):
    """The first outcome of a mutation, as kept for replays (no record, no missing photos)."""

    status = _one("applied", "merged", "conflict", "rejected")
    entity = _one(*PUSHABLE)
    record_id = fields.String(required=True)
    version = fields.Integer()
    conflicts = fields.List(fields.Nested(OutcomeConflictSchema))
    reason = fields.String(metadata={"enum": list(REJECTION_REASONS)})
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    error_codes = fields.List(fields.Nested(ErrorCodeSchema))
    quarantine_id = fields.Integer(allow_none=True)
    reapplied = fields.Boolean(metadata={"description": "an admin re-applied it"})


class DuplicateOutcomeSchema(_Outcome):
    status = _one("duplicate")
    original = fields.Nested(StoredOutcomeSchema, required=True)


OUTCOMES = (
    AppliedOutcomeSchema,
    MergedOutcomeSchema,
    ConflictOutcomeSchema,
    RejectedOutcomeSchema,
    DuplicateOutcomeSchema,
)


class PushResultSchema(Schema):
    results = fields.List(
        OneOf(*OUTCOMES), required=True, metadata={"description": "results[i] answers mutations[i]"}
    )


class TransitionResultSchema(Schema):
    """`POST /api/concerns/<id>/transitions`: the applied transition, with the concern."""

    mutation_id = fields.String(required=True)
    status = _one("applied", "duplicate")
    entity = _one("concern")
    record_id = fields.String(required=True)
    version = fields.Integer()
    missing_photos = fields.List(fields.String())
    record = fields.Nested(ConcernRecordSchema)
    original = fields.Nested(StoredOutcomeSchema)


def _change(entity: str, record: type[Schema]) -> type[Schema]:
    name = f"{entity.capitalize()}Change"
    return Schema.from_dict(
        {
            "seq": fields.Integer(required=True),
            "entity": _one(entity),
            "id": fields.String(required=True, metadata={"description": "the record's id"}),
            "deleted": fields.Boolean(required=True, metadata={"enum": [False]}),
            "record": fields.Nested(record, required=True),
        },
        name=name,
    )


class TombstoneSchema(Schema):
    """A record deleted, or gone out of the user's scope: remove the local copy."""

    seq = fields.Integer(required=True)
    entity = _one(*PULLED_RECORDS)
    id = fields.String(required=True)
    deleted = fields.Boolean(required=True, metadata={"enum": [True]})
    out_of_scope = fields.Boolean(metadata={"enum": [True]})
    record = OneOf(required=True, nullable=True, metadata={"description": "always null"})


CHANGES = (*(_change(e, r) for e, r in PULLED_RECORDS.items()), TombstoneSchema)


class PullResultSchema(Schema):
    cursor = fields.String(required=True, metadata={"description": "opaque; store as is"})
    has_more = fields.Boolean(required=True)
    reset = fields.Boolean(metadata={"enum": [True]})
    reason = fields.String(metadata={"enum": ["cursor_ahead", "cursor_expired"]})
    changes = fields.List(OneOf(*CHANGES), required=True)
    missing_photos = fields.List(
        fields.String(),
        metadata={
            "description": "On the last page: photos your records name that the server "
            "still needs (SHA-256)."
        },
    )


class QuarantineSchema(Schema):
    id = fields.Integer(required=True)
    mutation_id = fields.String(required=True)
    device_id = fields.String(required=True)
    user_id = fields.Integer(required=True)
    district_code = fields.String(required=True, allow_none=True)
    payload = fields.Dict(required=True, metadata={"description": "the mutation as sent"})
    reason = _one(*REJECTION_REASONS)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True)
    error_codes = fields.List(fields.Nested(ErrorCodeSchema))
    state = _one("open", "dismissed", "reapplied")
    resolved_by_id = fields.Integer(required=True, allow_none=True)
    resolved_at = AwareDateTime(required=True, allow_none=True)
    created_at = AwareDateTime(required=True)


class ReapplyResultSchema(Schema):
    quarantine = fields.Nested(QuarantineSchema, required=True)
    outcome = OneOf(*OUTCOMES, required=True)
