"""The dashboard's figures on concerns, computed by the database (one query per group set).

Every figure counts the live concerns reported in the period (reported_at, Bangkok days):
received; open (new, accepted, in progress); overdue (open and due before today in
Bangkok); resolved (resolved or closed, with a resolution time); the median and 90th
percentile of days from report to resolution; resolved by the due date (the service level
sets the due date) out of the resolved that had one; villagers' "fixed" confirmations.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, case, cast, func, select

from fieldapp.extensions import db
from fieldapp.followup.states import OPEN_STATUSES, Status
from fieldapp.models import Concern
from fieldapp.reports.sqltime import SqlTime

CONCERNS = Concern.__table__
DONE = (Status.RESOLVED.value, Status.CLOSED.value)
GROUP_SETS = {
    "by_district_category": ("district_code", "category_code"),
    "by_district": ("district_code",),
    "by_category": ("category_code",),
    "total": (),
}
PERCENTILES = {"median_days": 0.5, "p90_days": 0.9}


def _count(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _resolved() -> ColumnElement[bool]:
    c = CONCERNS.c
    return and_(c.status.in_(DONE), c.resolved_at.is_not(None))


def concern_counts(
    where: ColumnElement[bool], keys: tuple[str, ...], today: date, sql: SqlTime
) -> dict[tuple, dict[str, Any]]:
    """Counts per group of `keys` (district_code, category_code) among rows matching `where`."""
    c = CONCERNS.c
    open_ = c.status.in_(sorted(OPEN_STATUSES))
    resolved = _resolved()
    with_due = and_(resolved, c.due_date.is_not(None))
    columns = [c[k] for k in keys]
    query = (
        select(
            *columns,
            func.count().label("received"),
            _count(open_).label("open"),
            _count(and_(open_, c.due_date < today)).label("overdue"),
            _count(resolved).label("resolved"),
            _count(with_due).label("resolved_with_due_date"),
            _count(and_(with_due, sql.local_date(c.resolved_at) <= c.due_date)).label(
                "within_service_level"
            ),
            _count(c.villager_confirmed.is_(True)).label("villager_confirmed"),
        )
        .where(where)
        .group_by(*columns)
    )
    out: dict[tuple, dict[str, Any]] = {}
    for row in _execute(query):
        values = row._asdict()
        key = tuple(values.pop(k) for k in keys)
        out[key] = {name: int(value) for name, value in values.items()}
    return out


def resolution_percentiles(
    where: ColumnElement[bool], keys: tuple[str, ...], sql: SqlTime
) -> dict[tuple, dict[str, float | None]]:
    """Median and 90th percentile of days to resolve per group (linear interpolation, as
    PostgreSQL's percentile_cont): percentile_cont there, window functions on SQLite."""
    c = CONCERNS.c
    days = sql.days_between(c.resolved_at, c.reported_at)
    columns = [c[k] for k in keys]
    condition = and_(where, _resolved())
    if sql.dialect == "postgresql":
        query = (
            select(
                *columns,
                *(
                    func.percentile_cont(p).within_group(days).label(name)
                    for name, p in PERCENTILES.items()
                ),
            )
            .where(condition)
            .group_by(*columns)
        )
    else:
        query = _sqlite_percentiles(condition, columns, days)
    out: dict[tuple, dict[str, float | None]] = {}
    for row in _execute(query):
        values = row._asdict()
        key = tuple(values.pop(k) for k in keys)
        out[key] = {k: None if v is None else round(float(v), 2) for k, v in values.items()}
    return out


def _sqlite_percentiles(condition: ColumnElement[bool], columns: list[Any], days: Any) -> Any:
    """Each group's rows ranked by days; a percentile weighs the two ranks around its place."""
    ranked = (
        select(
            *columns,
            days.label("days"),
            (func.row_number().over(partition_by=columns, order_by=days) - 1).label("rank"),
            func.count().over(partition_by=columns).label("n"),
        )
        .where(condition)
        .subquery()
    )
    r = ranked.c
    group = [r[col.name] for col in columns]

    def percentile(p: float) -> Any:
        place = p * (r.n - 1)
        below = cast(place, Integer)  # floor: place is never negative
        share = place - below
        weight = case((r.rank == below, 1 - share), (r.rank == below + 1, share), else_=0)
        return func.sum(r.days * weight)

    return select(*group, *(percentile(p).label(name) for name, p in PERCENTILES.items())).group_by(
        *group
    )


def _execute(query: Any) -> Any:
    return db.session.execute(query)
