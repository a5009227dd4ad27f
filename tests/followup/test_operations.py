"""Transitions made on the server: the REST route, its timeline, feed and audit entries."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, Concern, FollowupEntry, PhotoLink, QuarantinedMutation

# The data layer runs on SQLite and, when TEST_DATABASE_URL is set (always on CI), PostgreSQL.
pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def _concern(client, headers, village_id) -> str:
    record_id = str(uuid.uuid4())
    response = client.post(
        "/api/sync/push",
        json={
            "device_id": headers["X-Device-Id"],
            "mutations": [
                {
                    "mutation_id": str(uuid.uuid4()),
                    "entity": "concern",
                    "record_id": record_id,
                    "op": "create",
                    "fields": {
                        "village_id": village_id,
                        "category_code": "water",
                        "description": "น้ำประปาไม่ไหล",
                        "reported_at": "2026-03-01T10:00:00+07:00",
                    },
                }
            ],
        },
        headers=headers,
    )
    assert response.get_json()["results"][0]["status"] == "applied"
    return record_id


def test_a_supervisor_works_a_concern_to_its_end(client, login, make_user, make_village):
    official = make_user()
    official_headers = login(official)
    boss = login(make_user(role="supervisor"))
    cid = _concern(client, official_headers, make_village().id)
    url = f"/api/concerns/{cid}/transitions"
    steps = [
        {"action": "assign", "assignee_id": official.id, "due_date": "2026-03-15", "priority": 1},
        {"action": "start", "from_status": "accepted"},
        {"action": "resolve", "note": "ซ่อมท่อแล้ว"},
        # the after-photo's bytes never came: its checks are pending, closing needs a reason
        {"action": "close", "override_reason": "ตรวจหน้างานแล้ว"},
    ]
    # the assignee's phone named a photo of the fix (docs/evidence.md)
    db.session.add(PhotoLink(entity="concern", record_id=cid, sha256="ab" * 32, role="after"))
    db.session.commit()
    for step in steps:
        response = client.post(url, json=step, headers=boss)
        assert response.status_code == 200, response.get_json()
    concern = db.session.get(Concern, cid)
    assert concern.status == "closed"
    assert concern.resolution_note == "ซ่อมท่อแล้ว"
    assert str(concern.due_date) == "2026-03-15"
    kinds = [
        (e.kind, e.to_status)
        for e in db.session.scalars(select(FollowupEntry).order_by(FollowupEntry.created_at))
    ]
    assert kinds == [
        ("assignment", "accepted"),
        ("status", "in_progress"),
        ("status", "resolved"),
        ("status", "closed"),
    ]
    audits = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "concern.transition")
    ).all()
    assert [a.details["transition"] for a in audits] == ["assign", "start", "resolve", "close"]


def test_refusals_are_immediate_and_write_nothing(client, login, make_user, make_village):
    official_headers = login(make_user())
    boss = login(make_user(role="supervisor"))
    cid = _concern(client, official_headers, make_village().id)
    url = f"/api/concerns/{cid}/transitions"
    response = client.post(url, json={"action": "accept"}, headers=official_headers)
    assert response.status_code == 403
    assert response.get_json()["code"] == "concern.forbidden"
    response = client.post(url, json={"action": "accept", "from_status": "accepted"}, headers=boss)
    assert response.status_code == 409
    assert response.get_json()["code"] == "concern.stale_transition"
    response = client.post(url, json={"action": "close"}, headers=boss)
    assert response.status_code == 409
    assert response.get_json()["code"] == "concern.invalid_transition"
    response = client.post(url, json={"action": "fly"}, headers=boss)
    assert response.status_code == 422
    response = client.post(
        f"/api/concerns/{uuid.uuid4()}/transitions", json={"action": "accept"}, headers=boss
    )
    assert response.status_code == 404
    assert db.session.get(Concern, cid).status == "new"
    assert db.session.scalars(select(FollowupEntry)).all() == []
    assert db.session.scalars(select(QuarantinedMutation)).all() == []


def test_a_supervisor_of_another_district_cannot_see_the_concern(
    client, login, make_user, make_village
):
    cid = _concern(client, login(make_user()), make_village().id)
    other_boss = login(make_user(role="supervisor", districts=("6502",)))
    response = client.post(
        f"/api/concerns/{cid}/transitions", json={"action": "accept"}, headers=other_boss
    )
    assert response.status_code == 404
