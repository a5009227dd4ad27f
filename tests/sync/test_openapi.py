"""The OpenAPI document at /api/openapi.json is honest: every route's real answers, successes
and errors alike, validate against what the document says that route answers (openapi-core),
and every route of the document is exercised both ways here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from photos.images import jpeg, sha256
from photos.tus import create, head, patch
from sync_helpers import (
    concern_mutation,
    new_id,
    transition_mutation,
    update_mutation,
    visit_mutation,
)
from werkzeug.routing import Map, Rule

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


class AnsweredRequest(WerkzeugOpenAPIRequest):
    """The request an answer belongs to; its body was read by the app already."""

    @property
    def body(self) -> bytes | None:
        return None


class CheckedClient:
    """The test client, checking every /api answer against the document and noting which
    documented operations answered a success and which an error."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.spec = client.get("/api/openapi.json").get_json()
        # Problems are JSON too (RFC 9457): read them as such.
        config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
        self.openapi = OpenAPI.from_dict(self.spec, config=config)
        self.routes = Map(
            [
                Rule(re.sub(r"\{(\w+)\}", r"<\1>", path), endpoint=path)
                for path in self.spec["paths"]
            ]
        ).bind("localhost")
        self.answered: dict[tuple[str, str], set[str]] = {}

    def operations(self) -> Iterator[tuple[str, str]]:
        for path, item in self.spec["paths"].items():
            for method in item:
                if method != "parameters":
                    yield method.upper(), path

    def open(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.client.open(path, method=method, **kwargs)
        response.get_data()  # a file answer read whole, so closing it closes the file
        response.close()
        template, _ = self.routes.match(path.split("?")[0], method=method)
        if method == "HEAD":  # never a body (RFC 9110): the status must be documented
            documented = self.spec["paths"][template]["head"]["responses"]
            assert str(response.status_code) in documented or "default" in documented
        else:
            self.openapi.validate_response(
                AnsweredRequest(response.request), WerkzeugOpenAPIResponse(response)
            )
        kind = "success" if response.status_code < 400 else "error"
        self.answered.setdefault((method, template), set()).add(kind)
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.open("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.open("POST", path, **kwargs)

    def head(self, path: str, **kwargs: Any) -> Any:
        return self.open("HEAD", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        return self.open("PATCH", path, **kwargs)


@pytest.fixture
def api(client) -> CheckedClient:
    return CheckedClient(client)


def _sign_in(api: CheckedClient, user: Any) -> dict[str, str]:
    response = api.post(
        "/api/auth/login", json={"username": user.username, "password": "secret-pass"}
    )
    assert response.status_code == 201
    body = response.get_json()
    return {"Authorization": f"Bearer {body['token']}", "X-Device-Id": body["device_id"]}


def _push(api: CheckedClient, who: dict[str, str], *mutations: dict[str, Any]) -> list[dict]:
    body = {"device_id": who["X-Device-Id"], "mutations": list(mutations)}
    response = api.post("/api/sync/push", json=body, headers=who)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"]


def _pull_all(api: CheckedClient, who: dict[str, str]) -> list[dict]:
    cursor, changes = "0", []
    while True:
        page = api.get(f"/api/sync/pull?cursor={cursor}&limit=3", headers=who).get_json()
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes


def _upload_photo(api: CheckedClient, who: dict[str, str], data: bytes) -> None:
    created = create(api, who, data)
    assert created.status_code == 201
    location = created.headers["Location"]
    assert head(api, who, location).status_code == 200
    assert patch(api, who, location, 0, data, "sha256").status_code == 204


@dataclass
class Cast:
    """Who takes part: an official (with a second phone), one of another district, a
    supervisor, an admin, and a village of the official's district."""

    official: dict[str, str]
    second_phone: dict[str, str]
    other_official: dict[str, str]
    supervisor: dict[str, str]
    admin: dict[str, str]
    village: str


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


def _every_outcome(api: CheckedClient, cast: Cast, photo: str) -> str:
    """Applied, merged, conflict, rejected, duplicate and a transition; returns a concern."""
    official, village = cast.official, cast.village
    [visit] = _push(api, official, {**visit_mutation(village), "photos": [{"sha256": photo}]})
    vid = visit["record_id"]
    _push(api, official, update_mutation("visit", vid, 1, notes="เครื่องหนึ่ง"))
    [merged] = _push(api, official, update_mutation("visit", vid, 1, villagers_met=30))
    assert merged["status"] == "merged"
    personal = {"reporter_consent": True, "reporter_name": "สมหญิง"}
    cid = _push(api, official, concern_mutation(village, **personal))[0]["record_id"]
    _push(api, official, update_mutation("concern", cid, 1, description="ยาว 20 เมตร"))
    [conflict] = _push(api, cast.second_phone, update_mutation("concern", cid, 1, description="3"))
    assert conflict["status"] == "conflict"
    [rejected] = _push(api, official, concern_mutation(village, status="closed"))
    assert rejected["status"] == "rejected"
    again = visit_mutation(village)
    _push(api, official, again)
    assert _push(api, official, again)[0]["status"] == "duplicate"
    [accepted] = _push(api, cast.supervisor, transition_mutation(cid, 3, "accept"))
    assert accepted["status"] == "applied" and accepted["record"]
    _push(api, official, _inspection(village))
    _push(api, official, {**update_mutation("visit", vid, 3), "op": "delete", "fields": {}})
    comment = {"concern_id": cid, "body": "ติดตาม"}
    _push(api, official, {**update_mutation("followup", new_id(), 0, **comment), "op": "create"})
    api.post("/api/sync/push", json={"device_id": "x", "mutations": []}, headers=official)
    api.post("/api/sync/push", data=b"{", headers=official, content_type="application/json")
    return cid


def _pulls(api: CheckedClient, cast: Cast) -> None:
    entities = {change["entity"] for change in _pull_all(api, cast.official)}
    assert entities == {"visit", "inspection", "concern", "followup", "village", "category",
                        "template"}  # fmt: skip
    _pull_all(api, cast.supervisor)  # personal data shown, others' records
    api.get("/api/sync/pull?cursor=" + "9" * 12, headers=cast.official)  # a reset
    api.get("/api/sync/pull?cursor=abc", headers=cast.official)


def _transitions(api: CheckedClient, cast: Cast, cid: str) -> None:
    path = f"/api/concerns/{cid}/transitions"
    api.post(path, json={"action": "start"}, headers=cast.supervisor)
    api.post(path, json={"action": "start"}, headers=cast.supervisor)  # 409: started already
    api.post(path, json={"action": 3}, headers=cast.supervisor)


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
    _push(api, cast.official, concern_mutation(cast.village, status="closed"))
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
        official=_sign_in(api, official),
        second_phone=_sign_in(api, official),
        other_official=_sign_in(api, make_user(districts=("6502",))),
        supervisor=_sign_in(api, make_user(role="supervisor", districts=("6501",))),
        admin=_sign_in(api, make_user(role="admin", districts=())),
        village=make_village().id,
    )
    _accounts_and_places(api)
    photo = _photos(api, cast)
    cid = _every_outcome(api, cast, photo)
    _pulls(api, cast)
    _transitions(api, cast, cid)
    _results(api, cast, cid, photo)
    _quarantine_and_conflicts(api, cast)
    _devices(api, cast)
    _audit(api, cast)
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
    official = _sign_in(api, make_user())
    supervisor = _sign_in(api, make_user(role="supervisor"))
    village = make_village().id
    _push(api, official, concern_mutation(village, status="closed"))
    [concern] = _push(api, official, concern_mutation(village))
    cid = concern["record_id"]
    _push(api, official, update_mutation("concern", cid, 1, description="หนึ่ง"))
    _push(api, supervisor, update_mutation("concern", cid, 1, description="สอง"))
    answers = [
        api.get("/api/sync/rejections", headers=official).get_json(),
        api.get("/api/sync/quarantine", headers=supervisor).get_json(),
        api.get("/api/sync/conflicts", headers=supervisor).get_json(),
        api.get("/api/devices", headers=official).get_json(),
        _pull_all(api, official),
    ]
    times = re.findall(r'"(\d{4}-\d\d-\d\dT[^"]*)"', str(answers).replace("'", '"'))
    assert len(times) > 10
    for value in times:
        assert re.search(r"(\+\d\d:\d\d|Z)$", value), value
