"""Change-feed upkeep beyond plain record writes: touches, reference data, compaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Select, delete, func, null, select, update

from fieldapp.changefeed import ChangeRef, current_sequence, record_changes
from fieldapp.extensions import db
from fieldapp.models import Category, Change, ChangeCounter, ChecklistTemplate
from fieldapp.syncstore.tables import MODELS, table

HORIZON_ROW = 2


def _scope_columns(entity: str) -> Select:
    """id and the feed's scope columns (district, owner, assignee) of a record table. A
    follow-up carries its concern's scope (fieldapp/auth/visibility.py)."""
    t = table(entity)
    if entity == "followup":
        concern = table("concern")
        return select(
            t.c.id, concern.c.district_code, concern.c.created_by_id, concern.c.assignee_id
        ).join(concern, concern.c.id == t.c.concern_id)
    assignee = t.c.assignee_id if entity == "concern" else null()
    return select(t.c.id, t.c.district_code, t.c.created_by_id, assignee)


def refs_for(keys: Iterable[tuple[str, str]]) -> list[ChangeRef]:
    """Feed entries for synced records as they are now (scope read from their rows)."""
    by_entity: dict[str, set[str]] = defaultdict(set)
    for entity, record_id in keys:
        if entity in MODELS:
            by_entity[entity].add(record_id)
    refs = []
    for entity, ids in sorted(by_entity.items()):
        t = table(entity)
        rows = db.session.execute(_scope_columns(entity).where(t.c.id.in_(sorted(ids))))
        refs.extend(ChangeRef(entity, *row) for row in rows)
    return refs


def concern_scopes(concern_ids: Iterable[str]) -> dict[str, tuple[str | None, int, int | None]]:
    """Concern id -> (district, author, assignee): the scope its follow-ups carry."""
    t = table("concern")
    rows = db.session.execute(_scope_columns("concern").where(t.c.id.in_(sorted(concern_ids))))
    return {row[0]: tuple(row[1:]) for row in rows}


def touch_records(keys: Iterable[tuple[str, str]]) -> list[int]:
    """Something shown with a record changed (photos, conflicts): devices pull it again."""
    return record_changes(refs_for(keys))


def publish_reference_data() -> int:
    """Put every category and checklist template in the feed once (province-wide: no
    district), so a first pull delivers them like any other change. Idempotent."""
    c = Change.__table__.c
    published = {
        (entity, record_id)
        for entity, record_id in db.session.execute(
            select(c.entity, c.record_id).where(c.entity.in_(("category", "template")))
        )
    }
    refs = [
        ChangeRef("category", code)
        for code in db.session.scalars(select(Category.code).order_by(Category.position))
        if ("category", code) not in published
    ]
    refs += [
        ChangeRef("template", str(template_id))
        for template_id in db.session.scalars(
            select(ChecklistTemplate.id).order_by(ChecklistTemplate.id)
        )
        if ("template", str(template_id)) not in published
    ]
    record_changes(refs)
    return len(refs)


def compaction_horizon() -> int:
    row = db.session.get(ChangeCounter, HORIZON_ROW)
    return row.value if row else 0


def compact_feed(before_seq: int | None = None) -> tuple[int, int]:
    """Drop feed entries a later entry for the same record supersedes, below `before_seq`
    (default: the current sequence). Returns (rows removed, new horizon).

    Every record keeps its latest entry, so a full pull from 0 still sees everything; only a
    device holding a cursor below the horizon may have missed a superseded tombstone or scope
    change, and is told to reset."""
    upto = current_sequence() if before_seq is None else min(before_seq, current_sequence())
    t = Change.__table__
    latest = (
        select(t.c.entity, t.c.record_id, func.max(t.c.seq).label("seq"))
        .group_by(t.c.entity, t.c.record_id)
        .subquery()
    )
    keep = select(latest.c.seq)
    removed = db.session.execute(delete(t).where(t.c.seq <= upto, t.c.seq.not_in(keep))).rowcount
    if db.session.get(ChangeCounter, HORIZON_ROW) is None:
        db.session.add(ChangeCounter(id=HORIZON_ROW, value=0))
        db.session.flush()
    horizon = max(compaction_horizon(), upto)
    db.session.execute(
        update(ChangeCounter).where(ChangeCounter.id == HORIZON_ROW).values(value=horizon)
    )
    return removed or 0, horizon
