"""Quarantine and conflicts are visible; admins re-apply or dismiss, each audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sync_helpers import concern_mutation, update_mutation, visit_mutation

from fieldapp.extensions import db
from fieldapp.models import AppliedMutation, AuditEntry, Visit

# The data layer runs on SQLite and, when TEST_DATABASE_URL is set (always on CI), PostgreSQL.
pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def _rejected_visit(phone, village_id):
    [result] = phone.push(visit_mutation(village_id, villagers_met=-3))
    assert result["status"] == "rejected"
    return result


def test_a_device_sees_its_own_rejections(make_user, make_village, device, client):
    official = make_user()
    phone, other_phone = device(official), device(official)
    rejected = _rejected_visit(phone, make_village().id)
    mine = client.get("/api/sync/rejections", headers=phone.headers).get_json()
    assert [e["id"] for e in mine] == [rejected["quarantine_id"]]
    assert mine[0]["errors"]["villagers_met"]
    assert client.get("/api/sync/rejections", headers=other_phone.headers).get_json() == []


def test_supervisors_list_their_districts_quarantine(make_user, make_village, device, client):
    phone = device(make_user())
    rejected = _rejected_visit(phone, make_village("650101").id)
    near = device(make_user(role="supervisor", districts=("6501",)))
    far = device(make_user(role="supervisor", districts=("6502",)))
    listed = client.get("/api/sync/quarantine", headers=near.headers).get_json()
    assert [e["id"] for e in listed] == [rejected["quarantine_id"]]
    assert client.get("/api/sync/quarantine", headers=far.headers).get_json() == []
    assert client.get("/api/sync/quarantine", headers=phone.headers).status_code == 403


def test_an_admin_reapplies_a_fixed_mutation(make_user, make_village, device, client):
    official = make_user()
    phone = device(official)
    rejected = _rejected_visit(phone, make_village().id)
    admin = device(make_user(role="admin", districts=()))
    supervisor = device(make_user(role="supervisor"))
    url = f"/api/sync/quarantine/{rejected['quarantine_id']}/reapply"
    assert client.post(url, json={}, headers=supervisor.headers).status_code == 403
    assert db.session.scalars(select(AppliedMutation)).one().outcome["status"] == "rejected"
    assert db.session.get(Visit, rejected["record_id"]) is None
    body = client.get("/api/sync/rejections", headers=phone.headers).get_json()[0]["payload"]
    fields = {**body["fields"], "villagers_met": 3}
    response = client.post(url, json={"fields": fields}, headers=admin.headers)
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["outcome"]["status"] == "applied"
    assert answer["quarantine"]["state"] == "reapplied"
    visit = db.session.get(Visit, rejected["record_id"])
    assert (visit.villagers_met, visit.created_by_id) == (3, official.id)
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "quarantine.reapply"))
    assert audit.one().details["status"] == "applied"
    # The device pushing it again hears the re-applied outcome.
    [again] = phone.push(body)
    assert again["status"] == "duplicate"
    assert again["original"]["status"] == "applied"
    assert again["original"]["reapplied"] is True
    assert client.post(url, json={}, headers=admin.headers).status_code == 409


def test_an_admin_dismisses_a_mutation(make_user, make_village, device, client):
    phone = device(make_user())
    rejected = _rejected_visit(phone, make_village().id)
    admin = device(make_user(role="admin", districts=()))
    url = f"/api/sync/quarantine/{rejected['quarantine_id']}/dismiss"
    response = client.post(url, json={"note": "ข้อมูลซ้ำ"}, headers=admin.headers)
    assert response.status_code == 200
    assert response.get_json()["state"] == "dismissed"
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "quarantine.dismiss"))
    assert audit.one().details["note"] == "ข้อมูลซ้ำ"
    listed = client.get("/api/sync/rejections?state=dismissed", headers=phone.headers).get_json()
    assert [e["state"] for e in listed] == ["dismissed"]


def test_conflicts_are_listed_and_resolved(make_user, make_village, device, client):
    official = make_user()
    phone_a, phone_b = device(official), device(official)
    [created] = phone_a.push(concern_mutation(make_village().id, description="เดิม"))
    cid = created["record_id"]
    phone_a.push(update_mutation("concern", cid, 1, description="จาก A"))
    phone_b.push(update_mutation("concern", cid, 1, description="จาก B"))
    boss = device(make_user(role="supervisor"))
    [conflict] = client.get("/api/sync/conflicts", headers=boss.headers).get_json()
    assert (conflict["field"], conflict["lost_value"], conflict["kept_value"]) == (
        "description",
        "จาก A",
        "จาก B",
    )
    response = client.post(
        f"/api/sync/conflicts/{conflict['id']}/resolve",
        json={"note": "ใช้ค่า B"},
        headers=boss.headers,
    )
    assert response.status_code == 200
    assert client.get("/api/sync/conflicts", headers=boss.headers).get_json() == []
    phone_a.pull()
    assert phone_a.seen[("concern", cid)]["conflicts"] == []
