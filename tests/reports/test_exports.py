"""Exports: CSV with a BOM that round-trips Thai, XLSX that openpyxl reads back, GeoJSON
with [lon, lat] points; personal data only for roles allowed and only when asked, audited."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry
from tests.reports.conftest import SECRET_NAMES, SECRET_PHONES

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


@pytest.fixture
def admin(make_user, login):
    return login(make_user(role="admin", districts=()))


def export(client, headers, path: str):
    return client.get(f"/api/exports/{path}", headers=headers, buffered=True)


def read_csv(response) -> list[dict[str, str]]:
    assert response.data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def test_csv_starts_with_a_bom_and_round_trips_thai(client, admin, province):
    response = export(client, admin, "concerns?format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="concerns.csv"' in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert len(rows) == len(province.concerns)
    assert {r["description"] for r in rows} == {c.description for c in province.concerns}
    assert {r["village_name"] for r in rows} == {"บ้านหนองโพธิ์", "บ้านนาบัว"}
    assert "reporter_name" not in rows[0]  # not asked for


def test_filters_narrow_the_export(client, admin, province):
    rows = read_csv(export(client, admin, "concerns?district=6502&status=in_progress"))
    assert [(r["district_code"], r["status"]) for r in rows] == [("6502", "in_progress")]
    rows = read_csv(export(client, admin, "concerns?category=water"))
    assert {r["category_code"] for r in rows} == {"water"}
    assert export(client, admin, "concerns?status=lost").status_code == 422
    assert export(client, admin, "concerns?format=pdf").status_code == 422


def test_xlsx_reads_back_with_openpyxl(client, admin, province):
    response = export(client, admin, "inspections?format=xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert len(data) == 3
    assert {row[header.index("place_name")] for row in data} == {"โรงเรียนบ้านหนองโพธิ์"}
    assert sorted(row[header.index("total")] for row in data) == [60, 80, 90]


def test_geojson_points_are_lon_lat(client, admin, province):
    response = export(client, admin, "concerns?format=geojson")
    assert response.mimetype == "application/geo+json"
    collection = json.loads(response.data)
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(province.concerns)
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point"
        assert 97 < lon < 106 and 5 < lat < 21  # Thailand: longitude first
        assert "lat" not in feature["properties"]
    visits = json.loads(export(client, admin, "visits?format=geojson").data)
    assert [f["geometry"]["coordinates"] for f in visits["features"]] == [[100.2, 16.8]] * 3


def test_personal_data_only_when_asked_and_allowed_and_audited(
    client, admin, login, make_user, province
):
    rows = read_csv(export(client, admin, "concerns?personal=true"))
    assert {r["reporter_name"] for r in rows} == set(SECRET_NAMES)
    assert {r["reporter_phone"] for r in rows} == set(SECRET_PHONES)
    audit = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "export.personal_data")
    ).all()
    assert len(audit) == 1 and audit[0].details["personal"] is True
    # An official may not export at all; personal data is for concerns only.
    official = login(make_user(role="official", districts=("6501",)))
    assert export(client, official, "concerns?personal=true").status_code == 403
    assert export(client, admin, "visits?personal=true").status_code == 422


def test_a_supervisor_exports_their_districts(client, login, make_user, province):
    supervisor = login(make_user(role="supervisor", districts=("6502",)))
    rows = read_csv(export(client, supervisor, "concerns?personal=true"))
    assert {r["district_code"] for r in rows} == {"6502"}
    assert all(r["reporter_name"] in SECRET_NAMES for r in rows)
    visits = read_csv(export(client, supervisor, "visits"))
    assert {r["district_code"] for r in visits} == {"6502"}


QUEUE_FILTERS = [
    "status=new,accepted,in_progress",
    "category=roads&district=6501",
    "overdue=true",
    "q=เรื่องที่ 1",
    "status=resolved,closed&subdistrict=650201",
    "assignee=none&urgency=normal",
]


@pytest.mark.parametrize("filters", QUEUE_FILTERS)
def test_an_export_holds_what_the_queue_lists_under_the_same_filters(
    client, admin, province, filters
):
    queue = client.get(f"/api/concerns?{filters}&per_page=100", headers=admin).get_json()
    rows = read_csv(export(client, admin, f"concerns?{filters}"))
    assert queue["total"] == len(queue["items"])  # one page holds them all
    assert sorted(r["id"] for r in rows) == sorted(item["id"] for item in queue["items"])


def test_visits_and_inspections_take_the_queues_place_filters_only(client, admin, province):
    rows = read_csv(export(client, admin, "visits?district=6502"))
    assert [r["district_code"] for r in rows] == ["6502"]
    village = province.villages["6501"].id
    rows = read_csv(export(client, admin, f"inspections?village={village}"))
    assert sorted(r["total"] for r in rows) == ["60", "80"]
    refused = export(client, admin, "visits?status=new&q=ถนน")
    assert refused.status_code == 422
    assert {c["field"]: c["code"] for c in refused.get_json()["error_codes"]} == {
        "status": "concerns_only",
        "q": "concerns_only",
    }


def test_an_audited_export_records_the_queue_filters(client, admin, province):
    read_csv(export(client, admin, "concerns?personal=true&status=new,accepted&overdue=true"))
    [entry] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "export.personal_data")
    ).all()
    assert entry.details["filters"] == {"status": ["new", "accepted"], "overdue": True}
