"""insert_rows stores what SQLAlchemy's own insert stores — on SQLite the same time text, the
same 0/1 booleans, JSON that reads back equal (compact, Thai unescaped); on PostgreSQL, through
COPY, the same values — and fails as SQLAlchemy fails."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from fieldapp.bulk import insert_rows, select_among
from fieldapp.extensions import db
from fieldapp.models import Visit

# The data layer runs on SQLite and, when TEST_DATABASE_URL is set (always on CI), PostgreSQL.
pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]

BANGKOK = timezone(timedelta(hours=7))


def _rows(village_id: str, user_id: int) -> list[dict]:
    now = datetime.now(UTC)  # one object shared by every row, as a push's `now` is
    times = [
        now,
        datetime(2026, 3, 1, 8, 30, 0, 123456, tzinfo=UTC),
        datetime(2026, 3, 1, 1, 30),  # naive: taken as UTC
        now,
    ]
    rows = []
    for index, visited_at in enumerate(times):
        rows.append(
            {
                "id": str(uuid.uuid4()),
                "version": 1,
                "field_versions": {"~w": {"*": [user_id, "d", str(index)]}},
                "deleted": index % 2 == 0,
                "device_id": "d",
                "observed_at": None if index % 2 else visited_at,
                "created_at": now,
                "updated_at": now,
                "created_by_id": user_id,
                "village_id": village_id,
                "district_code": "6501",
                "lat": 16.8,
                "lon": None,
                "gps_accuracy_m": 3.5,
                "visited_at": visited_at,
                "companions": ["ชาวบ้าน", "ผู้ใหญ่บ้าน"],
                "topics": ["haze"],
                "villagers_met": index,
                "notes": "ประชุม ศาลาประชาคม",
            }
        )
    return rows


JSON_COLUMNS = ("field_versions", "companions", "topics")


def _stored(ids: list[str]) -> list[dict]:
    """The rows as the database driver hands them back: on SQLite the stored text itself."""
    connection = db.session.connection()
    mark = "?" if connection.dialect.name == "sqlite" else "%s"
    out = []
    for record_id in ids:
        row = connection.exec_driver_sql(f"SELECT * FROM visits WHERE id = {mark}", (record_id,))
        stored = dict(row.mappings().one())
        del stored["id"]
        for name in JSON_COLUMNS:
            if isinstance(stored[name], str):  # SQLite; psycopg has parsed it already
                stored[name] = json.loads(stored[name])
        out.append(stored)
    return out


def test_insert_rows_stores_what_sqlalchemy_stores(app, make_user, make_village):
    user, village = make_user(), make_village()
    direct, core = _rows(village.id, user.id), _rows(village.id, user.id)
    for a, b in zip(direct, core, strict=True):
        b.update({k: v for k, v in a.items() if k != "id"})
    insert_rows(Visit.__table__, direct)
    db.session.execute(insert(Visit.__table__), core)
    assert _stored([r["id"] for r in direct]) == _stored([r["id"] for r in core])
    # and the ORM reads them back as the same moments
    second = db.session.get(Visit, direct[1]["id"])
    assert second.visited_at.replace(tzinfo=UTC) == direct[1]["visited_at"]


def test_insert_rows_stores_a_time_with_an_offset_as_its_utc_moment(app, make_user, make_village):
    user, village = make_user(), make_village()
    rows = _rows(village.id, user.id)[:2]
    rows[0]["visited_at"] = datetime(2026, 3, 1, 8, 30, tzinfo=BANGKOK)
    rows[1]["visited_at"] = rows[0]["visited_at"]  # the same object again
    insert_rows(Visit.__table__, rows)
    stored = [s["visited_at"] for s in _stored([r["id"] for r in rows])]
    if db.session.connection().dialect.name == "sqlite":
        assert stored == ["2026-03-01 01:30:00.000000", "2026-03-01 01:30:00.000000"]
    else:
        assert stored == [datetime(2026, 3, 1, 1, 30, tzinfo=UTC)] * 2


_VISIT_IDS = select(Visit.__table__.c.id)


def test_select_among_finds_what_in_finds(app, make_user, make_village):
    user, village = make_user(), make_village()
    rows = _rows(village.id, user.id) + _rows(village.id, user.id)
    insert_rows(Visit.__table__, rows)
    ids = [r["id"] for r in rows]
    column = Visit.__table__.c.id
    for wanted in (ids[:3], ids[::2] + [str(uuid.uuid4()) for _ in range(9)], ids, []):
        expected = set(db.session.scalars(select(column).where(column.in_(wanted))))
        assert set(select_among(db.session, _VISIT_IDS, column, wanted).scalars()) == expected
        connection = db.session.connection()
        assert set(select_among(connection, _VISIT_IDS, column, wanted).scalars()) == expected


def test_a_row_another_push_stored_first_raises_what_sqlalchemy_raises(
    app, make_user, make_village
):
    """The push retries on IntegrityError: the direct paths must raise it too."""
    user, village = make_user(), make_village()
    rows = _rows(village.id, user.id)[:1]
    insert_rows(Visit.__table__, rows)
    with pytest.raises(IntegrityError):
        insert_rows(Visit.__table__, rows)
