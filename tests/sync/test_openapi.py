"""The OpenAPI document at /api/openapi.json is honest: every route's real answers, successes
and errors alike, validate against what the document says that route answers (openapi-core),
and every route of the document is exercised both ways here.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from openapi_client import Cast, CheckedClient, pull_all, push, sign_in
from openapi_surveys import walk_surveys
from photos.images import jpeg, sha256
from photos.tus import create, head, patch
from sync_helpers import (
    concern_mutation,
    new_id,
    transition_mutation,
    update_mutation,
    visit_mutation,
)

from fieldapp.extensions import db
from fieldapp.models import PhotoLink

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]

TUS = {"Tus-Resumable": "1.0.0"}
# Public reference answers and tus discovery: nothing a client sends makes them fail.
NEVER_REFUSED = {
    ("GET", "/healthz"),
    ("GET", "/api/districts"),
    ("GET", "/api/subdistricts"),
    ("GET", "/api/meta"),
    ("OPTIONS", "/api/uploads/"),
}


@pytest.fixture
def api(client) -> CheckedClient:
    return CheckedClient(client)


def _upload_photo(api: CheckedClient, who: dict[str, str], data: bytes) -> None:
    created = create(api, who, data)
    assert created.status_code == 201
    location = created.headers["Location"]
    assert head(api, who, location).status_code == 200
    assert patch(api, who, location, 0, data, "sha256").status_code == 204


def _accounts_and_places(api: CheckedClient) -> None:
    nobody = {"Authorization": "Bearer nope"}
    api.get("/healthz")
    api.post("/api/auth/login", json={"username": "nobody", "password": "wrong-password"})
    api.post("/api/auth/login", json={})
    for path in ("/api/auth/me", "/api/devices"):
        api.get(path, headers=nobody)
    api.get("/api/districts")
    api.get("/api/subdistricts")
    etag = api.get("/api/meta").headers["ETag"]
    assert api.get("/api/meta", headers={"If-None-Match": etag}).status_code == 304
    api.get("/api/villages?q=บ้าน", headers=nobody)


def _photos(api: CheckedClient, cast: Cast) -> str:
    """A tus upload, its refusals, the photo's facts and bytes; returns its SHA-256."""
    who, tus = cast.official, {**cast.official, **TUS}
    data = jpeg()
    api.open("OPTIONS", "/api/uploads/")
    _upload_photo(api, who, data)
    assert create(api, who, b"").status_code == 422
    assert head(api, who, "/api/uploads/no-such-upload").status_code == 404
    assert patch(api, who, "/api/uploads/no-such-upload", 0, b"x").status_code == 404
    gone = create(api, who, jpeg(size=(64, 64))).headers["Location"]
    assert api.open("DELETE", gone, headers=tus).status_code == 204
    assert api.open("DELETE", gone, headers=tus).status_code == 404
    override = create(api, who, jpeg(size=(32, 32))).headers["Location"]
    assert (
        api.post(override, headers={**tus, "X-HTTP-Method-Override": "DELETE"}).status_code == 204
    )
    assert api.post("/api/uploads/x", headers=tus).status_code == 405
    photo = sha256(data)
    api.get(f"/api/photos/{photo}", headers=who)
    api.get(f"/api/photos/{photo}", headers=cast.other_official)
    api.get(f"/api/photos/{photo}/thumb", headers=who)
    api.get(f"/api/photos/{photo}/poster", headers=who)
    return photo


def _inspection(village: str) -> dict[str, Any]:
    fields = {
        "village_id": village,
        "place_type": "school",
        "place_name": "โรงเรียนบ้านหนองแขม",
        "inspected_at": "2026-03-01T09:30:00+07:00",
        "template_id": 1,
        "scores": {},
    }
    return {"mutation_id": new_id(), "entity": "inspection", "record_id": new_id(),
            "op": "create", "fields": fields}  # fmt: skip


def _every_outcome(api: CheckedClient, cast: Cast, photo: str) -> tuple[str, str, str]:
    """Applied, merged, conflict, rejected, duplicate and a transition; returns a concern, a
    visit and an inspection that stay."""
    official, village = cast.official, cast.village
    [visit] = push(api, official, {**visit_mutation(village), "photos": [{"sha256": photo}]})
    vid = visit["record_id"]
    push(api, official, update_mutation("visit", vid, 1, notes="เครื่องหนึ่ง"))
    [merged] = push(api, official, update_mutation("visit", vid, 1, villagers_met=30))
    assert merged["status"] == "merged"
    personal = {"reporter_consent": True, "reporter_name": "สมหญิง"}
    cid = push(api, official, concern_mutation(village, **personal))[0]["record_id"]
    push(api, official, update_mutation("concern", cid, 1, description="ยาว 20 เมตร"))
    [conflict] = push(api, cast.second_phone, update_mutation("concern", cid, 1, description="3"))
    assert conflict["status"] == "conflict"
    [rejected] = push(api, official, concern_mutation(village, status="closed"))
    assert rejected["status"] == "rejected"
    again = visit_mutation(village)
    push(api, official, again)
    assert push(api, official, again)[0]["status"] == "duplicate"
    [accepted] = push(api, cast.supervisor, transition_mutation(cid, 3, "accept"))
    assert accepted["status"] == "applied" and accepted["record"]
    inspection = _inspection(village)
    push(api, official, inspection)
    push(api, official, {**update_mutation("visit", vid, 3), "op": "delete", "fields": {}})
    comment = {"concern_id": cid, "body": "ติดตาม"}
    push(api, official, {**update_mutation("followup", new_id(), 0, **comment), "op": "create"})
    api.post("/api/sync/push", json={"device_id": "x", "mutations": []}, headers=official)
    api.post("/api/sync/push", data=b"{", headers=official, content_type="application/json")
    return cid, again["record_id"], inspection["record_id"]


def _pulls(api: CheckedClient, cast: Cast) -> None:
    entities = {change["entity"] for change in pull_all(api, cast.official)}
    assert entities == {"visit", "inspection", "concern", "followup", "village", "category",
                        "template"}  # fmt: skip
    pull_all(api, cast.supervisor)  # personal data shown, others' records
    api.get("/api/sync/pull?cursor=" + "9" * 12, headers=cast.official)  # a reset
    api.get("/api/sync/pull?cursor=abc", headers=cast.official)


def _transitions(api: CheckedClient, cast: Cast, cid: str) -> None:
    path = f"/api/concerns/{cid}/transitions"
    api.post(path, json={"action": "start"}, headers=cast.supervisor)
    api.post(path, json={"action": "start"}, headers=cast.supervisor)  # 409: started already
    api.post(path, json={"action": 3}, headers=cast.supervisor)


def _history(api: CheckedClient, cast: Cast, cid: str) -> None:
    """A supervisor's correction, and the concern's history (issue 13)."""
    path = f"/api/concerns/{cid}/transitions"
    correction = {"action": "correct", "note": "พิมพ์ผิด", "corrections": {"description": "แก้"}}
    assert api.post(path, json=correction, headers=cast.supervisor).status_code == 200
    history = f"/api/records/concern/{cid}/history"
    assert api.get(history, headers=cast.supervisor).get_json()["items"][-1]["action"] == "correct"
    assert api.get(history, headers=cast.official).status_code == 403
    assert api.get(f"/api/records/nothing/{cid}/history", headers=cast.admin).status_code == 404


def _queue(api: CheckedClient, cast: Cast, cid: str) -> None:
    """The concern queue, one concern, its neighbours and who it may go to."""
    supervisor, official = cast.supervisor, cast.official
    api.get("/api/concerns?status=new,accepted,in_progress&sort=oldest", headers=supervisor)
    assert api.get("/api/concerns", headers=official).status_code == 403
    api.get("/api/concerns?status=lost", headers=supervisor)
    api.get(f"/api/concerns/{cid}", headers=supervisor)
    api.get(f"/api/concerns/{cid}", headers=cast.other_official)
    assert api.get(f"/api/concerns/{cid}/evidence", headers=supervisor).status_code == 200
    assert api.get(f"/api/concerns/{cid}/evidence", headers=cast.other_official).status_code == 404
    here, there = (concern_mutation(cast.village, lat=16.8211, lon=100.2659 + d) for d in (0, 1e-3))
    push(api, official, here, there)
    nearby = f"/api/concerns/{here['record_id']}/nearby"
    assert len(api.get(f"{nearby}?radius_m=2000", headers=supervisor).get_json()) == 1
    api.get(f"{nearby}?radius_m=0", headers=supervisor)
    api.get(f"/api/users/assignable?concern={cid}", headers=supervisor)
    assert api.get(f"/api/users/assignable?concern={cid}", headers=official).status_code == 403
    api.get("/api/users/assignable?concern=nope", headers=supervisor)


def _workspace(api: CheckedClient, cast: Cast) -> None:
    """The home screen's numbers and the service levels."""
    nobody = {"Authorization": "Bearer nope"}
    api.get("/api/me/summary", headers=cast.supervisor)
    api.get("/api/me/summary", headers=nobody)
    levels = api.get("/api/service-levels", headers=cast.official).get_json()
    api.get("/api/service-levels", headers=nobody)
    changed = [{**levels[0], "days": levels[0]["days"] + 1}]
    assert api.put("/api/service-levels", json=changed, headers=cast.admin).status_code == 200
    assert api.put("/api/service-levels", json=changed, headers=cast.supervisor).status_code == 403
    unknown = [{**levels[0], "category_code": "no-such-category"}]
    assert api.put("/api/service-levels", json=unknown, headers=cast.admin).status_code == 422


def _fieldwork(api: CheckedClient, cast: Cast, visit: str, inspection: str) -> None:
    """Visits and inspections under review, a review, a village's Clean & Tidy history."""
    supervisor, official = cast.supervisor, cast.official
    api.get(f"/api/visits?village={cast.village}&q=ประชุม", headers=supervisor)
    api.get("/api/visits?from=yesterday", headers=supervisor)
    api.get(f"/api/visits/{visit}", headers=official)
    api.get(f"/api/visits/{visit}", headers=cast.other_official)
    api.get("/api/inspections?review=pending", headers=supervisor)
    api.get("/api/inspections?review=maybe", headers=supervisor)
    api.get(f"/api/inspections/{inspection}", headers=official)
    api.get(f"/api/inspections/{new_id()}", headers=official)
    path = f"/api/inspections/{inspection}/review"
    api.post(path, json={"action": "request_reinspection"}, headers=supervisor)
    api.post(path, json={"action": "approve", "note": "เรียบร้อย"}, headers=supervisor)
    assert api.post(path, json={"action": "approve"}, headers=official).status_code == 403
    api.get(f"/api/villages/{cast.village}/clean-tidy", headers=official)
    api.get(f"/api/villages/{cast.village}/clean-tidy", headers=cast.other_official)


def _admin(api: CheckedClient, cast: Cast) -> None:
    """Accounts and devices: a new account, its change, its password, its phone revoked."""
    admin = cast.admin
    api.get("/api/admin/users?role=official&active=true", headers=admin)
    api.get("/api/admin/users?role=king", headers=admin)
    new = {"username": "somsri", "display_name": "สมศรี", "role": "official",
           "district_codes": ["6501"], "password": "secret-pass"}  # fmt: skip
    user = api.post("/api/admin/users", json=new, headers=admin).get_json()
    assert api.post("/api/admin/users", json=new, headers=admin).status_code == 409
    path = f"/api/admin/users/{user['id']}"
    api.patch(path, json={"display_name": "สมศรี ใจดี"}, headers=admin)
    api.patch(path, json={"role": "king"}, headers=admin)
    phone = sign_in(api, SimpleNamespace(username="somsri"))
    api.get(f"/api/admin/devices?user={user['id']}", headers=admin)
    api.get("/api/admin/devices?user=0", headers=admin)
    api.post(f"/api/admin/devices/{phone['X-Device-Id']}/revoke", headers=admin)
    api.post("/api/admin/devices/no-such-device/revoke", headers=admin)
    api.post(f"{path}/reset-password", json={"password": "another-pass"}, headers=admin)
    api.post(f"{path}/reset-password", json={"password": "short"}, headers=admin)


def _quarantine_and_conflicts(api: CheckedClient, cast: Cast) -> None:
    admin, supervisor = cast.admin, cast.supervisor
    api.get("/api/sync/rejections", headers=cast.official)
    api.get("/api/sync/rejections?state=maybe", headers=cast.official)
    [entry] = api.get("/api/sync/quarantine", headers=admin).get_json()
    api.get("/api/sync/quarantine", headers=cast.official)
    fixed = {"fields": concern_mutation(cast.village)["fields"]}
    path = f"/api/sync/quarantine/{entry['id']}/reapply"
    assert api.post(path, json=fixed, headers=admin).status_code == 200
    assert api.post(path, json={}, headers=admin).status_code == 409
    push(api, cast.official, concern_mutation(cast.village, status="closed"))
    [entry] = api.get("/api/sync/quarantine", headers=admin).get_json()
    path = f"/api/sync/quarantine/{entry['id']}/dismiss"
    api.post(path, json={"note": "ซ้ำ"}, headers=admin)
    api.post(path, json={"note": 1}, headers=admin)
    [conflict] = api.get("/api/sync/conflicts", headers=supervisor).get_json()
    api.get("/api/sync/conflicts?state=never", headers=supervisor)
    path = f"/api/sync/conflicts/{conflict['id']}/resolve"
    api.post(path, json={"note": "ดูแล้ว"}, headers=supervisor)
    api.post(path, json={"note": "ดูแล้ว"}, headers=supervisor)  # 409: resolved already


def _devices(api: CheckedClient, cast: Cast) -> None:
    """Last: revoking and signing out end sessions."""
    api.get("/api/auth/me", headers=cast.official)
    api.get("/api/devices", headers=cast.official)
    api.get("/api/villages?q=บ้าน", headers=cast.official)
    api.post(f"/api/devices/{cast.second_phone['X-Device-Id']}/revoke", headers=cast.official)
    api.post("/api/devices/no-such-device/revoke", headers=cast.official)
    api.post("/api/auth/logout", headers=cast.other_official)
    api.post("/api/auth/logout", headers=cast.other_official)


def _audit(api: CheckedClient, cast: Cast) -> None:
    """After everything else, so the log has entries of many kinds."""
    assert api.get("/api/audit?per_page=5", headers=cast.admin).get_json()["total"] > 5
    assert api.get("/api/audit", headers=cast.supervisor).status_code == 403
    assert api.get("/api/audit?per_page=0", headers=cast.admin).status_code == 422


def _results(api: CheckedClient, cast: Cast, cid: str, photo: str) -> None:
    api.get("/api/reports/dashboard", headers=cast.admin)
    api.get("/api/reports/dashboard", headers=cast.official)  # 403: supervisors and admins
    api.get("/api/exports/concerns?format=csv", headers=cast.admin)
    api.get("/api/exports/concerns?format=pdf", headers=cast.admin)
    db.session.add(PhotoLink(entity="concern", record_id=cid, sha256=photo, role="after"))
    db.session.commit()
    path = f"/api/concerns/{cid}/photos/{photo}/publishable"
    api.open("PUT", path, json={"publishable": True}, headers=cast.supervisor)
    api.open("PUT", path, json={"publishable": "maybe"}, headers=cast.supervisor)


def test_every_route_answers_what_the_document_says(api, make_user, make_village):
    official = make_user(districts=("6501",))
    cast = Cast(
        official=sign_in(api, official),
        second_phone=sign_in(api, official),
        other_official=sign_in(api, make_user(districts=("6502",))),
        supervisor=sign_in(api, make_user(role="supervisor", districts=("6501",))),
        admin=sign_in(api, make_user(role="admin", districts=())),
        village=make_village().id,
    )
    _accounts_and_places(api)
    photo = _photos(api, cast)
    cid, visit, inspection = _every_outcome(api, cast, photo)
    _pulls(api, cast)
    _transitions(api, cast, cid)
    _history(api, cast, cid)
    _queue(api, cast, cid)
    _workspace(api, cast)
    _fieldwork(api, cast, visit, inspection)
    _admin(api, cast)
    _results(api, cast, cid, photo)
    _quarantine_and_conflicts(api, cast)
    _devices(api, cast)
    _audit(api, cast)
    walk_surveys(api, cast)
    missing = {
        (operation, kind)
        for operation in api.operations()
        for kind in ("success", "error")
        if kind not in api.answered.get(operation, set())
        and not (kind == "error" and operation in NEVER_REFUSED)
    }
    assert not missing, sorted(missing)


def test_every_time_the_api_sends_carries_an_offset(api, make_user, make_village):
    """Quarantine and conflict times used to be sent naive (read back from SQLite)."""
    official = sign_in(api, make_user())
    supervisor = sign_in(api, make_user(role="supervisor"))
    village = make_village().id
    push(api, official, concern_mutation(village, status="closed"))
    [concern] = push(api, official, concern_mutation(village))
    cid = concern["record_id"]
    push(api, official, update_mutation("concern", cid, 1, description="หนึ่ง"))
    push(api, supervisor, update_mutation("concern", cid, 1, description="สอง"))
    answers = [
        api.get("/api/sync/rejections", headers=official).get_json(),
        api.get("/api/sync/quarantine", headers=supervisor).get_json(),
        api.get("/api/sync/conflicts", headers=supervisor).get_json(),
        api.get("/api/devices", headers=official).get_json(),
        pull_all(api, official),
    ]
    times = re.findall(r'"(\d{4}-\d\d-\d\dT[^"]*)"', str(answers).replace("'", '"'))
    assert len(times) > 10
    for value in times:
        assert re.search(r"(\+\d\d:\d\d|Z)$", value), value
