"""Every error under /api is RFC 9457 problem+json, and bad input writes nothing."""

import pytest
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, Device

PROBLEM = "application/problem+json"


def nothing_written() -> bool:
    return all(
        db.session.scalar(select(func.count()).select_from(model)) == 0
        for model in (Device, AuditEntry)
    )


def test_malformed_json(client, make_user):
    make_user("somchai")
    response = client.post("/api/auth/login", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.content_type == PROBLEM
    body = response.get_json()
    assert body["status"] == 400 and body["errors"]["_body"]
    assert nothing_written()


def test_wrong_types_and_unknown_fields_name_each_field(client, make_user):
    make_user("somchai")
    response = client.post(
        "/api/auth/login", json={"username": 5, "password": ["x"], "extra": True}
    )
    assert response.status_code == 422
    assert response.content_type == PROBLEM
    assert response.get_json()["code"] == "request.invalid"
    errors = response.get_json()["errors"]
    assert set(errors) == {"username", "password", "extra"}
    assert errors["extra"] == ["Unknown field."]
    assert nothing_written()


@pytest.mark.parametrize("body", ["[]", '"text"', "null", "1"])
def test_json_that_is_not_an_object(client, body):
    response = client.post("/api/auth/login", data=body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert response.content_type == PROBLEM


def test_invalid_utf8(client):
    response = client.post(
        "/api/auth/login", data=b'{"username": "\xff\xfe"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.content_type == PROBLEM


def test_unknown_api_route_and_wrong_method(client):
    missing = client.get("/api/no-such-thing")
    assert missing.status_code == 404 and missing.content_type == PROBLEM
    assert missing.get_json()["code"] == "http.not_found"
    wrong = client.get("/api/auth/login")
    assert wrong.status_code == 405 and wrong.content_type == PROBLEM
    assert wrong.get_json()["code"] == "http.method_not_allowed"


def test_body_too_large_is_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/api/auth/login", data="x" * 4096, content_type="application/json")
    assert response.status_code == 413
    assert response.content_type == PROBLEM


def test_unexpected_errors_hide_the_trace(app, client, caplog):
    @app.route("/api/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = client.get("/api/boom")
    assert response.status_code == 500
    assert response.content_type == PROBLEM
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
