"""The anonymised open-data SQLite file (`flask export-open-data FILE.db`), for Datasette.

Written with sqlite-utils from the public data only (visibility.public_filter): no reporter
name, phone or consent, no author, assignee or device, no free text staff wrote (resolution
notes, comments, the assigned agency, place names of inspected households). Coordinates
are rounded to 3 decimals (about 100 m). Descriptions are searchable (FTS5; the trigram
tokenizer where SQLite has it, since Thai is written without spaces). docs/open-data.md.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlalchemy import Float, Select, and_, cast, select

from fieldapp.auth.visibility import public_filter
from fieldapp.extensions import db
from fieldapp.models import (
    Category,
    Concern,
    District,
    FollowupEntry,
    Inspection,
    Subdistrict,
    User,
    Village,
)
from fieldapp.reports import opendata_surveys
from fieldapp.reports.public import COORDINATE_DECIMALS
from fieldapp.reports.sqltime import BANGKOK
from fieldapp.utc import aware

BATCH = 1000
TRIGRAM = sqlite3.sqlite_version_info >= (3, 34, 0)
C, F, U = Concern.__table__, FollowupEntry.__table__, User.__table__
INSPECTIONS = Inspection.__table__
PUBLIC_CONCERNS = select(C.c.id).where(public_filter("concern", C))

TABLES: dict[str, dict[str, Any]] = {
    "districts": {
        "columns": {"code": str, "name_th": str, "name_en": str},
        "pk": "code",
        "foreign_keys": [],
    },
    "subdistricts": {
        "columns": {"code": str, "district_code": str, "name_th": str, "name_en": str},
        "pk": "code",
        "foreign_keys": [("district_code", "districts", "code")],
    },
    "villages": {
        "columns": {
            "id": str,
            "subdistrict_code": str,
            "district_code": str,
            "moo": int,
            "name_th": str,
            "name_en": str,
        },
        "pk": "id",
        "foreign_keys": [
            ("subdistrict_code", "subdistricts", "code"),
            ("district_code", "districts", "code"),
        ],
    },
    "categories": {
        "columns": {"code": str, "name_th": str, "name_en": str},
        "pk": "code",
        "foreign_keys": [],
    },
    "concerns": {
        "columns": {
            "id": str,
            "tracking_code": str,
            "category_code": str,
            "district_code": str,
            "village_id": str,
            "description": str,
            "urgency": str,
            "status": str,
            "reported_at": str,
            "resolved_at": str,
            "due_date": str,
            "days_to_resolve": float,
            "villager_confirmed": int,
            "lat": float,
            "lon": float,
        },
        "pk": "id",
        "foreign_keys": [
            ("category_code", "categories", "code"),
            ("district_code", "districts", "code"),
            ("village_id", "villages", "id"),
        ],
    },
    "status_history": {
        "columns": {
            "id": str,
            "concern_id": str,
            "at": str,
            "action": str,
            "from_status": str,
            "to_status": str,
            "by_role": str,
        },
        "pk": "id",
        "foreign_keys": [("concern_id", "concerns", "id")],
    },
    "clean_tidy_results": {
        "columns": {
            "id": str,
            "village_id": str,
            "district_code": str,
            "place_type": str,
            "inspected_at": str,
            "total": int,
            "max_total": int,
            "percent": float,
            "grade": str,
        },
        "pk": "id",
        "foreign_keys": [
            ("village_id", "villages", "id"),
            ("district_code", "districts", "code"),
        ],
    },
}

TABLES.update(opendata_surveys.TABLES)

VIEWS = {
    "concerns_by_district_and_category": """
        select d.name_th as district, c.name_th as category, count(*) as received,
          sum(k.status in ('resolved', 'closed')) as resolved,
          sum(k.status in ('new', 'accepted', 'in_progress')) as still_open,
          round(avg(k.days_to_resolve), 1) as average_days_to_resolve
        from concerns k join districts d on d.code = k.district_code
          join categories c on c.code = k.category_code
        group by k.district_code, k.category_code order by k.district_code, c.code""",
    "concerns_per_month": """
        select substr(reported_at, 1, 7) as month, count(*) as received,
          sum(status in ('resolved', 'closed')) as resolved
        from concerns group by month order by month""",
    "overdue_concerns": """
        select k.tracking_code, d.name_th as district, c.name_th as category, k.status,
          k.due_date, k.description
        from concerns k join districts d on d.code = k.district_code
          join categories c on c.code = k.category_code
        where k.status in ('new', 'accepted', 'in_progress')
          and k.due_date < date('now', '+7 hours')
        order by k.due_date""",
    "clean_tidy_by_village": """
        select v.district_code, v.name_th as village, v.moo, count(*) as inspections,
          round(avg(r.percent), 1) as average_percent
        from clean_tidy_results r join villages v on v.id = r.village_id
        group by r.village_id order by average_percent desc""",
}


@dataclass(frozen=True)
class OpenDataSummary:
    path: Path
    rows: dict[str, int]
    trigram: bool


def _local(moment: Any) -> str | None:
    return None if moment is None else aware(moment).astimezone(BANGKOK).isoformat()


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, COORDINATE_DECIMALS)


def _stream(query: Select) -> Iterator[dict[str, Any]]:
    with db.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, max_row_buffer=BATCH).execute(query)
        for row in result:
            yield dict(row._mapping)


def _concerns() -> Iterator[dict[str, Any]]:
    c = C.c
    query = select(
        c.id, c.tracking_code, c.category_code, c.district_code, c.village_id, c.description,
        c.urgency, c.status, c.reported_at, c.resolved_at, c.due_date, c.villager_confirmed,
        c.lat, c.lon,
    ).where(public_filter("concern", C)).order_by(c.reported_at, c.id)  # fmt: skip
    for row in _stream(query):
        reported, resolved = aware(row["reported_at"]), aware(row["resolved_at"])
        row["days_to_resolve"] = (
            round((resolved - reported).total_seconds() / 86400, 2) if resolved else None
        )
        row["reported_at"], row["resolved_at"] = _local(reported), _local(resolved)
        row["due_date"] = row["due_date"].isoformat() if row["due_date"] else None
        row["lat"], row["lon"] = _round(row["lat"]), _round(row["lon"])
        yield row


def _status_history() -> Iterator[dict[str, Any]]:
    query = (
        select(F.c.id, F.c.concern_id, F.c.created_at, F.c.data, F.c.kind, F.c.from_status)
        .add_columns(F.c.to_status, U.c.role)
        .select_from(F.outerjoin(U, U.c.id == F.c.created_by_id))
        .where(
            F.c.kind.in_(("status", "assignment")),
            F.c.deleted.is_(False),
            F.c.concern_id.in_(PUBLIC_CONCERNS),
        )
        .order_by(F.c.created_at, F.c.id)
    )
    for row in _stream(query):
        yield {
            "id": row["id"],
            "concern_id": row["concern_id"],
            "at": _local(row["created_at"]),
            "action": (row["data"] or {}).get("action") or row["kind"],
            "from_status": row["from_status"],
            "to_status": row["to_status"],
            "by_role": row["role"],
        }


def _clean_tidy() -> Iterator[dict[str, Any]]:
    i = INSPECTIONS.c
    percent = 100.0 * cast(i.total, Float) / i.max_total
    query = (
        select(
            i.id,
            i.village_id,
            i.district_code,
            i.place_type,
            i.inspected_at,
            i.total,
            i.max_total,
            percent.label("percent"),
            i.grade,
        )
        .where(and_(public_filter("inspection", INSPECTIONS), i.max_total > 0))
        .order_by(i.inspected_at, i.id)
    )
    for row in _stream(query):
        row["inspected_at"] = _local(row["inspected_at"])
        row["percent"] = round(row["percent"], 1)
        yield row


def _reference(model: Any, columns: tuple[str, ...], where: Any = None) -> Iterator[dict]:
    t = model.__table__
    query = select(*(t.c[name] for name in columns))
    if where is not None:
        query = query.where(where)
    yield from _stream(query)


def _sources() -> dict[str, Iterator[dict[str, Any]]]:
    return {
        "districts": _reference(District, ("code", "name_th", "name_en")),
        "subdistricts": _reference(Subdistrict, ("code", "district_code", "name_th", "name_en")),
        "villages": _reference(
            Village,
            ("id", "subdistrict_code", "district_code", "moo", "name_th", "name_en"),
            Village.__table__.c.deleted.is_(False),
        ),
        "categories": _reference(Category, ("code", "name_th", "name_en")),
        "concerns": _concerns(),
        "status_history": _status_history(),
        "clean_tidy_results": _clean_tidy(),
        "survey_forms": _stream(opendata_surveys.public_forms_query()),
        "survey_answers": opendata_surveys.survey_answers(_stream, _local, _round),
    }


def export_open_data(path: Path) -> OpenDataSummary:
    """Write the open-data database to `path` (replacing it), table by table, streamed."""
    out = sqlite_utils.Database(path, recreate=True)
    out.conn.execute("PRAGMA foreign_keys = ON")
    rows: dict[str, int] = {}
    for name, source in _sources().items():
        spec = TABLES[name]
        table = out.table(name)
        table.create(spec["columns"], pk=spec["pk"], foreign_keys=spec["foreign_keys"])
        table.insert_all(source, batch_size=BATCH)
        rows[name] = table.count
    out["concerns"].enable_fts(
        ["description"], tokenize="trigram" if TRIGRAM else None, create_triggers=False
    )
    for name, sql in VIEWS.items():
        out.create_view(name, sql.strip())
    out.conn.commit()
    out.vacuum()
    out.close()
    return OpenDataSummary(path, rows, TRIGRAM)
