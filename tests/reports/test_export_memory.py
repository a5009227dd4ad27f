"""An export streams: ten times the rows does not take ten times the memory."""

from __future__ import annotations

import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert

from fieldapp.auth.visibility import actor_for
from fieldapp.extensions import db
from fieldapp.models import Concern
from fieldapp.reports.exports import ExportRequest, export_chunks, export_query

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def add_concerns(village, count: int, start: int = 0) -> None:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        {
            "id": str(uuid.uuid4()),
            "version": 1,
            "field_versions": {},
            "deleted": False,
            "created_at": base,
            "updated_at": base,
            "village_id": village.id,
            "district_code": village.district_code,
            "category_code": "roads",
            "description": f"ถนนชำรุดเป็นหลุมลึก รถสัญจรลำบาก หน้าบ้านเลขที่ {n}",
            "urgency": "normal",
            "reported_at": base + timedelta(minutes=n),
            "reporter_consent": True,
            "reporter_name": "ผู้แจ้ง",
            "reporter_phone": "0800000000",
            "status": "new",
            "lat": 16.8,
            "lon": 100.2,
            "tracking_code": f"T{n:09d}",
        }
        for n in range(start, start + count)
    ]
    db.session.execute(insert(Concern.__table__), rows)
    db.session.commit()


def peak_bytes(admin, fmt: str) -> tuple[int, int]:
    """(peak traced memory, bytes written) while the whole export streams."""
    actor = actor_for(admin, "test")
    request = ExportRequest("concerns", fmt, personal=True)
    tracemalloc.start()
    try:
        written = sum(len(chunk) for chunk in export_chunks(export_query(actor, request), request))
        return tracemalloc.get_traced_memory()[1], written
    finally:
        tracemalloc.stop()


# XLSX is written by pure Python, slow under tracemalloc: fewer rows show the same thing.
@pytest.mark.parametrize(("fmt", "rows"), [("csv", 1_000), ("geojson", 1_000), ("xlsx", 300)])
def test_memory_stays_bounded_as_rows_grow(app, make_user, make_village, fmt, rows):
    admin = make_user(role="admin", districts=())
    village = make_village()
    add_concerns(village, rows)
    small, small_size = peak_bytes(admin, fmt)
    add_concerns(village, 9 * rows, start=rows)
    large, large_size = peak_bytes(admin, fmt)
    assert large_size > 8 * small_size  # ten times the rows were written
    # The file grew tenfold; the memory it took did not (it would, were rows gathered).
    assert large < 2 * small + 2_000_000, (small, large)
