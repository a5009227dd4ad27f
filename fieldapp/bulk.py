"""Bulk inserts: the DB-API's executemany directly on SQLite, COPY on PostgreSQL.

A push writes hundreds of rows per request; SQLAlchemy's per-row bind processing costs more
than the insert itself, and on PostgreSQL an executemany is still one statement a row. The
direct paths store exactly what SQLAlchemy would (JSON text — JSON null for None —, on SQLite
`YYYY-MM-DD HH:MM:SS.ffffff` UTC times and 0/1 booleans), so the ORM reads it back unchanged
(tests/sync/test_bulk.py). Other databases get SQLAlchemy Core's executemany.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

import psycopg
from sqlalchemy import (
    ARRAY,
    JSON,
    Boolean,
    Date,
    DateTime,
    Select,
    Table,
    any_,
    bindparam,
    func,
    insert,
    select,
)
from sqlalchemy.exc import DBAPIError

from fieldapp.config import json_text
from fieldapp.extensions import db


def _datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        value = value.replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


def _date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _bool(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _converter(column_type: Any) -> Callable[[Any], Any] | None:
    if isinstance(column_type, JSON):
        return json_text
    if isinstance(column_type, DateTime):
        return _datetime
    if isinstance(column_type, Date):
        return _date
    if isinstance(column_type, Boolean):
        return _bool
    return None


# Converters of immutable values: a value repeated from the row before (a batch's one `now`)
# is converted once.
_IMMUTABLE = (_datetime, _date, _bool)


@cache
def _plan(table: Table, names: tuple[str, ...]) -> tuple[str, tuple]:
    columns = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join("?" for _ in names)
    converters = tuple(
        (index, convert, convert in _IMMUTABLE)
        for index, name in enumerate(names)
        if (convert := _converter(table.c[name].type)) is not None
    )
    return f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})', converters


@cache
def _copy_plan(table: Table, names: tuple[str, ...]) -> tuple[str, tuple[int, ...]]:
    columns = ", ".join(f'"{name}"' for name in names)
    json_at = tuple(i for i, name in enumerate(names) if isinstance(table.c[name].type, JSON))
    return f'COPY "{table.name}" ({columns}) FROM STDIN', json_at


def _copy_rows(connection: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: the rows in one COPY, in the request's transaction. A failure (a unique
    key another push committed first) is raised as SQLAlchemy raises it, so callers that
    retry on IntegrityError see the same exception either way."""
    names = tuple(rows[0])
    sql, json_at = _copy_plan(table, names)
    try:
        with (
            connection.connection.driver_connection.cursor() as cursor,
            cursor.copy(sql) as copy,
        ):
            for row in rows:
                values = [row[name] for name in names]
                for index in json_at:
                    values[index] = json_text(values[index])
                copy.write_row(values)
    except psycopg.Error as exc:
        raise DBAPIError.instance(
            sql, None, exc, psycopg.Error, dialect=connection.dialect
        ) from exc


def insert_rows(table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows that all have the same keys: one executemany, or one COPY."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        _copy_rows(connection, table, rows)
        return
    if connection.dialect.name != "sqlite":
        db.session.execute(insert(table), rows)
        return
    names = tuple(rows[0])
    sql, converters = _plan(table, names)
    params = []
    last: dict[int, tuple[Any, Any]] = {}  # column index -> (value, converted) of the row before
    for row in rows:
        values = [row[name] for name in names]
        for index, convert, immutable in converters:
            value = values[index]
            if immutable:
                before = last.get(index)
                if before is None or before[0] is not value:
                    before = last[index] = (value, convert(value))
                values[index] = before[1]
            else:
                values[index] = convert(value)
        params.append(tuple(values))
    connection.exec_driver_sql(sql, params)


# `value IN (the ids of one JSON array parameter)`, for SQLite.
_JSON_IDS = select(func.json_each(bindparam("ids_json")).table_valued("value").c.value)


def select_among(conn: Any, statement: Select, column: Any, ids: list[str]) -> Any:
    """Execute `statement` filtered to `column IN ids` on `conn` (a session or connection).

    The ids go as one parameter — a JSON array read by json_each on SQLite, an array for
    `= ANY` on PostgreSQL — into a statement built once per (statement, column) and reused
    from SQLAlchemy's compiled cache: building a select with a parameter per id costs more
    than the lookups themselves (~250 us against ~75 for 200 ids, ~150 us for one id). Pass
    the same `statement` object every time (a module-level select)."""
    dialect = conn.dialect if hasattr(conn, "dialect") else conn.get_bind().dialect
    postgres = dialect.name == "postgresql"
    key = (id(statement), id(column), postgres)  # both live as long as the module that made them
    filtered = _FILTERED.get(key)
    if filtered is None:
        among = (
            column == any_(bindparam("ids", type_=ARRAY(column.type)))
            if postgres
            else column.in_(_JSON_IDS)
        )
        filtered = _FILTERED[key] = statement.where(among)
    if postgres:
        return conn.execute(filtered, {"ids": list(ids)})
    return conn.execute(filtered, {"ids_json": json_text(list(ids))})


_FILTERED: dict[tuple[int, int, bool], Select] = {}
