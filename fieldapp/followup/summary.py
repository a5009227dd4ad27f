"""The home screen's numbers: what waits for this user today."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select

from fieldapp.auth.access import Permission
from fieldapp.auth.visibility import record_filter
from fieldapp.followup.queue import CONCERNS, OPEN, overdue_clause
from fieldapp.models import Inspection
from fieldapp.models.records import ReviewStatus
from sync import Actor

INSPECTIONS = Inspection.__table__


def _count(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def home_summary(session: Any, actor: Actor, today: date) -> dict[str, Any]:
    """Counts over what the user sees (fieldapp/auth/visibility.py), two queries in all."""
    c = CONCERNS.c
    mine = c.assignee_id == actor.user_id
    late = overdue_clause(today)
    concerns = session.execute(
        select(
            _count(late),
            _count(c.status == "new"),
            _count(and_(mine, c.status.in_(OPEN))),
            _count(and_(mine, late)),
        ).where(record_filter(actor, "concern", CONCERNS), c.deleted.is_(False))
    ).one()
    i = INSPECTIONS.c
    reviewer = actor.may(Permission.SUPERVISE)
    inspections = session.execute(
        select(
            _count(
                and_(
                    i.created_by_id == actor.user_id,
                    i.review_status == ReviewStatus.REINSPECTION_REQUESTED,
                )
            ),
            _count(
                and_(
                    i.created_by_id != actor.user_id,
                    i.review_status == ReviewStatus.PENDING,
                )
            ),
        ).where(record_filter(actor, "inspection", INSPECTIONS), i.deleted.is_(False))
    ).one()
    return {
        "role": actor.role,
        "overdue": int(concerns[0]),
        "new": int(concerns[1]),
        "assigned_to_me": int(concerns[2]),
        "assigned_to_me_overdue": int(concerns[3]),
        "reinspections_requested": int(inspections[0]),
        "inspections_to_review": int(inspections[1]) if reviewer else 0,
    }
