"""The dashboard: concern figures per district and category, monthly activity, Clean & Tidy
scores per district with its best and worst village. The caller passes the rows' scope
(visibility.record_filter for a signed-in user, visibility.public_filter for the public)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Float, and_, cast, func, select

from fieldapp.extensions import db
from fieldapp.models import Category, Concern, District, Inspection, Village, Visit
from fieldapp.reports.figures import (
    GROUP_SETS,
    PERCENTILES,
    concern_counts,
    resolution_percentiles,
)
from fieldapp.reports.filters import ReportFilter
from fieldapp.reports.sqltime import SqlTime

Scope = Callable[[str, Any], ColumnElement[bool]]  # (entity, table) -> where clause
CONCERNS, VISITS, INSPECTIONS = Concern.__table__, Visit.__table__, Inspection.__table__


def sql_time() -> SqlTime:
    return SqlTime(db.session.get_bind().dialect.name)


def concern_figures(scope: Scope, filters: ReportFilter, today: date) -> dict[str, list]:
    """Per group set (by district and category, by district, the total): every figure."""
    sql = sql_time()
    where = and_(scope("concern", CONCERNS), filters.where(CONCERNS, CONCERNS.c.reported_at))
    out: dict[str, list] = {}
    for name, keys in GROUP_SETS.items():
        counts = concern_counts(where, keys, today, sql)
        spreads = resolution_percentiles(where, keys, sql)
        rows = []
        for key in sorted(counts, key=lambda k: tuple(str(v) for v in k)):
            row = dict(zip(keys, key, strict=True))
            row.update(counts[key])
            row.update(spreads.get(key, dict.fromkeys(PERCENTILES)))
            due = row["resolved_with_due_date"]
            row["share_within_service_level"] = (
                round(row["within_service_level"] / due, 4) if due else None
            )
            rows.append(row)
        out[name] = rows
    return out


def monthly(scope: Scope, filters: ReportFilter) -> list[dict[str, Any]]:
    """Concerns reported, concerns resolved and visits made per Bangkok month."""
    sql = sql_time()
    series: dict[str, dict[str, int]] = {}

    def add(name: str, table: Any, entity: str, moment: Any, extra: Any = None) -> None:
        month = sql.local_month(moment).label("month")
        where = and_(scope(entity, table), filters.where(table, moment))
        if extra is not None:
            where = and_(where, extra)
        query = select(month, func.count().label("n")).where(where).group_by(month)
        for row in db.session.execute(query):
            series.setdefault(row.month, {})[name] = int(row.n)

    c = CONCERNS.c
    add("concerns", CONCERNS, "concern", c.reported_at)
    add("resolved", CONCERNS, "concern", c.resolved_at, c.resolved_at.is_not(None))
    add("visits", VISITS, "visit", VISITS.c.visited_at)
    names = ("concerns", "resolved", "visits")
    return [
        {"month": month, **{n: series[month].get(n, 0) for n in names}} for month in sorted(series)
    ]


def _score_scope(scope: Scope, filters: ReportFilter) -> tuple[Any, ColumnElement[bool]]:
    """The score of an inspection (percent of its checklist's maximum) and which count."""
    i = INSPECTIONS.c
    percent = 100.0 * cast(i.total, Float) / i.max_total
    where = and_(
        scope("inspection", INSPECTIONS),
        filters.where(INSPECTIONS, i.inspected_at),
        i.max_total > 0,
    )
    return percent, where


def _village_extremes(percent: Any, where: ColumnElement[bool]) -> list[Any]:
    """Per district, the villages of best and worst average (ranked in one query)."""
    i = INSPECTIONS.c
    per_village = (
        select(i.district_code, i.village_id, func.avg(percent).label("average"))
        .where(where)
        .group_by(i.district_code, i.village_id)
        .subquery()
    )
    v = per_village.c

    def rank(*order: Any) -> Any:
        return func.row_number().over(partition_by=v.district_code, order_by=order)

    ranked = select(
        v.district_code,
        v.village_id,
        v.average,
        rank(v.average.desc(), v.village_id).label("best"),
        rank(v.average, v.village_id).label("worst"),
    ).subquery()
    r = ranked.c
    return db.session.execute(select(ranked).where((r.best == 1) | (r.worst == 1))).all()


def clean_tidy(scope: Scope, filters: ReportFilter) -> list[dict[str, Any]]:
    """Average Clean & Tidy score per district, with its best and worst village."""
    i = INSPECTIONS.c
    percent, where = _score_scope(scope, filters)
    districts = db.session.execute(
        select(i.district_code, func.avg(percent).label("average"), func.count().label("n"))
        .where(where)
        .group_by(i.district_code)
        .order_by(i.district_code)
    ).all()
    extremes = _village_extremes(percent, where)
    names = _village_names({row.village_id for row in extremes})
    out = []
    for d in districts:
        row: dict[str, Any] = {
            "district_code": d.district_code,
            "average_percent": round(float(d.average), 1),
            "inspections": int(d.n),
        }
        for e in (e for e in extremes if e.district_code == d.district_code):
            village = {
                "village_id": e.village_id,
                **names.get(e.village_id, {"moo": None, "name_th": None, "name_en": None}),
                "average_percent": round(float(e.average), 1),
            }
            if e.best == 1:
                row["best_village"] = village
            if e.worst == 1:
                row["worst_village"] = village
        out.append(row)
    return out


def _village_names(ids: set[str]) -> dict[str, dict[str, Any]]:
    """Village number and names: many villages share a name, so the number goes with it."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(Village.id, Village.moo, Village.name_th, Village.name_en).where(Village.id.in_(ids))
    )
    return {r.id: {"moo": r.moo, "name_th": r.name_th, "name_en": r.name_en} for r in rows}


def reference_names() -> dict[str, dict[str, dict[str, str]]]:
    """Thai and English names of districts and categories, for labels."""
    districts = db.session.execute(select(District.code, District.name_th, District.name_en))
    categories = db.session.execute(
        select(Category.code, Category.name_th, Category.name_en).order_by(Category.position)
    )
    return {
        "districts": {r.code: {"th": r.name_th, "en": r.name_en} for r in districts},
        "categories": {r.code: {"th": r.name_th, "en": r.name_en} for r in categories},
    }


def dashboard(scope: Scope, filters: ReportFilter, today: date) -> dict[str, Any]:
    """Everything the dashboard screen shows."""
    return {
        "filters": {
            "start": filters.start,
            "end": filters.end,
            "district": filters.district,
            "category": filters.category,
        },
        "today": today,
        "concerns": concern_figures(scope, filters, today),
        "monthly": monthly(scope, filters),
        "clean_tidy": clean_tidy(scope, filters),
        "names": reference_names(),
    }
