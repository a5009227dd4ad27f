"""The dashboard, the exports and the publishable flag on photos (supervisors and admins)."""

from __future__ import annotations

from typing import Any

from flask import Response, stream_with_context
from flask_smorest import Blueprint

from fieldapp import clock
from fieldapp.api.body import json_response
from fieldapp.auth import Permission, current_device, current_user, require
from fieldapp.auth.visibility import actor_for, record_filter
from fieldapp.errors import ApiProblem
from fieldapp.extensions import db
from fieldapp.followup.queue import QueueFilter
from fieldapp.models import record_audit
from fieldapp.reports.dashboard import dashboard
from fieldapp.reports.exports import (
    FORMATS,
    ExportRequest,
    concern_only_filters,
    export_chunks,
    export_query,
    scope_summary,
)
from fieldapp.reports.filters import ReportFilter
from fieldapp.reports.publishing import PublishRefused, set_photo_publishable
from fieldapp.reports.sqltime import bangkok_today
from fieldapp.schemas.messages import coded
from fieldapp.schemas.reports import ExportQuerySchema, PublishableBody, ReportQuerySchema

blp = Blueprint(
    "reports", __name__, url_prefix="/api", description="Dashboard, exports, publishing"
)


def _actor():
    return actor_for(current_user(), current_device().id)


@blp.route("/reports/dashboard")
@require(Permission.SUPERVISE)
@blp.arguments(ReportQuerySchema, location="query")
@blp.response(200, content_type="application/json")
def dashboard_figures(args: dict[str, Any]) -> Response:
    """Concern figures per district and category, monthly activity, Clean & Tidy scores,
    over the concerns you see (supervisors: your districts; admins: the province)."""
    actor = _actor()

    def scope(entity: str, table: Any):
        return record_filter(actor, entity, table)

    return json_response(dashboard(scope, ReportFilter.from_args(args), bangkok_today()))


@blp.route("/exports/<any(concerns, visits, inspections):entity>")
@require(Permission.SUPERVISE)
@blp.arguments(ExportQuerySchema, location="query")
@blp.response(200, content_type="text/csv")
def export(args: dict[str, Any], entity: str) -> Response:
    """Concerns, visits or inspections you see as CSV (UTF-8 with BOM), XLSX or GeoJSON,
    streamed, filtered like the queue (GET /api/concerns: same names, same meaning; visits and
    inspections take its place filters) and by a period. `personal=true` adds reporter names
    and phones (your role must allow it; the export is then audited)."""
    actor = _actor()
    request = ExportRequest(
        entity,
        args["format"],
        QueueFilter.from_args(args),
        args["start"],
        args["end"],
        args["personal"],
        clock.today(),
        db.session.get_bind().dialect.name,
    )
    if entity != "concerns" and (names := concern_only_filters(request.wanted)):
        raise ApiProblem.invalid(
            422,
            "Unprocessable Content",
            "Only concerns have these filters.",
            code="request.invalid",
            messages={n: [coded("Applies to concerns only.", "concerns_only")] for n in names},
        )
    if request.personal:
        if entity != "concerns":
            raise ApiProblem(
                422,
                "Invalid input",
                "Only concerns carry personal data.",
                code="export.personal_not_applicable",
            )
        if not actor.may(Permission.SEE_PERSONAL_DATA):
            raise ApiProblem(
                403,
                "Forbidden",
                "Your role may not export reporter names and phones.",
                code="export.personal_forbidden",
            )
        record_audit(
            "export.personal_data", actor.user_id, "concern", None, **scope_summary(request)
        )
    query = export_query(actor, request)
    filename = f"{entity}.{request.fmt}"
    response = Response(
        stream_with_context(export_chunks(query, request)), mimetype=FORMATS[request.fmt]
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/concerns/<uuid:concern_id>/photos/<sha256>/publishable", methods=["PUT"])
@require(Permission.SUPERVISE)
@blp.arguments(PublishableBody)
@blp.response(200, content_type="application/json")
def publishable(args: dict[str, Any], concern_id: Any, sha256: str) -> Response:
    """Show (or stop showing) this photo of the concern on the public page (its thumbnail
    and display size only, never the original)."""
    try:
        changed = set_photo_publishable(_actor(), str(concern_id), sha256, args["publishable"])
    except PublishRefused as exc:
        if exc.reason == "forbidden":
            raise ApiProblem(
                403,
                "Forbidden",
                "Only a supervisor of the concern's district may.",
                code="photo.publish_forbidden",
            ) from None
        raise ApiProblem(
            404, "Not Found", "The concern names no such photo.", code="photo.not_found"
        ) from None
    return json_response({"publishable": args["publishable"], "links": changed})
