"""Administrative commands."""

from sqlalchemy import select

from fieldapp.auth.passwords import verify_password
from fieldapp.extensions import db
from fieldapp.models import Device, User


def test_create_user_with_districts(runner, client):
    result = runner.invoke(
        args=[
            "create-user",
            "malee",
            "--name",
            "มาลี ใจดี",
            "--role",
            "supervisor",
            "--district",
            "6501",
            "--district",
            "6503",
            "--password",
            "pass-1234",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "malee"))
    assert (user.display_name, user.role, user.district_codes) == (
        "มาลี ใจดี",
        "supervisor",
        ["6501", "6503"],
    )
    assert verify_password(user.password_hash, "pass-1234")


def test_create_user_refuses_bad_input(runner, make_user):
    make_user("taken")
    assert (
        "already exists"
        in runner.invoke(
            args=["create-user", "taken", "--name", "x", "--district", "6501", "--password", "p"]
        ).output
    )
    assert (
        "unknown district"
        in runner.invoke(
            args=["create-user", "new", "--name", "x", "--district", "9999", "--password", "p"]
        ).output
    )
    assert (
        "at least one --district"
        in runner.invoke(args=["create-user", "new", "--name", "x", "--password", "p"]).output
    )


def test_reset_password_revokes_devices(runner, client, make_user, login):
    headers = login(make_user("somchai"))
    result = runner.invoke(args=["reset-password", "somchai", "--password", "new-pass-1"])
    assert result.exit_code == 0 and "1 device(s) revoked" in result.output
    assert client.get("/api/auth/me", headers=headers).status_code == 401
    ok = client.post("/api/auth/login", json={"username": "somchai", "password": "new-pass-1"})
    assert ok.status_code == 201


def test_revoke_device_command(runner, client, make_user, login):
    headers = login(make_user("somchai"))
    result = runner.invoke(args=["revoke-device", headers["X-Device-Id"]])
    assert result.exit_code == 0
    assert db.session.get(Device, headers["X-Device-Id"]).revoked_at is not None
    assert client.get("/api/auth/me", headers=headers).status_code == 401
    assert runner.invoke(args=["revoke-device", "nope"]).exit_code != 0


def test_seed_command_prints_created_accounts_once(runner):
    first = runner.invoke(args=["seed"])
    assert "created admin demo-admin" in first.output
    second = runner.invoke(args=["seed"])
    assert "created" not in second.output and "seeded" in second.output
