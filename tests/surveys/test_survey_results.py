"""A form's results: the submissions table, CSV and XLSX exports with one column per question
of every version and Thai choice labels, and a public form's answers in the open data."""

from __future__ import annotations

import csv
import io
import json
import uuid

import openpyxl
import pytest
import sqlite_utils

from fieldapp.extensions import db
from fieldapp.surveys.forms import change_form, import_form, seed_forms
from tests.surveys.xlsforms import workbook

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]
COLUMNS = ["type", "name", "label::Thai (th)", "label::English (en)"]
CHOICES = [
    ["kind", "burn_spot", "จุดเผา", "Burn spot"],
    ["kind", "smoke", "หมอกควัน", "Smoke"],
    ["kind", "dust", "ฝุ่น", "Dust"],
]


def push(client, headers, village_id, form_id, answers, **fields):
    mutation = {
        "mutation_id": str(uuid.uuid4()),
        "entity": "survey",
        "record_id": str(uuid.uuid4()),
        "op": "create",
        "fields": {
            "village_id": village_id,
            "form_id": form_id,
            "filled_at": "2026-03-01T11:00:00+07:00",
            "answers": answers,
            **fields,
        },
    }
    body = {"device_id": headers["X-Device-Id"], "mutations": [mutation]}
    response = client.post("/api/sync/push", json=body, headers=headers)
    [result] = response.get_json()["results"]
    assert result["status"] == "applied", result
    return mutation["record_id"]


@pytest.fixture
def two_versions(app, client, make_user, login, make_village):
    """Version 1 asked `kind` and `old_note`; version 2 dropped `old_note`, added `count`
    and the `dust` choice. One survey of each; one in another district."""
    v1 = import_form(
        workbook(
            [["select_one kind", "kind", "ชนิด", "Kind"], ["text", "old_note", "บันทึกเก่า", "Old"]],
            CHOICES[:2],
            form_id="smoke_watch",
            version="1",
        ),
        None,
    )
    v2 = import_form(
        workbook(
            [
                ["integer", "count", "จำนวนจุด", "Count"],
                ["select_multiple kind", "kind", "ชนิด", "K"],
            ],
            CHOICES,
            form_id="smoke_watch",
            version="2",
        ),
        None,
    )
    db.session.commit()
    official = login(make_user())
    village = make_village(name_th="บ้านหนองแขม")
    first = push(client, official, village.id, v1.id, {"kind": "smoke", "old_note": "ควันบาง"})
    second = push(client, official, village.id, v2.id, {"kind": ["burn_spot", "dust"], "count": 3})
    elsewhere = login(make_user(districts=("6502",)))
    other = make_village(subdistrict_code="650201")
    push(client, elsewhere, other.id, v2.id, {"count": 1})
    return first, second


def test_submissions_show_every_version_and_thai_labels(client, make_user, login, two_versions):
    first, second = two_versions
    supervisor = login(make_user(role="supervisor"))
    response = client.get("/api/forms/smoke_watch/submissions", headers=supervisor)
    assert response.status_code == 200, response.get_json()
    page = response.get_json()
    assert page["total"] == 2  # the survey of another district is not theirs
    assert [c["name"] for c in page["columns"]] == ["count", "kind", "old_note"]
    by_id = {item["id"]: item for item in page["items"]}
    assert by_id[first]["answers_labelled"] == {"kind": "หมอกควัน", "old_note": "ควันบาง"}
    assert by_id[first]["form_version"] == "1"
    assert by_id[second]["answers_labelled"] == {"kind": "จุดเผา, ฝุ่น", "count": "3"}
    assert by_id[second]["village"].endswith("บ้านหนองแขม")
    admin = login(make_user(role="admin", districts=()))
    assert client.get("/api/forms/smoke_watch/submissions", headers=admin).get_json()["total"] == 3
    filtered = client.get(
        "/api/forms/smoke_watch/submissions?district=6502&per_page=1", headers=admin
    ).get_json()
    assert filtered["total"] == 1 and len(filtered["items"]) == 1
    official = login(make_user())
    assert client.get("/api/forms/smoke_watch/submissions", headers=official).status_code == 403
    assert client.get("/api/forms/nope/submissions", headers=admin).status_code == 404
    wrong = client.get(
        "/api/forms/smoke_watch/submissions?from=2026-03-02&to=2026-03-01", headers=admin
    )
    assert wrong.status_code == 422


def test_the_csv_has_a_bom_one_column_per_question_and_thai_choice_labels(
    client, make_user, login, two_versions
):
    first, second = two_versions
    supervisor = login(make_user(role="supervisor"))
    response = client.get("/api/exports/surveys/smoke_watch.csv", headers=supervisor)
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header = rows[0]
    # the fixed columns, then one per question of every version (newest version's order first)
    assert header[-3:] == ["จำนวนจุด (count)", "ชนิด (kind)", "บันทึกเก่า (old_note)"]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_id) == {first, second}
    assert by_id[first]["ชนิด (kind)"] == "หมอกควัน"
    assert by_id[first]["บันทึกเก่า (old_note)"] == "ควันบาง"
    assert by_id[second]["ชนิด (kind)"] == "จุดเผา, ฝุ่น"
    assert by_id[second]["จำนวนจุด (count)"] == "3"


def test_the_xlsx_reads_back_with_openpyxl(client, make_user, login, two_versions):
    first, _ = two_versions
    admin = login(make_user(role="admin", districts=()))
    response = client.get("/api/exports/surveys/smoke_watch.xlsx?district=6501", headers=admin)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    header = rows[0]
    assert "ชนิด (kind)" in header and "บันทึกเก่า (old_note)" in header
    assert len(rows) == 3
    old = next(dict(zip(header, row, strict=True)) for row in rows[1:] if row[0] == first)
    assert old["ชนิด (kind)"] == "หมอกควัน" and old["หมู่บ้าน"].endswith("บ้านหนองแขม")


def test_a_public_forms_closed_answers_are_in_the_open_data(
    client, runner, make_user, login, make_village, tmp_path
):
    haze, _ = seed_forms()
    db.session.commit()
    official = login(make_user(display_name="นายสำรวจ ลับมาก"))
    village = make_village()
    answers = {
        "kind": "smoke",
        "land_type": "forest",
        "action_taken": ["warned"],
        "distance_km": 1.5,
        "remarks": "นายสมชาย ใจดี โทร 0812345678",
        "position": {"lat": 16.812345, "lon": 100.265432, "accuracy_m": 4},
    }
    push(client, official, village.id, haze.id, answers, lat=16.812345, lon=100.265432)
    path = tmp_path / "open.db"
    assert runner.invoke(args=["export-open-data", str(path)]).exit_code == 0
    assert sqlite_utils.Database(path)["survey_answers"].count == 0  # not public yet
    change_form("haze_survey", {"public": True}, None)
    db.session.commit()
    assert runner.invoke(args=["export-open-data", str(path)]).exit_code == 0
    out = sqlite_utils.Database(path)
    [row] = list(out["survey_answers"].rows)
    assert (row["lat"], row["lon"]) == (16.812, 100.265)
    assert row["form_key"] == "haze_survey"
    assert json.loads(row["answers"]) == {
        "kind": "smoke",
        "land_type": "forest",
        "action_taken": ["warned"],
        "distance_km": 1.5,
    }
    dump = "\n".join(out.iterdump())
    assert "0812345678" not in dump and "ลับมาก" not in dump and "16.812345" not in dump
    assert [f["form_key"] for f in out["survey_forms"].rows] == ["haze_survey"]


def test_a_public_forms_surveys_are_counted_on_the_public_page(
    client, make_user, login, make_village
):
    haze, _ = seed_forms()
    db.session.commit()
    official = login(make_user(display_name="นายสำรวจ ลับมาก"))
    village = make_village()
    answers = {"kind": "smoke", "remarks": "นายสมชาย ใจดี โทร 0812345678"}
    push(client, official, village.id, haze.id, answers, lat=16.812345, lon=100.265432)
    page = client.get("/public").get_data(as_text=True)
    assert haze.title_th not in page  # not public yet
    change_form("haze_survey", {"public": True}, None)
    db.session.commit()
    page = client.get("/public").get_data(as_text=True)
    assert "ผลการสำรวจที่เปิดเผย" in page and haze.title_th in page
    assert "<td>1</td><td>1 มี.ค. 2569</td>" in page  # one survey, its day in Thai
    for private in ("0812345678", "สมชาย", "ลับมาก", "16.812345"):
        assert private not in page
    english = client.get("/public?lang=en").get_data(as_text=True)
    assert "Public survey results" in english and haze.title_en in english
