"""Concern workflow for supervisors working on the server."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import ValidationError

from fieldapp.api.body import json_body, json_response
from fieldapp.auth import Permission, current_device, current_user, require
from fieldapp.errors import ApiProblem
from fieldapp.schemas.answers import TransitionResultSchema
from fieldapp.schemas.messages import field_paths
from fieldapp.schemas.records import ConcernTransitionBody
from fieldapp.syncstore.workflow import transition_concern

blp = Blueprint("concerns", __name__, url_prefix="/api/concerns", description="Concerns")

_body_schema = ConcernTransitionBody()


@blp.route("/<uuid:concern_id>/transitions", methods=["POST"])
@require(Permission.RECORD)
@blp.doc(
    requestBody={
        "required": True,
        "content": {"application/json": {"schema": ConcernTransitionBody}},
    }
)
@blp.response(200, TransitionResultSchema)
def transition(concern_id: Any):
    """Move a concern through its workflow (supervisors; the assignee may start and resolve)."""
    body = json_body()
    try:
        _body_schema.load(body if isinstance(body, dict) else {})
    except ValidationError as exc:
        raise ApiProblem.invalid(
            422,
            "Unprocessable Content",
            "One or more fields are invalid; see errors.",
            code="concern.validation",
            messages=field_paths(exc.messages),
        ) from exc
    answer = transition_concern(str(concern_id), body, current_user(), current_device().id)
    return json_response(answer)
