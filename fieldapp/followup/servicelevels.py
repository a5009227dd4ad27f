"""Service levels: how many days a concern of each category and urgency has to be resolved.

Accepting or assigning a concern without a due date sets today + these days (the transition
plan does it, fieldapp/followup/transitions.py); admins change them, audited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import Category, ServiceLevel, record_audit
from fieldapp.schemas.records import URGENCIES


class UnknownCategories(Exception):
    """Service levels named categories the province does not have."""

    def __init__(self, positions: dict[int, str]) -> None:
        super().__init__(", ".join(sorted(set(positions.values()))))
        self.positions = positions  # index in the request -> the unknown code


@dataclass(frozen=True)
class Level:
    category_code: str
    urgency: str
    days: int


def service_levels() -> list[Level]:
    """Every level, in the categories' order and from the most urgent down."""
    rows = db.session.execute(
        select(ServiceLevel.category_code, ServiceLevel.urgency, ServiceLevel.days)
        .join(Category, Category.code == ServiceLevel.category_code)
        .order_by(Category.position, Category.code)
    ).all()
    rank = {u: i for i, u in enumerate(reversed(URGENCIES))}
    rows = sorted(rows, key=lambda r: rank.get(r.urgency, len(rank)))
    order = {code: i for i, code in enumerate(dict.fromkeys(r.category_code for r in rows))}
    return [Level(*row) for row in sorted(rows, key=lambda r: order[r.category_code])]


def set_service_levels(levels: list[Level], actor_id: int) -> list[Level]:
    """Set the days of the levels given (others stay); audited with the old and new days."""
    known = set(db.session.scalars(select(Category.code)))
    unknown = {i: lv.category_code for i, lv in enumerate(levels) if lv.category_code not in known}
    if unknown:
        raise UnknownCategories(unknown)
    changed = []
    for level in levels:
        row = db.session.get(ServiceLevel, (level.category_code, level.urgency))
        before = row.days if row else None
        if row is None:
            db.session.add(ServiceLevel(**level.__dict__))
        else:
            row.days = level.days
        if before != level.days:
            changed.append({**level.__dict__, "before": before})
    if changed:
        record_audit("service_levels.update", actor_id, "service_level", None, changes=changed)
    db.session.flush()
    return service_levels()
