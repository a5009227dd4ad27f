"""The supervisors' concern queue as SQL: filters, order, a page, and counts per status.

Everything is answered by the database from its indexes (bench/queue_bench.py); nothing is
filtered in Python. Who sees which concern comes from fieldapp/auth/visibility.py alone, split
into its disjoint parts (`record_filter_parts`): an OR across district, author and assignee
makes a database visit every row of the district, while each part alone is read from an index
led by its column (the indexes: fieldapp/models/records.py, Concern). Counts add the parts up;
a page merges each part's first rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    union,
    union_all,
)

from fieldapp.auth.visibility import record_filter_parts
from fieldapp.followup.states import OPEN_STATUSES, Status
from fieldapp.models import Concern, Village
from sync import Actor

CONCERNS = Concern.__table__
OPEN = tuple(sorted(s.value for s in OPEN_STATUSES))
SORTS = ("oldest", "newest", "due")
# `assignee` filter: a user id, or one of these words.
ME, NOBODY = "me", "none"
# Free text is matched by trigrams (three characters in a row: Thai has no spaces between
# words), so it needs at least three characters (fieldapp/schemas/workspace.py refuses fewer).
TEXT_MIN = 3
# SQLite's trigram index of the descriptions (FTS5), one row per concern under its rowid
# (migrations/versions/82480a9a3890_queue_at_scale.py); PostgreSQL uses pg_trgm's GIN index.
CONCERNS_TEXT = table("concerns_text", column("rowid"))


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


def _text_clause(text: str, dialect: str) -> ColumnElement[bool]:
    """Descriptions holding `text` (any case), or concerns of villages whose name holds it,
    each found from an index (a phrase in the trigram index matches it as a substring), then
    merged: an OR of the two would make the database test every row."""
    c = CONCERNS.c
    pattern = _like_escaped(text)
    villages = select(Village.id).where(
        or_(
            Village.name_th.ilike(pattern, escape="\\"),
            Village.name_en.ilike(pattern, escape="\\"),
        )
    )
    if dialect == "sqlite":
        phrase = '"' + text.replace('"', '""') + '"'
        key = literal_column("concerns.rowid")
        described = select(CONCERNS_TEXT.c.rowid).where(
            literal_column("concerns_text").op("MATCH")(phrase)
        )
        in_village = select(literal_column("rowid")).select_from(CONCERNS)
    else:
        key = c.id
        described = select(c.id).where(c.description.ilike(pattern, escape="\\"))
        in_village = select(c.id)
    return key.in_(union(described, in_village.where(c.village_id.in_(villages))))


def queue_clauses(
    wanted: QueueFilter, today: date, dialect: str, *, with_status: bool = True
) -> list[ColumnElement[bool]]:
    """The WHERE clauses of the filters (who sees what is added per part: `_parts`; both
    together: `visible_clauses`)."""
    c = CONCERNS.c
    clauses = [c.deleted.is_(False)]
    if with_status and wanted.statuses:
        clauses.append(c.status.in_(wanted.statuses))
    for column_, values in (
        (c.category_code, wanted.categories),
        (c.urgency, wanted.urgencies),
        (c.priority, wanted.priorities),
    ):
        if values:
            clauses.append(column_.in_(values))
    clauses += place_clauses(wanted)
    if wanted.overdue is True:
        clauses.append(overdue_clause(today))
    elif wanted.overdue is False:
        clauses.append(~overdue_clause(today))
    if wanted.text:
        clauses.append(_text_clause(wanted.text, dialect))
    return clauses


def _parts(actor: Actor, wanted: QueueFilter) -> list[ColumnElement[bool]]:
    """What the actor sees, as disjoint parts, each narrowed by the assignee filter."""
    c = CONCERNS.c
    if wanted.assignee == ME:
        assignee = c.assignee_id == actor.user_id
    elif wanted.assignee == NOBODY:
        # Half the concerns have nobody: written so that no index of assignees is walked for
        # them (the district's and the order's indexes hold the column and filter on it).
        assignee = func.coalesce(c.assignee_id, 0) == 0
    elif isinstance(wanted.assignee, int):
        assignee = c.assignee_id == wanted.assignee
    else:
        return record_filter_parts(actor, "concern", CONCERNS)
    return [and_(part, assignee) for part in record_filter_parts(actor, "concern", CONCERNS)]


def visible_clauses(
    actor: Actor, wanted: QueueFilter, today: date, dialect: str
) -> list[ColumnElement[bool]]:
    """What the actor sees of the queue, narrowed by the filters, as one WHERE (the exports:
    they read every matching row, so the parts' separate index walks do not pay there)."""
    return [or_(*_parts(actor, wanted)), *queue_clauses(wanted, today, dialect)]


def _walked(column_: Any) -> Any:
    return column_


def _sorted(column_: Any) -> Any:
    """The same value as an expression no index holds: the database sorts the rows it found
    instead of walking an order's index hoping to meet them (text matches, and the user's own
    records outside their districts, are found from their own indexes)."""
    return func.coalesce(column_, column_)


def _order(sort: str, c: Any = CONCERNS.c, key: Any = _walked) -> list[Any]:
    if sort == "newest":
        return [key(c.reported_at).desc(), key(c.id).desc()]
    if sort == "due":
        # Concerns without a due date last, written so that an index can hold the order
        # (SQLite puts NULLs first in an index; `IS NULL` first is the same on both).
        return [c.due_date.is_(None), key(c.due_date).asc(), key(c.reported_at).asc(), c.id.asc()]
    return [key(c.reported_at).asc(), key(c.id).asc()]


def queue_page(
    actor: Actor, wanted: QueueFilter, today: date, page: int, per_page: int, dialect: str
) -> Select:
    """The ids of the page's concerns, in the order asked for (load the rows with
    `page_rows`). With several parts, each part gives its first rows up to the page's end in
    that order, and the page is cut from their merge; only the first part (the user's
    districts, visibility.record_filter_parts) is large enough to walk an order's index."""
    clauses = queue_clauses(wanted, today, dialect)
    parts = _parts(actor, wanted)
    offset = (page - 1) * per_page
    first_key = _sorted if wanted.text else _walked
    if len(parts) == 1:
        query = select(CONCERNS.c.id).where(parts[0], *clauses)
        return query.order_by(*_order(wanted.sort, key=first_key)).limit(per_page).offset(offset)
    c = CONCERNS.c
    keys = (c.id, c.reported_at, c.due_date)
    firsts = [
        select(*keys)
        .where(part, *clauses)
        .order_by(*_order(wanted.sort, key=first_key if n == 0 else _sorted))
        .limit(offset + per_page)
        .subquery()
        for n, part in enumerate(parts)
    ]
    merged = union_all(*(select(*first.c) for first in firsts)).subquery()
    return (
        select(merged.c.id).order_by(*_order(wanted.sort, merged.c)).limit(per_page).offset(offset)
    )


def page_rows(session: Any, ids: list[str]) -> list[Concern]:
    """The concerns of a page, in the page's order."""
    if not ids:
        return []
    found = {c.id: c for c in session.scalars(select(Concern).where(Concern.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def queue_counts_query(actor: Actor, wanted: QueueFilter, today: date, dialect: str) -> Select:
    """Per status: how many concerns match the filters other than status, and how many of
    those are overdue; counted per part of what the actor sees, then added up. In the large
    first part the overdue ones are counted apart, as a range of due dates in the index,
    rather than tested row by row; the small parts test their few rows."""
    c = CONCERNS.c
    clauses = queue_clauses(wanted, today, dialect, with_status=False)
    first, *rest = _parts(actor, wanted)
    counted = [
        select(c.status, func.count().label("n"), literal(0).label("late"))
        .where(first, *clauses)
        .group_by(c.status),
        select(c.status, literal(0).label("n"), func.count().label("late"))
        .where(first, *clauses, overdue_clause(today))
        .group_by(c.status),
    ]
    late = func.sum(case((overdue_clause(today), 1), else_=0))
    counted += [
        select(c.status, func.count().label("n"), late.label("late"))
        .where(part, *clauses)
        .group_by(c.status)
        for part in rest
    ]
    each = union_all(*counted).subquery()
    return select(each.c.status, func.sum(each.c.n), func.sum(each.c.late)).group_by(each.c.status)


def counts_from_rows(rows: list[tuple[str, int, int | None]]) -> dict[str, int]:
    """{status: n, …, "overdue": n} with every status present."""
    counts = {s.value: 0 for s in Status}
    overdue = 0
    for status, n, late in rows:
        counts[status] = counts.get(status, 0) + int(n)
        overdue += int(late or 0)
    counts["overdue"] = overdue
    return counts


def total_of(counts: dict[str, int], wanted: QueueFilter) -> int:
    """The number of concerns under every filter, status included, from the counts."""
    statuses = wanted.statuses or tuple(s.value for s in Status)
    return sum(counts.get(s, 0) for s in statuses)
