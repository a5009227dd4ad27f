"""Visits and inspections under review (supervisors: their districts; admins: all; officials:
their own), a supervisor's review, and a village's Clean & Tidy history."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from fieldapp.auth import Permission, current_device, current_user, require
from fieldapp.auth.visibility import actor_for, may_see, scope_of
from fieldapp.errors import ApiProblem
from fieldapp.extensions import db
from fieldapp.followup import fieldwork, review
from fieldapp.models import Village
from fieldapp.models.base import utcnow
from fieldapp.schemas.fieldwork import (
    CleanTidyRowSchema,
    FieldworkQuerySchema,
    InspectionDetailSchema,
    InspectionPageSchema,
    InspectionQuerySchema,
    ReviewSchema,
    VisitDetailSchema,
    VisitPageSchema,
)

blp = Blueprint("fieldwork", __name__, url_prefix="/api", description="Visits and inspections")


def _actor():
    return actor_for(current_user(), current_device().id)


def _filter(args: dict[str, Any]) -> fieldwork.FieldworkFilter:
    return fieldwork.FieldworkFilter(
        districts=args["district"],
        villages=tuple(str(v) for v in args["village"]),
        authors=args["author"],
        since=args["from_"],
        until=args["to"],
        text=args["q"] or None,
        review=args.get("review", ()),
        followup_needed=args.get("followup_needed"),
    )


def _page(entity: str, args: dict[str, Any]) -> dict[str, Any]:
    page, per_page = args["page"], args["per_page"]
    items, total = fieldwork.fieldwork_page(entity, _actor(), _filter(args), page, per_page)
    records = list(db.session.scalars(items))
    return {
        "items": fieldwork.fieldwork_lines(entity, records),
        "total": db.session.scalar(total),
        "page": page,
        "per_page": per_page,
    }


def _visible(entity: str, record_id: Any, actor) -> Any:
    record = db.session.get(fieldwork.MODELS[entity], str(record_id))
    if record is None or record.deleted or not may_see(actor, scope_of(entity, record)):
        raise ApiProblem(404, "Not Found", f"No such {entity}.", code=f"{entity}.not_found")
    return record


@blp.route("/visits")
@require(Permission.RECORD)
@blp.arguments(FieldworkQuerySchema, location="query")
@blp.response(200, VisitPageSchema)
def list_visits(args: dict[str, Any]):
    """Visits you see, newest first."""
    return _page("visit", args)


@blp.route("/visits/<uuid:visit_id>")
@require(Permission.RECORD)
@blp.response(200, VisitDetailSchema)
def visit_detail(visit_id: Any):
    """One visit with its village, author and photos."""
    actor = _actor()
    return fieldwork.fieldwork_detail("visit", _visible("visit", visit_id, actor), actor)


@blp.route("/inspections")
@require(Permission.RECORD)
@blp.arguments(InspectionQuerySchema, location="query")
@blp.response(200, InspectionPageSchema)
def list_inspections(args: dict[str, Any]):
    """Inspections you see, newest first, by review state and follow-up needed."""
    return _page("inspection", args)


@blp.route("/inspections/<uuid:inspection_id>")
@require(Permission.RECORD)
@blp.response(200, InspectionDetailSchema)
def inspection_detail(inspection_id: Any):
    """One inspection with its village, author, photos and checklist items with their texts."""
    actor = _actor()
    record = _visible("inspection", inspection_id, actor)
    return fieldwork.fieldwork_detail("inspection", record, actor)


@blp.route("/inspections/<uuid:inspection_id>/review", methods=["POST"])
@require(Permission.SUPERVISE)
@blp.arguments(ReviewSchema)
@blp.response(200, InspectionDetailSchema)
def review_inspection(data: dict[str, Any], inspection_id: Any):
    """Approve an inspection, or ask its author to re-inspect (a note says why); audited,
    and the author's phone receives it by pull."""
    actor = _actor()
    record = _visible("inspection", inspection_id, actor)
    try:
        review.review_inspection(record, data["action"], data["note"], actor, utcnow())
    except review.ReviewRefused as exc:
        raise ApiProblem(403, "Forbidden", str(exc), code="inspection.review_forbidden") from exc
    return fieldwork.fieldwork_detail("inspection", record, actor)


@blp.route("/villages/<uuid:village_id>/clean-tidy")
@require(Permission.RECORD)
@blp.response(200, CleanTidyRowSchema(many=True))
def village_clean_tidy(village_id: Any):
    """A village's Clean & Tidy inspections you see, oldest first, with their percentage."""
    actor = _actor()
    village = db.session.get(Village, str(village_id))
    if village is None or not may_see(actor, scope_of("village", village)):
        raise ApiProblem(404, "Not Found", "No such village.", code="village.not_found")
    return fieldwork.clean_tidy_history(village.id, actor)
