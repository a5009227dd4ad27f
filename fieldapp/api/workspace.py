"""The supervisors' workspace beside the queue: who a concern may go to, the home screen's
numbers, and service levels."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import ValidationError

from fieldapp import clock
from fieldapp.api.body import json_body
from fieldapp.auth import Permission, current_device, current_user, require
from fieldapp.auth.visibility import actor_for, eligible_assignees, supervises
from fieldapp.errors import ApiProblem
from fieldapp.extensions import db
from fieldapp.followup import servicelevels, views
from fieldapp.followup.summary import home_summary
from fieldapp.schemas.workspace import (
    AssignableQuerySchema,
    AssignableUserSchema,
    HomeSummarySchema,
    ServiceLevelSchema,
)

blp = Blueprint("workspace", __name__, url_prefix="/api", description="Supervisors' workspace")

_levels_body = ServiceLevelSchema(many=True)


def _actor():
    return actor_for(current_user(), current_device().id)


@blp.route("/users/assignable")
@require(Permission.RECORD)
@blp.arguments(AssignableQuerySchema, location="query")
@blp.response(200, AssignableUserSchema(many=True))
def assignable_users(args: dict[str, Any]):
    """Active officials and supervisors a concern may be assigned to (its district's); you
    must supervise that district."""
    actor = _actor()
    concern = views.visible_concern(str(args["concern"]), actor)
    if concern is None:
        raise ApiProblem(404, "Not Found", "No such concern.", code="concern.not_found")
    if not supervises(actor, concern.district_code):
        raise ApiProblem(
            403, "Forbidden", "Only its district's supervisors assign it.", code="auth.forbidden"
        )
    return db.session.scalars(eligible_assignees(concern.district_code)).unique().all()


@blp.route("/me/summary")
@require(Permission.RECORD)
@blp.response(200, HomeSummarySchema)
def my_summary():
    """What waits for you today: overdue, new, assigned to you, inspections to review."""
    return home_summary(db.session, _actor(), clock.today())


@blp.route("/service-levels")
@require(Permission.RECORD)
@blp.response(200, ServiceLevelSchema(many=True))
def list_service_levels():
    """Days to resolve a concern, per category and urgency."""
    return servicelevels.service_levels()


@blp.route("/service-levels", methods=["PUT"])
@require(Permission.ADMINISTER)
@blp.doc(
    requestBody={
        "required": True,
        "content": {"application/json": {"schema": ServiceLevelSchema(many=True)}},
    }
)
@blp.response(200, ServiceLevelSchema(many=True))
def put_service_levels():
    """Set the days of the levels sent (others stay); admins; audited."""
    try:
        levels = _levels_body.load(json_body())
    except ValidationError as exc:
        raise ApiProblem(
            422,
            "Unprocessable Content",
            "One or more fields are invalid; see errors.",
            code="request.invalid",
            errors=exc.normalized_messages(),
        ) from exc
    try:
        return servicelevels.set_service_levels(
            [servicelevels.Level(**level) for level in levels], current_user().id
        )
    except servicelevels.UnknownCategories as exc:
        errors = {str(i): {"category_code": ["Unknown category."]} for i in exc.positions}
        raise ApiProblem(
            422,
            "Unprocessable Content",
            "Unknown categories.",
            code="request.invalid",
            errors=errors,
        ) from exc
