"""Pull: the changes after a cursor that a user may see, read from one snapshot."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    case,
    exists,
    select,
    union_all,
)

from fieldapp.auth.visibility import feed_filter, form_given, may_see, scope_of
from fieldapp.extensions import db
from fieldapp.models import (
    Category,
    Change,
    ChangeCounter,
    ChecklistTemplate,
    FeedRestore,
    Form,
    FormVersion,
    Photo,
    PhotoLink,
)
from fieldapp.syncstore.render import Viewer, load_attachments, record_json
from fieldapp.syncstore.tables import MODELS, PUSHABLE, table
from sync import Actor

# change_counter row 1 is the feed's sequence; row 2 the compaction horizon (see compact.py).
SEQUENCE_ROW, HORIZON_ROW = 1, 2


@dataclass(frozen=True)
class Reader:
    """What a pull needs to know about the user: scope and the right to personal data."""

    actor: Actor
    viewer: Viewer


@contextmanager
def snapshot() -> Iterator[Connection]:
    """A read-only connection whose every query sees the same committed state.

    PostgreSQL: REPEATABLE READ. SQLite: an explicit BEGIN (WAL readers keep the snapshot of
    their first read until the transaction ends).
    """
    engine = db.engine
    if engine.dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ"}
        with engine.connect().execution_options(**options) as conn, conn.begin():
            yield conn
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()


def _counter(conn: Connection, row_id: int) -> int:
    t = ChangeCounter.__table__
    value = conn.execute(select(t.c.value).where(t.c.id == row_id)).scalar()
    return int(value or 0)


def _restored_away(conn: Connection, cursor: int) -> bool:
    """A cursor a restore from a backup left behind: it names changes that no longer exist."""
    t = FeedRestore.__table__
    void = select(t.c.id).where(t.c.restored_seq < cursor, t.c.resumed_seq > cursor).limit(1)
    return cursor > 0 and conn.execute(void).first() is not None


def reset(reason: str) -> dict[str, Any]:
    return {"reset": True, "reason": reason, "cursor": "0", "has_more": True, "changes": []}


def pull_changes(reader: Reader, cursor: int, limit: int) -> dict[str, Any]:
    with snapshot() as conn:
        current = _counter(conn, SEQUENCE_ROW)
        if cursor > current or _restored_away(conn, cursor):
            return reset("cursor_ahead")
        horizon = _counter(conn, HORIZON_ROW)
        if 0 < cursor < horizon:
            return reset("cursor_expired")
        c = Change.__table__.c
        visible = feed_filter(reader.actor, c)
        scope = visible
        if conn.dialect.name == "sqlite":
            # Walk the feed by seq from the cursor: left alone, SQLite answers the OR from the
            # scope indexes and sorts every row the user ever saw, on every page.
            scope = case((scope, 1), else_=0) == 1
        rows = conn.execute(
            select(c.seq, c.entity, c.record_id)
            .where(c.seq > cursor, scope)
            .order_by(c.seq)
            .limit(limit + 1)
        ).all()
        has_more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = rows[-1][0] if has_more else current
        # A record changed several times in this page appears once, at its latest change.
        latest: dict[tuple[str, str], int] = {}
        for seq, entity, record_id in rows:
            latest[(entity, record_id)] = seq
        upto = rows[-1][0] if rows else cursor
        # The page's record ids as a subquery: the same rows, without 500 bound parameters.
        page = select(c.record_id).where(c.seq > cursor, c.seq <= upto, visible)
        if has_more:  # ... and not at all when a later page holds a newer change of it
            for key in _changed_later(conn, scope, latest, page, upto):
                del latest[key]
        changes = _render(conn, reader, latest, page)
        result = {"cursor": str(next_cursor), "has_more": has_more, "changes": changes}
        if not has_more:
            result["missing_photos"] = photos_wanted(conn, reader.actor.user_id)
    return result


def _changed_later(
    conn: Connection, scope: Any, latest: dict[tuple[str, str], int], page: Any, upto: int
) -> set[tuple[str, str]]:
    """The page's records that have a change after `upto` this user may see: they are served
    there, once, at their latest state. A record whose later change the user may not see
    keeps its entry here (it is how the record's leaving the user's scope reaches them)."""
    c = Change.__table__.c
    later = conn.execute(
        select(c.entity, c.record_id).where(c.record_id.in_(page), c.seq > upto, scope).distinct()
    )
    return {(entity, record_id) for entity, record_id in later} & latest.keys()


def photos_wanted(conn: Connection, user_id: int, limit: int = 1000) -> list[str]:
    """Photos the user's own live records name whose bytes the server still lacks."""
    link, photo = PhotoLink.__table__, Photo.__table__
    owned = union_all(
        *(
            select(table(entity).c.id).where(
                table(entity).c.created_by_id == user_id, table(entity).c.deleted.is_(False)
            )
            for entity in PUSHABLE
        )
    )
    query = (
        select(link.c.sha256)
        .where(link.c.record_id.in_(owned), ~exists().where(photo.c.sha256 == link.c.sha256))
        .distinct()
        .order_by(link.c.sha256)
        .limit(limit)
    )
    return list(conn.scalars(query))


# What a page shows of each record: every column but field_versions (the merge's bookkeeping,
# never sent), read as a mapping and rendered from it (render.record_json).
_SHOWN_COLUMNS = {
    entity: select(*(c for c in table(entity).columns if c.name != "field_versions"))
    for entity in MODELS
}


def _render(
    conn: Connection, reader: Reader, latest: dict[tuple[str, str], int], page: Any
) -> list[dict[str, Any]]:
    by_entity: dict[str, list[str]] = defaultdict(list)
    for entity, record_id in latest:
        by_entity[entity].append(record_id)
    rows: dict[tuple[str, str], Any] = {}
    reference: dict[tuple[str, str], dict[str, Any]] = {}
    # PostgreSQL plans the page's ids as a semi-join (fewer bound parameters, faster there);
    # SQLite does better with the ids themselves.
    by_subquery = conn.dialect.name != "sqlite"
    for entity, ids in by_entity.items():
        if entity in MODELS:
            t = table(entity)
            c = Change.__table__.c
            in_page = page.where(c.entity == entity) if by_subquery and len(ids) > 20 else ids
            for row in conn.execute(_SHOWN_COLUMNS[entity].where(t.c.id.in_(in_page))):
                rows[(entity, row.id)] = row._mapping
        elif entity == "category":
            t = Category.__table__
            for row in conn.execute(select(t).where(t.c.code.in_(ids))):
                reference[(entity, row.code)] = dict(row._mapping)
        elif entity == "template":
            t = ChecklistTemplate.__table__
            numeric = [int(i) for i in ids if i.isdigit()]
            for row in conn.execute(select(t).where(t.c.id.in_(numeric))):
                template = dict(row._mapping)
                template["max_total"] = sum(int(i["max_score"]) for i in template["items"])
                reference[(entity, str(row.id))] = template
        elif entity == "form":
            reference.update(_forms(conn, ids, reader.actor))
    live = [i for (e, i), row in rows.items() if not row["deleted"] and e != "village"]
    c = Change.__table__.c
    attachable = page.where(c.entity.in_(PUSHABLE))
    attachments = load_attachments(conn, attachable if by_subquery and len(live) > 20 else live)
    concerns = _concerns_of_followups(conn, rows)
    actor, viewer = reader.actor, reader.viewer
    out = []
    for key, seq in sorted(latest.items(), key=lambda item: item[1]):
        entity, record_id = key
        entry: dict[str, Any] = {"seq": seq, "entity": entity, "id": record_id}
        row = rows.get(key)
        if row is None:
            item = reference.get(key)
            if item is WITHHELD:
                entry.update(deleted=True, out_of_scope=True, record=None)
            else:
                entry.update(deleted=item is None, record=item)
        elif row["deleted"]:
            entry.update(deleted=True, record=None)
        elif not may_see(actor, _scope_of(entity, row, concerns)):
            entry.update(deleted=True, out_of_scope=True, record=None)
        else:
            shown = None if entity == "village" else attachments
            entry.update(deleted=False, record=record_json(entity, row, viewer, shown))
        out.append(entry)
    return out


WITHHELD: dict[str, Any] = {}  # a form version not given to the reader


def _forms(conn: Connection, ids: list[str], actor: Actor) -> dict[tuple[str, str], Any]:
    """Form versions as reference records (docs/sync-protocol.md, "Surveys"); one not given
    to the reader (fieldapp/auth/visibility.py: form_given) is withheld."""
    v, f = FormVersion.__table__, Form.__table__
    numeric = [int(i) for i in ids if i.isdigit() and len(i) < 10]
    rows = conn.execute(
        select(
            *(v.c[name] for name in ("id", "form_key", "version", "title_th", "title_en")),
            v.c.definition,
            *(f.c[name] for name in ("roles", "district_codes", "public", "retired")),
        )
        .join(f, f.c.form_key == v.c.form_key)
        .where(v.c.id.in_(numeric))
    )
    out: dict[tuple[str, str], Any] = {}
    for row in rows:
        key = ("form", str(row.id))
        if not form_given(actor, row.roles or [], row.district_codes or []):
            out[key] = WITHHELD
            continue
        out[key] = {
            "id": str(row.id),
            "form_key": row.form_key,
            "version": row.version,
            "title_th": row.title_th,
            "title_en": row.title_en,
            "public": bool(row.public),
            "retired": bool(row.retired),
            "definition": row.definition,
        }
    return out


_CONCERN_SCOPE = ("id", "district_code", "created_by_id", "assignee_id")


def _concerns_of_followups(conn: Connection, rows: dict[tuple[str, str], Any]) -> dict[str, Any]:
    """The scope columns of each concern a pulled follow-up belongs to, as they are now."""
    known = {i: row for (e, i), row in rows.items() if e == "concern"}
    wanted = {row["concern_id"] for (e, _), row in rows.items() if e == "followup"} - set(known)
    if wanted:
        t = table("concern")
        found = conn.execute(
            select(*(t.c[name] for name in _CONCERN_SCOPE)).where(t.c.id.in_(sorted(wanted)))
        )
        known.update({row.id: row._mapping for row in found})
    return known


def _scope_of(entity: str, row: Any, concerns: dict[str, Any]) -> Any:
    """The record's scope as it is now (it may have moved since the change was fed)."""
    concern = concerns.get(row["concern_id"]) if entity == "followup" else None
    return scope_of(entity, row, concern)
