"""Concerns for supervisors working on the server: the queue, one concern, its workflow."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import ValidationError

from fieldapp import clock
from fieldapp.api.body import json_body, json_response
from fieldapp.auth import Permission, current_device, current_user, require
from fieldapp.auth.visibility import actor_for
from fieldapp.errors import ApiProblem
from fieldapp.evidence.views import evidence_view
from fieldapp.extensions import db
from fieldapp.followup import queue, views
from fieldapp.reports.publishing import publishing
from fieldapp.schemas.answers import TransitionResultSchema
from fieldapp.schemas.evidence import EvidenceSchema
from fieldapp.schemas.messages import field_paths
from fieldapp.schemas.records import ConcernTransitionBody
from fieldapp.schemas.workspace import (
    ConcernDetailSchema,
    NearbyConcernSchema,
    NearbyQuerySchema,
    QueuePageSchema,
    QueueQuerySchema,
)
from fieldapp.syncstore.workflow import transition_concern

blp = Blueprint("concerns", __name__, url_prefix="/api/concerns", description="Concerns")

_body_schema = ConcernTransitionBody()


def _actor():
    return actor_for(current_user(), current_device().id)


@blp.route("")
@require(Permission.RECORD)
@blp.arguments(QueueQuerySchema, location="query")
@blp.response(200, QueuePageSchema)
def concern_queue(args: dict[str, Any]):
    """The concern queue: supervisors their districts', admins the province's; anyone may
    ask for `assignee=me`."""
    actor = _actor()
    if args["assignee"] != queue.ME and not actor.may(Permission.SUPERVISE):
        raise ApiProblem(
            403,
            "Forbidden",
            "Only supervisors and admins see the queue; ask for assignee=me.",
            code="concern.queue_forbidden",
        )
    wanted, today = queue.QueueFilter.from_args(args), clock.today()
    page, per_page = args["page"], args["per_page"]
    dialect = db.session.get_bind().dialect.name
    counts = queue.counts_from_rows(
        db.session.execute(queue.queue_counts_query(actor, wanted, today, dialect)).all()
    )
    ids = list(db.session.scalars(queue.queue_page(actor, wanted, today, page, per_page, dialect)))
    return {
        "items": views.summaries(queue.page_rows(db.session, ids), today),
        "total": queue.total_of(counts, wanted),
        "page": page,
        "per_page": per_page,
        "counts": counts,
    }


def _visible_or_404(concern_id: Any, actor):
    concern = views.visible_concern(str(concern_id), actor)
    if concern is None:
        raise ApiProblem(404, "Not Found", "No such concern.", code="concern.not_found")
    return concern


@blp.route("/<uuid:concern_id>")
@require(Permission.RECORD)
@blp.response(200, ConcernDetailSchema)
def concern_detail(concern_id: Any):
    """One concern with its timeline, and exactly the steps the server would accept now."""
    actor = _actor()
    concern = _visible_or_404(concern_id, actor)
    detail = views.concern_detail(concern, actor, clock.today())
    return {**detail, **publishing(actor, concern)}  # the public page's photos (issue 14)


@blp.route("/<uuid:concern_id>/nearby")
@require(Permission.RECORD)
@blp.arguments(NearbyQuerySchema, location="query")
@blp.response(200, NearbyConcernSchema(many=True))
def concern_nearby(args: dict[str, Any], concern_id: Any):
    """Concerns you see near this one, nearest first (the map list, mark-duplicate search)."""
    actor = _actor()
    concern = _visible_or_404(concern_id, actor)
    return views.nearby(
        concern, actor, args["radius_m"], args["same_category"], args["open"], clock.today()
    )


@blp.route("/<uuid:concern_id>/evidence")
@require(Permission.RECORD)
@blp.response(200, EvidenceSchema)
def concern_evidence(concern_id: Any):
    """The evidence checks of the concern's after-photos, with their figures."""
    actor = _actor()
    view = evidence_view(_visible_or_404(concern_id, actor), actor)
    if view is None:
        raise ApiProblem(404, "Not Found", "No such concern.", code="concern.not_found")
    return view


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
