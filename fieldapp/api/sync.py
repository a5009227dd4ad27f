"""The sync protocol (docs/sync-protocol.md): push, pull, quarantine and conflicts."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_smorest import Blueprint
from marshmallow import ValidationError

from fieldapp.api.body import json_body, json_response
from fieldapp.auth import Permission, current_device, current_user, require
from fieldapp.auth.visibility import actor_for
from fieldapp.errors import ApiProblem
from fieldapp.extensions import db
from fieldapp.schemas.answers import (
    ConflictSchema,
    PullResultSchema,
    PushResultSchema,
    QuarantineSchema,
    ReapplyResultSchema,
)
from fieldapp.schemas.messages import field_paths
from fieldapp.schemas.sync import (
    ConflictQuerySchema,
    NoteSchema,
    PullQuerySchema,
    PushRequestSchema,
    QuarantineQuerySchema,
    ReapplySchema,
)
from fieldapp.syncstore import quarantine
from fieldapp.syncstore.envelope import mutation_from_envelope
from fieldapp.syncstore.pull import Reader, pull_changes
from fieldapp.syncstore.push import push_mutations, viewer_for

blp = Blueprint("sync", __name__, url_prefix="/api/sync", description="Offline sync")

_push_schema = PushRequestSchema()
_pull_query = PullQuerySchema()


def _invalid_request(exc: ValidationError) -> ApiProblem:
    return ApiProblem.invalid(
        400,
        "Bad Request",
        "The push is malformed; nothing was applied. See errors.",
        code="sync.invalid_request",
        messages=field_paths(exc.messages, root="_body"),
    )


@blp.route("/push", methods=["POST"])
@require(Permission.RECORD)
@blp.doc(
    requestBody={
        "required": True,
        "content": {"application/json": {"schema": PushRequestSchema}},
    },
    parameters=[
        {
            "in": "header",
            "name": "Content-Encoding",
            "description": "gzip: the body is gzipped (limits count the decoded bytes)",
            "schema": {"type": "string", "enum": ["gzip", "identity"]},
        }
    ],
)
@blp.response(200, PushResultSchema)
def push():
    """Apply a device's outbox batch: one outcome per mutation, each applied exactly once."""
    body = json_body()
    limit = current_app.config["SYNC_MAX_MUTATIONS"]
    mutations = body.get("mutations") if isinstance(body, dict) else None
    if isinstance(mutations, list) and len(mutations) > limit:
        raise ApiProblem(
            413,
            "Payload Too Large",
            f"A push may carry at most {limit} mutations (SYNC_MAX_MUTATIONS); "
            f"this one has {len(mutations)}.",
            code="sync.too_many_mutations",
            limit=limit,
        )
    try:
        loaded = _push_schema.load(body if isinstance(body, dict) else {})
    except ValidationError as exc:
        raise _invalid_request(exc) from exc
    device = current_device()
    if loaded["device_id"] != device.id:
        raise ApiProblem(
            403,
            "Forbidden",
            "device_id is not the device this token was issued to.",
            code="sync.device_mismatch",
        )
    batch = [
        mutation_from_envelope(envelope, raw)
        for envelope, raw in zip(loaded["mutations"], body["mutations"], strict=True)
    ]
    results = push_mutations(batch, actor_for(current_user(), device.id))
    return json_response({"results": results})


@blp.route("/pull")
@require(Permission.RECORD)
@blp.doc(
    parameters=[
        {"in": "query", "name": "cursor", "schema": {"type": "string", "default": "0"}},
        {"in": "query", "name": "limit", "schema": {"type": "integer", "default": 500}},
    ]
)
@blp.response(200, PullResultSchema)
def pull():
    """The changes after `cursor` this user may see, one consistent snapshot per page."""
    try:
        query = _pull_query.load(request.args.to_dict())
    except ValidationError as exc:
        raise ApiProblem.invalid(
            400,
            "Bad Request",
            "cursor must be a cursor this server gave, limit a positive integer.",
            code="sync.invalid_cursor",
            messages=field_paths(exc.messages, root="_body"),
        ) from exc
    cursor, limit = query["cursor"], min(query["limit"], current_app.config["SYNC_MAX_PULL"])
    actor = actor_for(current_user(), current_device().id)
    page = pull_changes(Reader(actor, viewer_for(actor)), int(cursor), limit)
    return json_response(page)


@blp.route("/rejections")
@require(Permission.RECORD)
@blp.arguments(QuarantineQuerySchema, location="query", as_kwargs=True)
@blp.response(200, QuarantineSchema(many=True))
def rejections(state: str, limit: int, **_: Any):
    """This device's quarantined mutations."""
    return quarantine.device_rejections(current_device().id, state, limit)


@blp.route("/quarantine")
@require(Permission.SUPERVISE)
@blp.arguments(QuarantineQuerySchema, location="query")
@blp.response(200, QuarantineSchema(many=True))
def list_quarantine(query: dict[str, Any]):
    """Quarantined mutations in your districts (admins: all)."""
    actor = actor_for(current_user(), current_device().id)
    return db.session.scalars(quarantine.scoped_quarantine(actor, query)).all()


@blp.route("/quarantine/<int:entry_id>/reapply", methods=["POST"])
@require(Permission.RESOLVE_QUARANTINE)
@blp.arguments(ReapplySchema)
@blp.response(200, ReapplyResultSchema)
def reapply(fixes: dict[str, Any], entry_id: int):
    """Re-apply a quarantined mutation, optionally with fixed fields or transition."""
    return quarantine.reapply(entry_id, fixes, current_user())


@blp.route("/quarantine/<int:entry_id>/dismiss", methods=["POST"])
@require(Permission.RESOLVE_QUARANTINE)
@blp.arguments(NoteSchema)
@blp.response(200, QuarantineSchema)
def dismiss(data: dict[str, Any], entry_id: int):
    """Dismiss a quarantined mutation; it stays on record with who dismissed it."""
    return quarantine.dismiss(entry_id, data["note"], current_user())


@blp.route("/conflicts")
@require(Permission.SUPERVISE)
@blp.arguments(ConflictQuerySchema, location="query")
@blp.response(200, ConflictSchema(many=True))
def list_conflicts(query: dict[str, Any]):
    """Fields edited twice, with the value that was replaced."""
    actor = actor_for(current_user(), current_device().id)
    return db.session.scalars(quarantine.scoped_conflicts(actor, query)).all()


@blp.route("/conflicts/<int:conflict_id>/resolve", methods=["POST"])
@require(Permission.SUPERVISE)
@blp.arguments(NoteSchema)
@blp.response(200, ConflictSchema)
def resolve_conflict(data: dict[str, Any], conflict_id: int):
    """Mark a conflict as looked at."""
    actor = actor_for(current_user(), current_device().id)
    return quarantine.resolve_conflict(conflict_id, data["note"], actor)
