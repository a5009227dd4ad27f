"""Escalating overdue concerns (`flask escalate-overdue`): a level and a timeline entry each.

The entries are written as server changes (fieldapp/syncstore/serverwrite.py): the concern
gets a new version, the follow-up entry and the concern enter the change feed, and devices
receive both by pull. Never commits: the command does.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.followup.escalation import Escalation, escalations
from fieldapp.followup.queue import CONCERNS, overdue_clause
from fieldapp.models import Role, User, record_audit
from fieldapp.syncstore.serverwrite import ServerWrite, write_server_changes

# Entry ids derive from the concern and the level: a level is written once, whoever runs it.
ESCALATION_NAMESPACE = uuid.UUID("5d1c7f0e-2b64-4f0a-9d55-8e0a3c2f61b7")


def escalation_entry_id(concern_id: str, level: int) -> str:
    return str(uuid.uuid5(ESCALATION_NAMESPACE, f"{concern_id}/{level}"))


def province_admins() -> list[dict[str, object]]:
    rows = db.session.execute(
        select(User.id, User.display_name)
        .where(User.role == Role.ADMIN, User.active.is_(True))
        .order_by(User.id)
    )
    return [{"id": user_id, "display_name": name} for user_id, name in rows]


def escalate_overdue(today: date, now: datetime, schedule: tuple[int, ...]) -> list[Escalation]:
    """Raise the level of every open concern past its due date as far as `schedule` says."""
    c = CONCERNS.c
    rows = db.session.execute(
        select(c.id, c.due_date, c.escalation_level, c.district_code)
        .where(c.deleted.is_(False), overdue_clause(today))
        .order_by(c.due_date, c.id)
    ).all()
    facts = {row.id: row for row in rows}
    raised = escalations([(r.id, r.due_date, r.escalation_level) for r in rows], today, schedule)
    if not raised:
        return []
    admins = province_admins()
    work = ServerWrite(action="escalate")
    for step in raised:
        row = facts[step.concern_id]
        entry_id = escalation_entry_id(step.concern_id, step.to_level)
        work.updates[("concern", step.concern_id)] = {"escalation_level": step.to_level}
        data = {
            "level": step.to_level,
            "from_level": step.from_level,
            "due_date": row.due_date.isoformat(),
            "days_overdue": (today - row.due_date).days,
            "notify": admins,
        }
        values = {"concern_id": step.concern_id, "district_code": row.district_code}
        work.creates.append(("followup", entry_id, {**values, "kind": "escalation", "data": data}))
        record_audit(
            "concern.escalate",
            None,
            "concern",
            step.concern_id,
            level=step.to_level,
            from_level=step.from_level,
            followup_id=entry_id,
        )
    write_server_changes(work, None, now)
    return raised
