"""The change feed: every write to a synced record gets the next sequence number.

The counter row is incremented with UPDATE … RETURNING inside the writing transaction. Its
row lock is held until commit, so on PostgreSQL a later sequence number can never become
visible before an earlier one: a pull cursor never skips (docs/architecture.md, invariant 4).
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import insert, text

from fieldapp.extensions import db
from fieldapp.models import Change, ChangeCounter
from fieldapp.models.base import utcnow


class ChangeRef(NamedTuple):
    """What the feed needs to know about a written record to scope it for pull.

    A named tuple: a push makes one per record, and a frozen dataclass costs five times more."""

    entity: str
    record_id: str
    district_code: str | None = None
    owner_id: int | None = None
    assignee_id: int | None = None


def ensure_counter() -> None:
    if db.session.get(ChangeCounter, 1) is None:
        db.session.add(ChangeCounter(id=1, value=0))
        db.session.flush()


def reserve_sequence(count: int) -> int:
    """Reserve `count` sequence numbers; returns the last. Serialises writers until commit."""
    last = db.session.execute(
        text("UPDATE change_counter SET value = value + :n WHERE id = 1 RETURNING value"),
        {"n": count},
    ).scalar_one_or_none()
    if last is None:
        ensure_counter()
        return reserve_sequence(count)
    return int(last)


def record_changes(refs: list[ChangeRef]) -> list[int]:
    """Append the refs to the feed in order; returns their sequence numbers."""
    if not refs:
        return []
    last = reserve_sequence(len(refs))
    first = last - len(refs) + 1
    now = utcnow()
    rows = [
        {
            "seq": first + i,
            "entity": ref.entity,
            "record_id": ref.record_id,
            "district_code": ref.district_code,
            "owner_id": ref.owner_id,
            "assignee_id": ref.assignee_id,
            "created_at": now,
        }
        for i, ref in enumerate(refs)
    ]
    db.session.connection().execute(insert(Change.__table__), rows)
    return [row["seq"] for row in rows]


def current_sequence() -> int:
    counter = db.session.get(ChangeCounter, 1)
    return counter.value if counter else 0
