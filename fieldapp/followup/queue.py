"""The supervisors' concern queue as SQL: filters, order, a page, and counts per status.

Everything is answered by the database from its indexes (bench/queue_bench.py); nothing is
filtered in Python. Who sees which concern comes from fieldapp/auth/visibility.py alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select

from fieldapp.auth.visibility import record_filter
from fieldapp.followup.states import OPEN_STATUSES, Status
from fieldapp.models import Concern, Village
from sync import Actor

CONCERNS = Concern.__table__
OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))
SORTS = ("oldest", "newest", "due")
# `assignee` filter: a user id, or one of these words.
ME, NOBODY = "me", "none"


@dataclass(frozen=True)
class QueueFilter:
    """What the supervisor asked to see; an empty tuple does not filter."""

    statuses: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()
    subdistricts: tuple[str, ...] = ()
    villages: tuple[str, ...] = ()
    urgencies: tuple[str, ...] = ()
    priorities: tuple[int, ...] = ()
    assignee: int | str | None = None  # a user id, ME, NOBODY or None (anyone)
    overdue: bool | None = None
    text: str | None = None
    sort: str = "oldest"

    @classmethod
    def from_args(cls, args: dict[str, Any]) -> QueueFilter:
        """The filter from a query parsed by schemas/workspace.py's QueueQuerySchema (the
        queue's, and the exports' that extend it)."""
        return cls(
            statuses=args["status"],
            categories=args["category"],
            districts=args["district"],
            subdistricts=args["subdistrict"],
            villages=tuple(str(v) for v in args["village"]),
            urgencies=args["urgency"],
            priorities=args["priority"],
            assignee=args["assignee"],
            overdue=args["overdue"],
            text=args["q"] or None,
            sort=args["sort"],
        )


def is_overdue(status: str, due_date: date | None, today: date) -> bool:
    """Open and past its due date (the due date itself is still in time)."""
    return status in OPEN_STATUSES and due_date is not None and due_date < today


def overdue_clause(today: date, c: Any = CONCERNS.c) -> ColumnElement[bool]:
    """`is_overdue` as SQL."""
    return and_(c.status.in_(OPEN), c.due_date.is_not(None), c.due_date < today)


def _like_escaped(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# The filters that name a place; they apply to visits and inspections too (the exports).
PLACE_FILTERS = ("districts", "subdistricts", "villages")


def place_clauses(wanted: QueueFilter, table: Any = CONCERNS) -> list[ColumnElement[bool]]:
    """The filters on where, for any table of records in a village (concerns, visits,
    inspections)."""
    c = table.c
    clauses = [
        column.in_(values)
        for column, values in ((c.district_code, wanted.districts), (c.village_id, wanted.villages))
        if values
    ]
    if wanted.subdistricts:
        villages = select(Village.id).where(Village.subdistrict_code.in_(wanted.subdistricts))
        clauses.append(c.village_id.in_(villages))
    return clauses


def queue_clauses(
    actor: Actor, wanted: QueueFilter, today: date, *, with_status: bool = True
) -> list[ColumnElement[bool]]:
    """The WHERE clauses of the queue: what the actor sees, narrowed by the filters."""
    c = CONCERNS.c
    clauses = [record_filter(actor, "concern", CONCERNS), c.deleted.is_(False)]
    if with_status and wanted.statuses:
        clauses.append(c.status.in_(wanted.statuses))
    for column, values in (
        (c.category_code, wanted.categories),
        (c.urgency, wanted.urgencies),
        (c.priority, wanted.priorities),
    ):
        if values:
            clauses.append(column.in_(values))
    clauses += place_clauses(wanted)
    if wanted.assignee == ME:
        clauses.append(c.assignee_id == actor.user_id)
    elif wanted.assignee == NOBODY:
        clauses.append(c.assignee_id.is_(None))
    elif isinstance(wanted.assignee, int):
        clauses.append(c.assignee_id == wanted.assignee)
    if wanted.overdue is True:
        clauses.append(overdue_clause(today))
    elif wanted.overdue is False:
        clauses.append(~overdue_clause(today))
    if wanted.text:
        # A substring of the description: no index helps, so it costs a scan of the rows the
        # other filters leave (see bench/queue_bench.py).
        clauses.append(c.description.ilike(_like_escaped(wanted.text), escape="\\"))
    return clauses


def _order(sort: str) -> list[Any]:
    c = CONCERNS.c
    if sort == "newest":
        return [c.reported_at.desc(), c.id.desc()]
    if sort == "due":
        return [c.due_date.asc().nulls_last(), c.reported_at.asc(), c.id.asc()]
    return [c.reported_at.asc(), c.id.asc()]


def queue_page(actor: Actor, wanted: QueueFilter, today: date, page: int, per_page: int) -> Select:
    """The ids of the page's concerns, in the order asked for, read from the queue index
    alone (load the rows with `page_rows`)."""
    return (
        select(CONCERNS.c.id)
        .where(*queue_clauses(actor, wanted, today))
        .order_by(*_order(wanted.sort))
        .limit(per_page)
        .offset((page - 1) * per_page)
    )


def page_rows(session: Any, ids: list[str]) -> list[Concern]:
    """The concerns of a page, in the page's order."""
    if not ids:
        return []
    found = {c.id: c for c in session.scalars(select(Concern).where(Concern.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def queue_counts_query(actor: Actor, wanted: QueueFilter, today: date) -> Select:
    """Per status: how many concerns match the filters other than status, and how many of
    those are overdue."""
    c = CONCERNS.c
    overdue = func.sum(case((overdue_clause(today), 1), else_=0))
    return (
        select(c.status, func.count(), overdue)
        .where(*queue_clauses(actor, wanted, today, with_status=False))
        .group_by(c.status)
    )


def counts_from_rows(rows: list[tuple[str, int, int | None]]) -> dict[str, int]:
    """{status: n, …, "overdue": n} with every status present."""
    counts = {s.value: 0 for s in Status}
    overdue = 0
    for status, n, late in rows:
        counts[status] = counts.get(status, 0) + n
        overdue += int(late or 0)
    counts["overdue"] = overdue
    return counts


def total_of(counts: dict[str, int], wanted: QueueFilter) -> int:
    """The number of concerns under every filter, status included, from the counts."""
    statuses = wanted.statuses or tuple(s.value for s in Status)
    return sum(counts.get(s, 0) for s in statuses)
