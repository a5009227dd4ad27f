"""A supervisor's review of an inspection: approve it, or send it back for re-inspection.

Written as a server change (fieldapp/syncstore/serverwrite.py): the inspection gets a new
version and a change-feed entry, so its author's phone receives the review by pull; audited.
Never commits: the request does."""

from __future__ import annotations

from datetime import datetime

from fieldapp.auth.visibility import may_review, scope_of
from fieldapp.extensions import db
from fieldapp.models import Inspection, record_audit
from fieldapp.models.records import ReviewStatus
from fieldapp.syncstore.serverwrite import ServerWrite, write_server_changes
from sync import Actor

APPROVE, REQUEST_REINSPECTION = "approve", "request_reinspection"
REVIEW_ACTIONS = (APPROVE, REQUEST_REINSPECTION)


class ReviewRefused(Exception):
    """The user may not review this inspection."""


def review_changes(action: str, note: str, reviewer_id: int, now: datetime) -> dict[str, object]:
    """The inspection's fields after the review."""
    if action == APPROVE:
        return {
            "review_status": ReviewStatus.APPROVED.value,
            "review_note": note or None,
            "approved_by_id": reviewer_id,
            "approved_at": now,
        }
    return {
        "review_status": ReviewStatus.REINSPECTION_REQUESTED.value,
        "review_note": note,
        "approved_by_id": None,
        "approved_at": None,
    }


def review_inspection(
    inspection: Inspection, action: str, note: str, actor: Actor, now: datetime
) -> None:
    if not may_review(actor, scope_of("inspection", inspection)):
        raise ReviewRefused("Only a supervisor of its district reviews it, never its author.")
    changes = review_changes(action, note, actor.user_id, now)
    work = ServerWrite(updates={("inspection", inspection.id): changes}, action=action)
    write_server_changes(work, actor.user_id, now)
    record_audit(
        "inspection.review",
        actor.user_id,
        "inspection",
        inspection.id,
        review=action,
        review_status=changes["review_status"],
        note=note,
    )
    db.session.expire(inspection)
