"""What the audit chain records: sign-ins, refused ones too."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry

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
