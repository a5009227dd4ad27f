"""Sign-in, tokens, roles and district scoping as a user meets them."""

import pytest
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, Device


def test_login_returns_a_token_that_is_stored_hashed(client, make_user):
    user = make_user("somchai")
    response = client.post(
        "/api/auth/login",
        json={"username": "somchai", "password": "secret-pass", "device_name": "Android Chrome"},
    )
    assert response.status_code == 201
    body = response.get_json()
    device = db.session.get(Device, body["device_id"])
    assert device.user_id == user.id and device.name == "Android Chrome"
    assert body["token"] not in device.token_hash
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.get_json()["username"] == "somchai"


def test_wrong_password_and_unknown_user_get_the_same_answer(client, make_user):
    make_user("somchai")
    wrong = client.post("/api/auth/login", json={"username": "somchai", "password": "nope"})
    unknown = client.post("/api/auth/login", json={"username": "nobody", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()
    assert wrong.content_type == "application/problem+json"
    assert db.session.scalar(select(func.count()).select_from(Device)) == 0


def test_inactive_user_cannot_sign_in_or_use_an_old_token(client, make_user, login):
    user = make_user("somchai")
    headers = login(user)
    user.active = False
    db.session.commit()
    response = client.post(
        "/api/auth/login", json={"username": "somchai", "password": "secret-pass"}
    )
    assert response.status_code == 403
    assert response.get_json()["code"] == "auth.inactive"
    assert client.get("/api/auth/me", headers=headers).status_code == 401


def test_revoked_token_is_refused(client, make_user, login):
    headers = login(make_user("somchai"))
    device_id = headers["X-Device-Id"]
    assert client.post(f"/api/devices/{device_id}/revoke", headers=headers).status_code == 200
    response = client.get("/api/auth/me", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["code"] == "auth.invalid_token"


def test_logout_revokes_only_this_device(client, make_user, login):
    user = make_user("somchai")
    phone, tablet = login(user), login(user)
    assert client.post("/api/auth/logout", headers=phone).status_code == 204
    assert client.get("/api/auth/me", headers=phone).status_code == 401
    assert client.get("/api/auth/me", headers=tablet).status_code == 200


def test_missing_or_malformed_authorization(client):
    assert client.get("/api/auth/me").status_code == 401
    assert client.get("/api/auth/me", headers={"Authorization": "Basic abc"}).status_code == 401
    assert client.get("/api/auth/me", headers={"Authorization": "Bearer x"}).status_code == 401


def test_devices_are_listed_with_last_seen(client, make_user, login):
    headers = login(make_user("somchai"))
    client.get("/api/auth/me", headers=headers)
    devices = client.get("/api/devices", headers=headers).get_json()
    assert len(devices) == 1 and devices[0]["last_seen_at"] is not None


def test_role_checks_for_devices(client, make_user, login):
    official = login(make_user("official"))
    other = login(make_user("other"))
    admin = login(make_user("admin", role="admin", districts=()))
    other_device = other["X-Device-Id"]
    # An official sees only their own devices and cannot revoke someone else's.
    assert len(client.get("/api/devices", headers=official).get_json()) == 1
    refused = client.post(f"/api/devices/{other_device}/revoke", headers=official)
    assert refused.status_code == 404
    assert client.get("/api/auth/me", headers=other).status_code == 200
    # The admin sees every device and can revoke a lost phone.
    assert len(client.get("/api/devices", headers=admin).get_json()) == 3
    assert client.post(f"/api/devices/{other_device}/revoke", headers=admin).status_code == 200
    assert client.get("/api/auth/me", headers=other).status_code == 401
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "device.revoke")
        )
        == 1
    )


def test_permissions_by_role():
    from fieldapp.auth import Permission, can
    from fieldapp.models import User

    official = User(role="official", active=True)
    supervisor = User(role="supervisor", active=True)
    admin = User(role="admin", active=True)
    assert can(official, Permission.RECORD) and not can(official, Permission.SUPERVISE)
    assert not can(official, Permission.SEE_PERSONAL_DATA)
    assert can(supervisor, Permission.SUPERVISE) and not can(supervisor, Permission.ADMINISTER)
    assert all(can(admin, p) for p in Permission)
    assert not can(User(role="admin", active=False), Permission.RECORD)


def test_villages_are_scoped_to_the_users_districts(client, make_user, login, make_village):
    make_village("650101", 1, "บ้านในเมือง")
    make_village("650201", 1, "บ้านนครไทย")
    mueang = login(make_user(districts=("6501",)))
    nakhon_thai = login(make_user(districts=("6502",)))
    admin = login(make_user(role="admin", districts=()))

    def names(headers, **query):
        return [
            v["name_th"]
            for v in client.get("/api/villages", headers=headers, query_string=query).get_json()
        ]

    assert names(mueang) == ["บ้านในเมือง"]
    assert names(nakhon_thai) == ["บ้านนครไทย"]
    assert sorted(names(admin)) == ["บ้านนครไทย", "บ้านในเมือง"]
    assert names(mueang, district="6502") == []
    assert names(mueang, q="ในเมือง") == ["บ้านในเมือง"]
    assert names(mueang, q="1") == ["บ้านในเมือง"]


def test_login_attempts_are_rate_limited(app, client, make_user):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    make_user("somchai")
    codes = [
        client.post("/api/auth/login", json={"username": "somchai", "password": "bad"}).status_code
        for _ in range(4)
    ]
    assert codes == [401, 401, 401, 429]
    blocked = client.post(
        "/api/auth/login", json={"username": "somchai", "password": "secret-pass"}
    )
    assert blocked.status_code == 429
    assert blocked.content_type == "application/problem+json"
    assert "Retry-After" in blocked.headers


@pytest.mark.parametrize("path", ["/api/devices", "/api/villages", "/api/auth/me"])
def test_every_private_route_needs_a_token(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.get_json()["status"] == 401


def test_rate_limit_is_shared_through_redis_when_configured(make_user, tmp_path, sqlite_template):
    """With REDIS_URL two app processes (here: two app objects) share one login budget."""
    import os
    import shutil

    from fieldapp import create_app

    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(redis_url)
    try:
        client.flushdb()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {redis_url}")
    path = tmp_path / "shared.sqlite3"
    shutil.copy(sqlite_template, path)
    config = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        "SECRET_KEY": "x",
        "RATELIMIT_STORAGE_URI": redis_url,
        "LOGIN_RATE_LIMIT": "2 per minute",
    }
    first, second = create_app(config), create_app(config)
    attempt = {"username": "x", "password": "y"}
    codes = [
        first.test_client().post("/api/auth/login", json=attempt).status_code,
        second.test_client().post("/api/auth/login", json=attempt).status_code,
        first.test_client().post("/api/auth/login", json=attempt).status_code,
    ]
    client.flushdb()
    assert codes == [401, 401, 429]
