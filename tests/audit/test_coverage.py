"""What the audit chain records: sign-ins, refused ones too."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry
from tests.sync.sync_helpers import (
    Device,
    concern_mutation,
    new_id,
    transition_mutation,
    update_mutation,
    visit_mutation,
)

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_refused_sign_ins_are_recorded_without_the_password(client, make_user, runner):
    user = make_user("somchai")
    client.post("/api/auth/login", json={"username": "somchai", "password": "wrong-guess-1"})
    client.post("/api/auth/login", json={"username": "nobody", "password": "wrong-guess-2"})
    user.active = False
    db.session.commit()
    client.post("/api/auth/login", json={"username": "somchai", "password": "secret-pass"})
    db.session.expire_all()
    failed = _entries("auth.login_failed")
    assert [(e.actor_id, e.details["username"]) for e in failed] == [
        (user.id, "somchai"),
        (None, "nobody"),
    ]
    assert [e.actor_id for e in _entries("auth.login_inactive")] == [user.id]
    assert not any("wrong-guess" in str(e.details) for e in failed)
    assert runner.invoke(args=["audit-verify"]).exit_code == 0


# --- villager (issue 13): every event the issue lists lands in one unbroken chain ---


def test_every_listed_event_is_audited_in_one_unbroken_chain(
    client, make_user, make_village, login, runner
):
    """Sign-ins, device revocations, user changes, workflow steps, deletions, quarantine
    decisions and exports with personal data, each made through the API a user would use.
    (Corrections and evidence overrides are audited where they are built.)"""
    admin_user = make_user("admin", role="admin", districts=())
    admin = login(admin_user)
    official = make_user("somchai")
    phone = Device(client, login(official))
    boss = Device(client, login(make_user("boss", role="supervisor")))
    village = make_village().id

    created = client.post(
        "/api/admin/users",
        json={
            "username": "newbie",
            "display_name": "ใหม่",
            "role": "official",
            "district_codes": ["6501"],
            "password": "a-long-pass-2026",
        },
        headers=admin,
    ).get_json()
    client.patch(f"/api/admin/users/{created['id']}", json={"role": "supervisor"}, headers=admin)
    client.post(
        f"/api/admin/users/{created['id']}/reset-password",
        json={"password": "another-pass-2026"},
        headers=admin,
    )
    revoke = client.post(f"/api/admin/devices/{phone.device_id}/revoke", headers=admin)
    assert revoke.status_code == 200, revoke.get_json()
    phone = Device(client, login(official))

    [concern] = phone.push(concern_mutation(village))
    [stale] = phone.push(concern_mutation(village))  # deleted below
    boss.push(transition_mutation(concern["record_id"], 1, "accept"))
    phone.push(
        {
            "mutation_id": new_id(),
            "entity": "concern",
            "record_id": stale["record_id"],
            "op": "delete",
            "base_version": 1,
        }
    )
    unknown = concern_mutation(village, category_code="nope")
    [refused] = phone.push(concern_mutation(village, category_code="nope"))
    [again] = phone.push(unknown)
    fixed = {"fields": {**unknown["fields"], "category_code": "roads"}}
    for decision, entry, body in (("dismiss", refused, {}), ("reapply", again, fixed)):
        path = f"/api/sync/quarantine/{entry['quarantine_id']}/{decision}"
        response = client.post(path, json=body, headers=admin)
        assert response.status_code == 200, response.get_json()
    [visit] = phone.push(visit_mutation(village))
    boss.push(update_mutation("visit", visit["record_id"], 1, notes="หัวหน้าแก้"))
    phone.push(update_mutation("visit", visit["record_id"], 1, notes="เจ้าหน้าที่แก้"))
    [conflict] = client.get("/api/sync/conflicts", headers=boss.headers).get_json()
    resolved = client.post(
        f"/api/sync/conflicts/{conflict['id']}/resolve", json={"note": "ดูแล้ว"}, headers=boss.headers
    )
    assert resolved.status_code == 200, resolved.get_json()
    export = client.get("/api/exports/concerns?personal=true", headers=admin)
    assert export.status_code == 200
    export.close()

    db.session.expire_all()
    actions = {e.action for e in db.session.scalars(select(AuditEntry))}
    assert actions >= {
        "device.login",
        "device.revoke",
        "user.create",
        "user.update",
        "user.reset_password",
        "concern.transition",
        "record.delete",
        "quarantine.dismiss",
        "quarantine.reapply",
        "conflict.resolve",
        "export.personal_data",
    }
    [deleted] = _entries("record.delete")
    assert (deleted.record_id, deleted.actor_id) == (stale["record_id"], official.id)
    result = runner.invoke(args=["audit-verify"])
    assert result.exit_code == 0, result.output
