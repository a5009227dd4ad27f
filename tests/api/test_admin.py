"""Admins manage accounts and devices: every change audited, a deactivated user's tokens
refused from the next request, a reset password signing every device out."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, Device

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]

NEW = {
    "username": "malee",
    "display_name": "มาลี ใจดี",
    "role": "official",
    "district_codes": ["6502"],
    "password": "long-enough-pass",
}


def audits(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def endpoints(province) -> list[tuple[str, str, dict | None]]:
    official = province.id_of("official")
    device = province.headers["colleague"]["X-Device-Id"]
    return [
        ("GET", "/api/admin/users", None),
        ("POST", "/api/admin/users", NEW),
        ("PATCH", f"/api/admin/users/{official}", {"display_name": "สมชาย"}),
        ("POST", f"/api/admin/users/{official}/reset-password", {"password": "another-pass"}),
        ("GET", "/api/admin/devices", None),
        ("POST", f"/api/admin/devices/{device}/revoke", None),
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [("official", 403), ("supervisor", 403), ("other_supervisor", 403), ("anonymous", 401),
     ("deactivated", 401)],
)  # fmt: skip
def test_only_admins_manage_accounts(province, who, status):
    for method, url, body in endpoints(province):
        response = province.send(method, who, url, body)
        assert response.status_code == status, (method, url, response.get_json())
    assert not db.session.scalars(
        select(AuditEntry).where(AuditEntry.action != "device.login")
    ).all()


def test_an_admin_reaches_every_endpoint(province):
    answers = [
        province.send(m, "admin", url, body).status_code for m, url, body in endpoints(province)
    ]
    assert answers == [200, 201, 200, 200, 200, 200]


def test_create_list_and_audit(province):
    response = province.post("admin", "/api/admin/users", NEW)
    assert response.status_code == 201, response.get_json()
    user = response.get_json()
    assert user["district_codes"] == ["6502"] and user["active"] and user["device_count"] == 0
    assert "password" not in user
    [audit] = audits("user.create")
    assert audit.actor_id == province.id_of("admin") and audit.record_id == str(user["id"])
    listed = province.get("admin", "/api/admin/users?q=มาลี").get_json()
    assert [u["username"] for u in listed] == ["malee"]
    supervisors = province.get("admin", "/api/admin/users?role=supervisor").get_json()
    assert {u["username"] for u in supervisors} == {"supervisor", "other_supervisor"}
    inactive = province.get("admin", "/api/admin/users?active=false").get_json()
    assert [u["username"] for u in inactive] == ["deactivated"]
    province.get("official", "/api/me/summary")  # the phone is seen
    official = next(
        u
        for u in province.get("admin", "/api/admin/users").get_json()
        if u["username"] == "official"
    )
    assert official["device_count"] == 1 and official["last_seen_at"]
    login = province.client.post(
        "/api/auth/login", json={"username": "malee", "password": "long-enough-pass"}
    )
    assert login.status_code == 201


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({**NEW, "username": "official"}, 409, "user.username_taken"),
        ({**NEW, "district_codes": ["6599"]}, 422, "user.unknown_district"),
        ({**NEW, "district_codes": []}, 422, "user.needs_district"),
        ({**NEW, "password": "short"}, 422, "request.invalid"),
        ({**NEW, "role": "king"}, 422, "request.invalid"),
        ({**NEW, "extra": 1}, 422, "request.invalid"),
    ],
)
def test_bad_accounts_are_refused_and_nothing_is_written(province, body, status, code):
    response = province.post("admin", "/api/admin/users", body)
    assert response.status_code == status and response.get_json()["code"] == code
    assert not audits("user.create")
    assert not province.get("admin", "/api/admin/users?q=malee").get_json()


def test_deactivation_stops_tokens_at_once_and_reactivation_restores_them(province):
    official = province.id_of("official")
    assert province.get("official", "/api/me/summary").status_code == 200
    response = province.send("PATCH", "admin", f"/api/admin/users/{official}", {"active": False})
    assert response.status_code == 200 and response.get_json()["active"] is False
    assert province.get("official", "/api/me/summary").status_code == 401
    assert province.get("official", "/api/sync/pull").status_code == 401
    province.send("PATCH", "admin", f"/api/admin/users/{official}", {"active": True})
    # The phone's token was never revoked: it syncs its outbox again.
    assert province.get("official", "/api/me/summary").status_code == 200
    changes = [a.details["changes"] for a in audits("user.update")]
    assert changes == [{"active": [True, False]}, {"active": [False, True]}]


def test_role_and_districts_change_what_a_user_sees(province):
    cid = province.report("official2", "nakhon_thai")
    official = province.id_of("official")
    assert province.get("official", f"/api/concerns/{cid}").status_code == 404
    body = {"role": "supervisor", "district_codes": ["6501", "6502"]}
    response = province.send("PATCH", "admin", f"/api/admin/users/{official}", body)
    assert response.get_json()["district_codes"] == ["6501", "6502"]
    assert province.get("official", f"/api/concerns/{cid}").status_code == 200
    assert province.get("official", "/api/concerns").status_code == 200  # a supervisor now
    [audit] = audits("user.update")
    assert audit.details["changes"]["role"] == ["official", "supervisor"]


def test_a_reset_password_signs_every_device_out(province, login):
    official = province.users["official"]
    second = login(official)
    url = f"/api/admin/users/{official.id}/reset-password"
    assert province.post("admin", url, {"password": "short"}).status_code == 422
    response = province.post("admin", url, {"password": "a-new-password"})
    assert response.status_code == 200 and response.get_json()["device_count"] == 0
    assert province.get("official", "/api/me/summary").status_code == 401
    assert province.client.get("/api/me/summary", headers=second).status_code == 401
    [audit] = audits("user.reset_password")
    assert audit.details == {"devices_revoked": 2}
    assert login(official, "a-new-password")


def test_admins_cannot_lock_themselves_out(province):
    admin = province.id_of("admin")
    for change in ({"active": False}, {"role": "supervisor", "district_codes": ["6501"]}):
        response = province.send("PATCH", "admin", f"/api/admin/users/{admin}", change)
        assert response.status_code == 409 and response.get_json()["code"] == "user.self_lockout"


def test_devices_listed_and_revoked(province):
    colleague = province.id_of("colleague")
    province.get("colleague", "/api/me/summary")  # the phone is seen
    devices = province.get("admin", f"/api/admin/devices?user={colleague}").get_json()
    [device] = devices
    assert device["user"] == {"id": colleague, "display_name": "มานี เมือง"}
    assert device["last_seen_at"] and device["revoked_at"] is None
    response = province.post("admin", f"/api/admin/devices/{device['id']}/revoke")
    assert response.status_code == 200 and response.get_json()["revoked_at"]
    assert province.get("colleague", "/api/me/summary").status_code == 401
    assert db.session.get(Device, device["id"]).revoked_at is not None
    [audit] = audits("device.revoke")
    assert audit.actor_id == province.id_of("admin")
    assert province.post("admin", "/api/admin/devices/nope/revoke").status_code == 404
