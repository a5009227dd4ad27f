"""What anyone on the internet meets: security headers on every answer, a shell with no inline
script or style, no stack trace / SQL / file path in any error, tokens refused the moment a
user is deactivated or a device revoked, and login limits shared by every server (Redis)."""

from __future__ import annotations

import os
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError, ProgrammingError

from fieldapp.api.public import STYLE_HASH

ROOT = Path(__file__).resolve().parents[1]


def csp_of(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()
    }


@pytest.mark.parametrize("path", ["/", "/app/visits", "/api/auth/me", "/api/nowhere", "/healthz"])
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    response.close()  # the shell is a file
    policy = csp_of(response)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    # the public page's own style is allowed by its hash, nothing else inline
    style = "'self'" if path != "/" else f"'self' 'sha256-{STYLE_HASH}'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == style
    assert policy["frame-ancestors"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: no HSTS


def test_hsts_is_sent_over_https(client):
    direct = client.get("/healthz", base_url="https://fieldapp.example")
    proxied = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    for response in (direct, proxied):
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


class InlineFinder(HTMLParser):
    """Inline scripts, style elements and attributes, event-handler attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names:
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        self.found += [f"{tag} {name}=" for name in names if name.startswith("on")]
        self.found += [f"{tag} style=" for name in names if name == "style"]


@pytest.mark.parametrize("page", ["static/index.html", "static/dist/index.html"])
def test_the_shell_has_no_inline_script_or_style(page):
    path = ROOT / page
    if not path.exists():
        assert page.startswith("static/dist"), f"{page} is missing"
        pytest.skip("the PWA is not built here (make run / make test build it)")
    finder = InlineFinder()
    finder.feed(path.read_text())
    assert finder.found == []


def test_no_error_shows_a_stack_trace_sql_or_a_path(client, make_user, login, monkeypatch):
    import fieldapp.api.sync as sync_api

    auth = login(make_user())
    secret_path = str(ROOT / "fieldapp" / "syncstore" / "push.py")
    failures = [
        RuntimeError(f"boom in {secret_path}"),
        ProgrammingError("SELECT * FROM users WHERE password_hash = 'x'", {}, Exception("syntax")),
        OperationalError(
            "UPDATE change_counter SET value = 1", {}, Exception("database is locked")
        ),
        OSError(28, "No space left on device", "/var/lib/fieldapp/secret"),
    ]
    for failure in failures:

        def explode(*_args, failure=failure, **_kwargs):
            raise failure

        monkeypatch.setattr(sync_api, "push_mutations", explode)
        body = {"device_id": auth["X-Device-Id"]}
        body["mutations"] = [
            {
                "mutation_id": str(uuid.uuid4()),
                "entity": "visit",
                "record_id": str(uuid.uuid4()),
                "op": "delete",
                "base_version": 1,
            }
        ]
        response = client.post("/api/sync/push", json=body, headers=auth)
        text = response.get_data(as_text=True)
        assert response.status_code in (500, 503), text
        assert response.mimetype == "application/problem+json"
        for leak in ("Traceback", "SELECT", "UPDATE", "password", "is locked", "/var/", "/work"):
            assert leak not in text, (failure, text)
        assert str(ROOT) not in text and "No space" not in text


def test_deactivated_users_and_revoked_devices_are_refused_on_the_next_request(
    app, client, make_user, login
):
    from fieldapp.extensions import db
    from fieldapp.models import Device

    user = make_user()
    first, second = login(user), login(user)
    assert client.get("/api/auth/me", headers=first).status_code == 200

    db.session.get(Device, first["X-Device-Id"]).revoked_at = db.func.now()
    db.session.commit()
    assert client.get("/api/auth/me", headers=first).status_code == 401
    assert client.get("/api/auth/me", headers=second).status_code == 200

    user.active = False
    db.session.commit()
    refused = client.get("/api/sync/pull", headers=second)
    assert refused.status_code == 401 and refused.get_json()["code"] == "auth.invalid_token"


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own on the machine's Redis (db 15), removed afterwards."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    prefix = f"fieldapp-test-{uuid.uuid4().hex[:10]}"
    yield prefix
    for key in connection.scan_iter(f"{prefix}*"):
        connection.delete(key)
    connection.close()


def test_login_limits_are_shared_by_every_server_through_redis(make_app, redis_prefix):
    config = {
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": redis_prefix,
        "LOGIN_RATE_LIMIT": "3 per minute",
    }
    one, two = make_app(**config), make_app(**config)
    attempt = {"username": "nobody", "password": "wrong-password"}
    answers = []
    for app in (one, two, one, two):
        with app.app_context():
            answers.append(app.test_client().post("/api/auth/login", json=attempt))
    assert [r.status_code for r in answers] == [401, 401, 401, 429]
    assert answers[-1].headers["Retry-After"]
