"""Bad input: each a 4xx problem+json, and nothing written."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sync_helpers import new_id, visit_mutation

from fieldapp.extensions import db
from fieldapp.models import AppliedMutation, QuarantinedMutation, Visit

# The data layer runs on SQLite and, when TEST_DATABASE_URL is set (always on CI), PostgreSQL.
pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def nothing_written() -> bool:
    return all(
        db.session.scalar(select(func.count()).select_from(model)) == 0
        for model in (AppliedMutation, QuarantinedMutation, Visit)
    )


@pytest.fixture
def phone(make_user, device):
    return device(make_user())


def _post(phone, data: bytes, content_type: str = "application/json"):
    return phone.client.post(
        "/api/sync/push", data=data, headers={**phone.headers, "Content-Type": content_type}
    )


def _body(phone, mutations) -> bytes:
    return json.dumps({"device_id": phone.device_id, "mutations": mutations}).encode()


def assert_problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status
    if code:
        assert body["code"] == code
    assert nothing_written()
    return body


def test_malformed_json(phone):
    assert_problem(_post(phone, b'{"device_id": "x", "mutations": ['), 400, "request.invalid_json")


def test_invalid_utf8(phone):
    raw = _body(phone, [visit_mutation(new_id())]).replace(b"clean_tidy", b"clean\xff\xfetidy")
    assert_problem(_post(phone, raw), 400, "request.invalid_json")


def test_an_unpaired_surrogate(phone):
    raw = _body(phone, [visit_mutation(new_id(), notes="x")]).replace(b'"x"', b'"\\ud800"')
    assert_problem(_post(phone, raw), 400, "request.invalid_json")


@pytest.mark.parametrize("depth", [40, 100_000])
def test_deeply_nested_json(phone, depth):
    mutation = json.dumps(visit_mutation(new_id()))
    nested = "[" * depth + "1" + "]" * depth
    raw = f'{{"device_id": "{phone.device_id}", "mutations": [{mutation}], "x": {nested}}}'
    assert_problem(_post(phone, raw.encode()), 400, "request.too_deep")


def test_not_json_at_all(phone):
    assert_problem(_post(phone, b"device_id=x", "application/x-www-form-urlencoded"), 415)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"entity": "spaceship"}, "mutations.1.entity"),
        ({"op": "upsert"}, "mutations.1.op"),
        ({"mutation_id": None}, "mutations.1.mutation_id"),
        ({"mutation_id": "not-a-uuid"}, "mutations.1.mutation_id"),
        ({"base_version": "1", "op": "update"}, "mutations.1.base_version"),
        ({"fields": ["a", "list"]}, "mutations.1.fields"),
        ({"op": "update"}, "mutations.1.base_version"),
        ({"photos": [{"sha256": "xyz"}]}, "mutations.1.photos.0.sha256"),
    ],
)
def test_wrong_types_and_unknown_names(phone, change, path):
    mutation = {**visit_mutation(new_id()), **change}
    mutation = {k: v for k, v in mutation.items() if v is not None}
    body = assert_problem(
        _post(phone, _body(phone, [visit_mutation(new_id()), mutation])),
        400,
        "sync.invalid_request",
    )
    assert path in body["errors"], body["errors"]


def test_missing_fields(phone):
    body = assert_problem(_post(phone, json.dumps({"mutations": []}).encode()), 400)
    assert "device_id" in body["errors"]
    body = assert_problem(_post(phone, json.dumps({"device_id": phone.device_id}).encode()), 400)
    assert "mutations" in body["errors"]
    assert_problem(_post(phone, b"[]"), 400, "sync.invalid_request")


def test_an_oversized_batch_names_the_limit(app, phone):
    app.config["SYNC_MAX_MUTATIONS"] = 3
    body = assert_problem(
        _post(phone, _body(phone, [visit_mutation(new_id()) for _ in range(4)])),
        413,
        "sync.too_many_mutations",
    )
    assert body["limit"] == 3
    assert "SYNC_MAX_MUTATIONS" in body["detail"]


def test_an_oversized_body_names_the_limit(app, phone):
    app.config["MAX_CONTENT_LENGTH"] = 2_000
    mutation = visit_mutation(new_id(), notes="ก" * 2_000)
    body = assert_problem(_post(phone, _body(phone, [mutation])), 413, "request.too_large")
    assert body["limit"] == 2_000


def test_another_devices_id_is_refused(phone):
    raw = json.dumps({"device_id": new_id(), "mutations": [visit_mutation(new_id())]}).encode()
    assert_problem(_post(phone, raw), 403, "sync.device_mismatch")


def test_no_token(client):
    response = client.post("/api/sync/push", json={"device_id": "x", "mutations": []})
    assert_problem(response, 401, "auth.missing_token")
    assert_problem(client.get("/api/sync/pull"), 401, "auth.missing_token")


def test_nul_characters_are_refused(phone):
    raw = _body(phone, [visit_mutation(new_id(), notes="x")]).replace(b'"x"', b'"a\\u0000b"')
    assert_problem(_post(phone, raw), 400, "request.invalid_json")


@pytest.mark.parametrize(
    "raw", [b'{"username": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", b'{"username": "\xff"}']
)
def test_other_routes_parse_bodies_as_safely(client, raw):
    response = client.post("/api/auth/login", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
