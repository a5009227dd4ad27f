"""Admins browse the audit log with filters; no one else may."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, record_audit
from fieldapp.utc import aware

BANGKOK = timezone(timedelta(hours=7))

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


@pytest.fixture
def admin_headers(make_user, login):
    return login(make_user("admin", role="admin", districts=()))


def _browse(client, headers, **query):
    return client.get("/api/audit", query_string=query, headers=headers)


def test_admins_see_entries_newest_first_in_pages(client, admin_headers):
    for n in range(5):
        record_audit("user.update", None, "user", str(n))
    db.session.commit()
    first = _browse(client, admin_headers, action="user.update", per_page=2).get_json()
    second = _browse(client, admin_headers, action="user.update", per_page=2, page=2).get_json()
    assert first["total"] == 5
    assert [e["record_id"] for e in first["items"]] == ["4", "3"]
    assert [e["record_id"] for e in second["items"]] == ["2", "1"]
    assert len(first["items"][0]["hash"]) == 64


def test_filters_combine(client, admin_headers, make_user):
    official = make_user("somchai")
    record_audit("device.revoke", official.id, "device", "d-1")
    record_audit("device.revoke", None, "device", "d-2")
    record_audit("concern.transition", official.id, "concern", "c-1")
    db.session.commit()

    def ids(**query):
        body = _browse(client, admin_headers, **query).get_json()
        return [e["record_id"] for e in body["items"]]

    assert ids(actor=official.id) == ["c-1", "d-1"]
    assert ids(actor=official.id, entity="device") == ["d-1"]
    assert ids(record_id="d-2") == ["d-2"]
    assert ids(action="concern.transition") == ["c-1"]
    assert ids(to="2000-01-01T00:00:00+07:00") == []
    assert "d-2" in ids(**{"from": "2000-01-01T00:00:00+07:00", "entity": "device"})
    # An offset is honoured: the entries were written moments ago, in UTC.
    now = db.session.get(AuditEntry, 1).at
    later = aware(now) + timedelta(hours=1)
    assert ids(**{"from": later.astimezone(BANGKOK).isoformat()}) == []
    assert {"c-1", "d-1", "d-2"} <= set(ids(to=later.astimezone(BANGKOK).isoformat()))


def test_bad_filters_are_refused_with_a_problem(client, admin_headers):
    response = _browse(client, admin_headers, per_page=1000, actor="somebody")
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"


@pytest.mark.parametrize("role", ["official", "supervisor"])
def test_only_admins_may_browse(client, make_user, login, role):
    headers = login(make_user(role=role))
    assert _browse(client, headers).status_code == 403
    assert _browse(client, {}).status_code == 401


def test_the_page_carries_the_chain_head_audit_head_prints(client, admin_headers, runner):
    record_audit("device.revoke", None, "device", "d-1")
    db.session.commit()
    position, digest = runner.invoke(args=["audit-head"]).output.split()
    head = _browse(client, admin_headers, action="nothing.matches").get_json()["head"]
    assert head == {"position": int(position), "hash": digest}


def test_the_public_page_shows_the_head_to_keep(client, runner):
    record_audit("device.revoke", None, "device", "d-1")
    db.session.commit()
    position, digest = runner.invoke(args=["audit-head"]).output.split()
    for lang, words in (("th", "ลายนิ้วมือล่าสุดของบันทึกการตรวจสอบ"), ("en", "audit log")):
        html = client.get(f"/?lang={lang}").get_data(as_text=True)
        assert words in html
        assert f"<code>{position}:{digest}</code>" in html
