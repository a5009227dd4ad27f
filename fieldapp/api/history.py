"""A synced record's history, for supervisors (docs/sync-protocol.md, Record history)."""

from typing import Any

from flask_smorest import Blueprint

from fieldapp.auth import Permission, current_device, current_user, require
from fieldapp.auth.visibility import actor_for
from fieldapp.errors import ApiProblem
from fieldapp.schemas.history import RecordHistorySchema
from fieldapp.syncstore.history import readable_history

blp = Blueprint("history", __name__, url_prefix="/api/records", description="Record history")


@blp.route("/<string:entity>/<uuid:record_id>/history")
@require(Permission.SUPERVISE)
@blp.response(200, RecordHistorySchema)
def record_history(entity: str, record_id: Any):
    """Every applied write of the record, oldest first: per field the value before and after,
    who, from which device, by which mutation, when (supervisors of its district, admins)."""
    actor = actor_for(current_user(), current_device().id)
    items = readable_history(entity, str(record_id), actor)
    if items is None:
        raise ApiProblem(404, "Not Found", "No such record.", code="history.not_found")
    return {"entity": entity, "record_id": str(record_id), "items": items}
