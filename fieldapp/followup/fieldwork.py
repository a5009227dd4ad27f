"""Visits and inspections as supervisors review them: lists (SQL, scoped by visibility),
one record with its village, author, photos and checklist texts, and a village's Clean & Tidy
history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from fieldapp.auth.visibility import may_review, record_filter, scope_of
from fieldapp.clock import BANGKOK
from fieldapp.extensions import db
from fieldapp.followup.views import people, village_json
from fieldapp.models import ChecklistTemplate, Inspection, Village, Visit
from fieldapp.syncstore.push import viewer_for
from fieldapp.syncstore.render import load_attachments, record_json
from fieldapp.syncstore.tables import table
from sync import Actor

MODELS = {"visit": Visit, "inspection": Inspection}
WHEN = {"visit": "visited_at", "inspection": "inspected_at"}
TEXT = {"visit": "notes", "inspection": "place_name"}


@dataclass(frozen=True)
class FieldworkFilter:
    districts: tuple[str, ...] = ()
    villages: tuple[str, ...] = ()
    authors: tuple[int, ...] = ()
    since: date | None = None  # inclusive, a day in Asia/Bangkok
    until: date | None = None  # inclusive
    text: str | None = None
    review: tuple[str, ...] = ()  # inspections only
    followup_needed: bool | None = None  # inspections only


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, BANGKOK)


def fieldwork_clauses(entity: str, actor: Actor, wanted: FieldworkFilter) -> list[Any]:
    model = MODELS[entity]
    c = model.__table__.c
    when = c[WHEN[entity]]
    clauses = [record_filter(actor, entity, model.__table__), c.deleted.is_(False)]
    for column, values in (
        (c.district_code, wanted.districts),
        (c.village_id, wanted.villages),
        (c.created_by_id, wanted.authors),
    ):
        if values:
            clauses.append(column.in_(values))
    if wanted.since:
        clauses.append(when >= _day_start(wanted.since))
    if wanted.until:
        clauses.append(when < _day_start(wanted.until + timedelta(days=1)))
    if wanted.text:
        escaped = wanted.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        clauses.append(c[TEXT[entity]].ilike(pattern, escape="\\") | c.notes.ilike(pattern, "\\"))
    if entity == "inspection":
        if wanted.review:
            clauses.append(c.review_status.in_(wanted.review))
        if wanted.followup_needed is not None:
            clauses.append(c.followup_needed.is_(wanted.followup_needed))
    return clauses


def fieldwork_page(
    entity: str, actor: Actor, wanted: FieldworkFilter, page: int, per_page: int
) -> tuple[Select, Select]:
    """(the page, newest first; the total) as selects."""
    model = MODELS[entity]
    c = model.__table__.c
    clauses = fieldwork_clauses(entity, actor, wanted)
    items = (
        select(model)
        .where(*clauses)
        .order_by(c[WHEN[entity]].desc(), c.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return items, select(func.count()).select_from(model).where(*clauses)


def _villages(records: list[Any]) -> dict[str, Village]:
    ids = sorted({r.village_id for r in records})
    if not ids:
        return {}
    return {v.id: v for v in db.session.scalars(select(Village).where(Village.id.in_(ids)))}


def fieldwork_lines(entity: str, records: list[Any]) -> list[dict[str, Any]]:
    """List lines: the record's own columns with its village and author named."""
    villages = _villages(records)
    names = people(
        [r.created_by_id for r in records] + [getattr(r, "approved_by_id", None) for r in records]
    )
    columns = [col.name for col in MODELS[entity].__table__.columns]
    out = []
    for record in records:
        line = {name: getattr(record, name) for name in columns}
        line["village"] = village_json(villages.get(record.village_id))
        line["author"] = names.get(record.created_by_id)
        if entity == "inspection":
            line["approved_by"] = names.get(record.approved_by_id)
        out.append(line)
    return out


def fieldwork_detail(entity: str, record: Any, actor: Actor) -> dict[str, Any]:
    """The record as pull renders it, with village, author, photos (and an inspection's
    checklist items with their texts, and whether this user may review it)."""
    t = table(entity)
    row = db.session.execute(select(t).where(t.c.id == record.id)).one()
    out = record_json(
        entity,
        row._mapping,
        viewer_for(actor),
        load_attachments(db.session, [record.id]),
    )
    [line] = fieldwork_lines(entity, [record])
    out.update(village=line["village"], author=line["author"])
    if entity == "inspection":
        out["approved_by"] = line["approved_by"]
        out["items"] = checklist_items(record, out["photos"])
        out["may_review"] = may_review(actor, scope_of("inspection", record))
    return out


def checklist_items(inspection: Inspection, photos: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every item of the inspection's template, in its order, with the score given."""
    template = db.session.get(ChecklistTemplate, inspection.template_id)
    scores = inspection.scores or {}
    items = []
    for item in template.items if template else []:
        given = scores.get(item["key"]) or {}
        items.append(
            {
                "key": item["key"],
                "text_th": item["text_th"],
                "text_en": item["text_en"],
                "max_score": item["max_score"],
                "score": given.get("score"),
                "note": given.get("note", ""),
                "photos": [p for p in photos if p["item_key"] == item["key"]],
            }
        )
    return items


def clean_tidy_history(village_id: str, actor: Actor) -> list[dict[str, Any]]:
    """A village's inspections the actor sees, oldest first, with their percentage."""
    c = Inspection.__table__.c
    rows = db.session.execute(
        select(c.id, c.inspected_at, c.place_type, c.place_name, c.total, c.max_total, c.grade)
        .where(
            record_filter(actor, "inspection", Inspection.__table__),
            c.deleted.is_(False),
            c.village_id == village_id,
        )
        .order_by(c.inspected_at, c.id)
    )
    return [
        {
            "inspection_id": row.id,
            "inspected_at": row.inspected_at,
            "place_type": row.place_type,
            "place_name": row.place_name,
            "total": row.total,
            "max_total": row.max_total,
            "percent": round(100 * row.total / row.max_total, 1) if row.max_total else None,
            "grade": row.grade,
        }
        for row in rows
    ]
