"""Exports of concerns, visits and inspections as CSV, XLSX and GeoJSON, streamed.

Rows are read through a streaming cursor (server-side on PostgreSQL) and written out as they
come, so 100,000 rows take the memory of a few thousand (bench/export_bench.py). Who sees
which rows, and whose reporter name and phone, is fieldapp/auth/visibility.py's decision.
Concerns are filtered by the queue's own clauses (fieldapp/followup/queue.py), so an export
holds what the queue lists under the same filters; visits and inspections by its place
filters. A period (Bangkok days) narrows any of them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Select, case, select

from fieldapp.auth.visibility import personal_data_filter, record_filter
from fieldapp.extensions import db
from fieldapp.followup.queue import QueueFilter, place_clauses, visible_clauses
from fieldapp.models import Category, Concern, District, Inspection, Subdistrict, Village, Visit
from fieldapp.reports.sqltime import BANGKOK, bangkok_today, period_bounds
from fieldapp.reports.xlsx import xlsx_stream
from fieldapp.utc import aware
from sync import Actor

BATCH = 1000  # rows fetched per round trip and written per chunk
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
}
ENTITIES = {"concerns": Concern, "visits": Visit, "inspections": Inspection}
PERSONAL_COLUMNS = ("reporter_consent", "reporter_name", "reporter_phone")
V, S, D = Village.__table__, Subdistrict.__table__, District.__table__


@dataclass(frozen=True)
class ExportRequest:
    entity: str  # concerns | visits | inspections
    fmt: str  # csv | xlsx | geojson
    wanted: QueueFilter = field(default_factory=QueueFilter)  # the queue's filters
    start: date | None = None  # first Bangkok day of the period
    end: date | None = None  # last Bangkok day
    personal: bool = False  # reporter names and phones, where the actor may read them
    today: date | None = None  # what "overdue" is measured against
    dialect: str = "sqlite"  # the database's: the queue's text search is written per dialect

    def period(self, moment: Any) -> list[ColumnElement[bool]]:
        since, until = period_bounds(self.start, self.end)
        clauses = [] if since is None else [moment >= since]
        return clauses if until is None else [*clauses, moment < until]

    def where(self, actor: Actor, entity: str, table: Any, moment: Any) -> list[Any]:
        """Visits' and inspections' rows: seen by the actor, in the places and period."""
        return [
            record_filter(actor, entity, table),
            table.c.deleted.is_(False),
            *place_clauses(self.wanted, table),
            *self.period(moment),
        ]


def concern_only_filters(wanted: QueueFilter) -> list[str]:
    """The query names of filters set that only concerns have (refused for visits and
    inspections rather than silently ignored)."""
    names = {
        "status": wanted.statuses,
        "category": wanted.categories,
        "urgency": wanted.urgencies,
        "priority": wanted.priorities,
        "assignee": wanted.assignee,
        "overdue": wanted.overdue,
        "q": wanted.text,
    }
    return [name for name, value in names.items() if value not in (None, ())]


def _place(table: Any) -> list[Any]:
    return [
        table.c.district_code,
        D.c.name_th.label("district_name"),
        S.c.name_th.label("subdistrict_name"),
        V.c.moo.label("village_moo"),
        V.c.name_th.label("village_name"),
    ]


def _located(table: Any) -> list[Any]:
    return [table.c.lat, table.c.lon, table.c.gps_accuracy_m]


def _joined(table: Any) -> Any:
    return (
        table.join(V, V.c.id == table.c.village_id)
        .join(S, S.c.code == V.c.subdistrict_code)
        .join(D, D.c.code == table.c.district_code)
    )


def _concern_query(actor: Actor, request: ExportRequest) -> Select:
    t, cat = Concern.__table__, Category.__table__
    c = t.c
    columns = [
        c.tracking_code,
        c.id,
        c.reported_at,
        *_place(t),
        c.category_code,
        cat.c.name_th.label("category_name"),
        c.description,
        c.urgency,
        c.status,
        c.priority,
        c.due_date,
        c.assignee_agency,
        c.resolved_at,
        c.resolution_note,
        c.villager_confirmed,
        *_located(t),
        c.created_at,
        c.updated_at,
    ]
    if request.personal:
        allowed = personal_data_filter(actor, t)
        columns += [case((allowed, c[name]), else_=None).label(name) for name in PERSONAL_COLUMNS]
    return (
        select(*columns)
        .select_from(_joined(t).join(cat, cat.c.code == c.category_code))
        .where(
            *visible_clauses(
                actor, request.wanted, request.today or bangkok_today(), request.dialect
            ),
            *request.period(c.reported_at),
        )
        .order_by(c.reported_at, c.id)
    )


def _visit_query(actor: Actor, request: ExportRequest) -> Select:
    t = Visit.__table__
    c = t.c
    columns = [c.id, c.visited_at, *_place(t), c.topics, c.villagers_met, c.companions, c.notes]
    columns += [*_located(t), c.created_at, c.updated_at]
    return (
        select(*columns)
        .select_from(_joined(t))
        .where(*request.where(actor, "visit", t, c.visited_at))
        .order_by(c.visited_at, c.id)
    )


def _inspection_query(actor: Actor, request: ExportRequest) -> Select:
    t = Inspection.__table__
    c = t.c
    columns = [
        c.id,
        c.inspected_at,
        *_place(t),
        c.place_type,
        c.place_name,
        c.total,
        c.max_total,
        c.grade,
        c.followup_needed,
        c.reinspection_of_id,
        c.approved_at,
        c.notes,
        *_located(t),
        c.created_at,
        c.updated_at,
    ]
    return (
        select(*columns)
        .select_from(_joined(t))
        .where(*request.where(actor, "inspection", t, c.inspected_at))
        .order_by(c.inspected_at, c.id)
    )


QUERIES = {"concerns": _concern_query, "visits": _visit_query, "inspections": _inspection_query}


def export_query(actor: Actor, request: ExportRequest) -> Select:
    return QUERIES[request.entity](actor, request)


def _cell(value: Any) -> Any:
    """A value as a spreadsheet cell: times in Bangkok as ISO 8601, lists joined."""
    if isinstance(value, datetime):
        return aware(value).astimezone(BANGKOK).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return orjson.dumps(value).decode()
    return value


def stream_rows(query: Select) -> Iterator[tuple[list[str], Iterator[tuple]]]:
    """The header, then the rows, from a streaming cursor on a connection of its own."""
    with db.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, max_row_buffer=BATCH).execute(query)
        yield list(result.keys()), (tuple(_cell(v) for v in row) for row in result)


def csv_chunks(header: list[str], rows: Iterator[tuple]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark, so Excel shows Thai; written in chunks of BATCH rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
        if count % BATCH == 0:
            yield _drain(buffer, first=count == BATCH)
    yield _drain(buffer, first=count < BATCH)


def _drain(buffer: io.StringIO, *, first: bool) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return (b"\xef\xbb\xbf" if first else b"") + text.encode()


def geojson_chunks(header: list[str], rows: Iterator[tuple]) -> Iterator[bytes]:
    """A FeatureCollection; each point is [lon, lat] (RFC 7946), a record without a GPS fix
    has a null geometry."""
    lat, lon = header.index("lat"), header.index("lon")
    yield b'{"type":"FeatureCollection","features":['
    first = True
    parts: list[bytes] = []
    for row in rows:
        geometry = (
            {"type": "Point", "coordinates": [row[lon], row[lat]]}
            if row[lat] is not None and row[lon] is not None
            else None
        )
        properties = {k: v for k, v in zip(header, row, strict=True) if k not in ("lat", "lon")}
        feature = {"type": "Feature", "geometry": geometry, "properties": properties}
        parts.append((b"" if first else b",") + orjson.dumps(feature))
        first = False
        if len(parts) >= BATCH:
            yield b"".join(parts)
            parts = []
    parts.append(b"]}")
    yield b"".join(parts)


def export_chunks(query: Select, request: ExportRequest) -> Iterator[bytes]:
    """The export file's bytes, as the rows stream from the database."""
    for header, rows in stream_rows(query):
        if request.fmt == "csv":
            yield from csv_chunks(header, rows)
        elif request.fmt == "xlsx":
            yield from xlsx_stream(header, rows, request.entity)
        else:
            yield from geojson_chunks(header, rows)


def scope_summary(request: ExportRequest) -> dict[str, Any]:
    """What an audited export asked for (the audit log keeps it)."""
    w = request.wanted
    filters = {
        "start": request.start.isoformat() if request.start else None,
        "end": request.end.isoformat() if request.end else None,
        "status": list(w.statuses),
        "category": list(w.categories),
        "district": list(w.districts),
        "subdistrict": list(w.subdistricts),
        "village": list(w.villages),
        "urgency": list(w.urgencies),
        "priority": list(w.priorities),
        "assignee": w.assignee,
        "overdue": w.overdue,
        "q": w.text,
    }
    return {
        "export": request.entity,
        "format": request.fmt,
        "personal": request.personal,
        "filters": {k: v for k, v in filters.items() if v not in (None, [])},
    }


__all__ = [
    "ENTITIES",
    "FORMATS",
    "ExportRequest",
    "concern_only_filters",
    "export_chunks",
    "export_query",
]
