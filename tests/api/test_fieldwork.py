"""Visits and inspections under review: who sees which, filters, a review's round trip to the
author's phone, and a village's Clean & Tidy history."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, ChecklistTemplate
from tests.api.workspace import new_id

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def record_visit(province, who="official", village="mueang", **fields):
    values = {
        "village_id": province.villages[village].id,
        "visited_at": "2026-03-05T09:30:00+07:00",
        "topics": ["haze"],
        "notes": "ประชุมเรื่องไฟป่า",
        **fields,
    }
    record_id = new_id()
    mutation = {"mutation_id": new_id(), "entity": "visit", "record_id": record_id, "op": "create"}
    [result] = province.push(who, [{**mutation, "fields": values}])
    assert result["status"] == "applied", result
    return record_id


def record_inspection(province, who="official", village="mueang", **fields):
    template = db.session.scalar(select(ChecklistTemplate.id))
    values = {
        "village_id": province.villages[village].id,
        "place_type": "school",
        "place_name": "โรงเรียนบ้านในเมือง",
        "inspected_at": "2026-03-06T10:00:00+07:00",
        "template_id": template,
        "scores": {"entrance": {"score": 4, "note": ""}, "toilets": {"score": 2, "note": "สกปรก"}},
        **fields,
    }
    record_id = new_id()
    mutation = {"mutation_id": new_id(), "entity": "inspection", "record_id": record_id}
    [result] = province.push(who, [{**mutation, "op": "create", "fields": values}])
    assert result["status"] == "applied", result
    return record_id


def ids(response) -> set[str]:
    assert response.status_code == 200, response.get_json()
    return {item["id"] for item in response.get_json()["items"]}


def test_who_sees_which_visits(province):
    mine = record_visit(province)
    colleagues = record_visit(province, "colleague")
    far = record_visit(province, "official2", "nakhon_thai")
    assert ids(province.get("official", "/api/visits")) == {mine}
    assert ids(province.get("supervisor", "/api/visits")) == {mine, colleagues}
    assert ids(province.get("other_supervisor", "/api/visits")) == {far}
    assert ids(province.get("admin", "/api/visits")) == {mine, colleagues, far}
    for who in ("anonymous", "deactivated"):
        assert province.get(who, "/api/visits").status_code == 401
    assert province.get("colleague", f"/api/visits/{mine}").status_code == 404
    assert province.get("other_supervisor", f"/api/visits/{mine}").status_code == 404
    detail = province.get("supervisor", f"/api/visits/{mine}").get_json()
    assert detail["author"]["display_name"] == "สมชาย เมือง"
    assert detail["village"]["name_th"] == "บ้านในเมือง" and detail["topics"] == ["haze"]


def test_visit_filters(province):
    march5 = record_visit(province)
    march9 = record_visit(province, "colleague", "mueang2", visited_at="2026-03-09T23:30:00+07:00")
    url = "/api/visits?from=2026-03-06&to=2026-03-09"
    assert ids(province.get("supervisor", url)) == {march9}  # 23:30 Bangkok is still the 9th
    assert ids(province.get("supervisor", "/api/visits?to=2026-03-05")) == {march5}
    author = province.id_of("colleague")
    assert ids(province.get("supervisor", f"/api/visits?author={author}")) == {march9}
    village = province.villages["mueang"].id
    assert ids(province.get("supervisor", f"/api/visits?village={village}")) == {march5}
    assert ids(province.get("supervisor", "/api/visits?q=ไฟป่า")) == {march5, march9}
    page = province.get("supervisor", "/api/visits?per_page=1").get_json()
    assert page["total"] == 2 and [i["id"] for i in page["items"]] == [march9]  # newest first
    assert province.get("supervisor", "/api/visits?from=yesterday").status_code == 422


def test_a_review_reaches_the_authors_phone(province):
    inspection = record_inspection(province)
    pending = province.get("supervisor", "/api/inspections?review=pending").get_json()
    assert [i["id"] for i in pending["items"]] == [inspection]
    assert province.get("supervisor", "/api/me/summary").get_json()["inspections_to_review"] == 1
    cursor = province.pull_cursor("official")
    url = f"/api/inspections/{inspection}/review"
    no_note = province.post("supervisor", url, {"action": "request_reinspection"})
    assert no_note.status_code == 422 and "note" in no_note.get_json()["errors"]
    response = province.post(
        "supervisor", url, {"action": "request_reinspection", "note": "ห้องน้ำยังไม่สะอาด"}
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["review_status"] == "reinspection_requested"
    [change] = [c for c in province.pull("official", cursor) if c["id"] == inspection]
    assert change["record"]["review_status"] == "reinspection_requested"
    assert change["record"]["review_note"] == "ห้องน้ำยังไม่สะอาด"
    assert change["record"]["version"] == 2
    summary = province.get("official", "/api/me/summary").get_json()
    assert summary["reinspections_requested"] == 1
    approved = province.post("supervisor", url, {"action": "approve"}).get_json()
    assert approved["review_status"] == "approved"
    assert approved["approved_by"] == {
        "id": province.id_of("supervisor"),
        "display_name": "หัวหน้า เมือง",
    }
    assert approved["approved_at"]
    audits = db.session.scalars(
        select(AuditEntry.details).where(AuditEntry.action == "inspection.review")
    ).all()
    assert [a["review"] for a in audits] == ["request_reinspection", "approve"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("official", 403), ("colleague", 403), ("other_supervisor", 404), ("anonymous", 401),
     ("deactivated", 401), ("admin", 200), ("supervisor", 200)],
)  # fmt: skip
def test_who_may_review(province, who, status):
    inspection = record_inspection(province)
    response = province.post(who, f"/api/inspections/{inspection}/review", {"action": "approve"})
    assert response.status_code == status, response.get_json()


def test_a_supervisor_never_reviews_their_own_inspection(province):
    inspection = record_inspection(province, "supervisor")
    response = province.post(
        "supervisor", f"/api/inspections/{inspection}/review", {"action": "approve"}
    )
    assert response.status_code == 403
    assert response.get_json()["code"] == "inspection.review_forbidden"


def test_the_inspection_shows_its_checklist_texts(province):
    inspection = record_inspection(province, followup_needed=True)
    body = province.get("supervisor", f"/api/inspections/{inspection}").get_json()
    toilets = next(item for item in body["items"] if item["key"] == "toilets")
    assert toilets["text_en"] == "Toilets clean and working" and toilets["score"] == 2
    assert toilets["note"] == "สกปรก" and toilets["max_score"] == 5
    assert len(body["items"]) == 10 and body["may_review"] is True
    flagged = province.get("supervisor", "/api/inspections?followup_needed=true")
    assert ids(flagged) == {inspection}


def test_a_villages_clean_tidy_history_oldest_first(province):
    first = record_inspection(province)
    second = record_inspection(
        province,
        inspected_at="2026-03-12T10:00:00+07:00",
        scores={"entrance": {"score": 5, "note": ""}},
    )
    village = province.villages["mueang"].id
    rows = province.get("supervisor", f"/api/villages/{village}/clean-tidy").get_json()
    assert [r["inspection_id"] for r in rows] == [first, second]
    assert rows[0]["percent"] == 12.0 and rows[0]["max_total"] == 50
    far = province.villages["nakhon_thai"].id
    assert province.get("supervisor", f"/api/villages/{far}/clean-tidy").status_code == 404


def test_supervisors_pull_their_districts_visits_and_inspections(province):
    visit = record_visit(province)
    inspection = record_inspection(province, "colleague")
    far = record_visit(province, "official2", "nakhon_thai")
    pulled = {(c["entity"], c["id"]) for c in province.pull("supervisor") if not c["deleted"]}
    assert {("visit", visit), ("inspection", inspection)} <= pulled
    assert ("visit", far) not in pulled
    others = {(c["entity"], c["id"]) for c in province.pull("official2") if not c["deleted"]}
    assert ("visit", visit) not in others and ("visit", far) in others
