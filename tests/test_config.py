"""Configuration from the environment."""

import pytest
from sqlalchemy import text

from fieldapp import create_app
from fieldapp.config import ConfigError, load_config
from fieldapp.extensions import db


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("FIELDAPP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(str(tmp_path))


def test_development_instance_generates_and_keeps_its_secret(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FIELDAPP_ENV", raising=False)
    first = load_config(str(tmp_path))["SECRET_KEY"]
    second = load_config(str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_defaults_put_sqlite_and_photos_under_instance(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "PHOTO_DIR", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    config = load_config(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'fieldapp.sqlite3'}"
    assert config["PHOTO_DIR"] == str(tmp_path / "photos")
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_redis_url_moves_the_rate_limit_store(monkeypatch, tmp_path):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert load_config(str(tmp_path))["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_sqlite_runs_with_wal_foreign_keys_busy_timeout_and_durable_commits(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    app = create_app({"SECRET_KEY": "x"})
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 15000
        # FULL (2): a confirmed push survives a power cut; WAL's NORMAL may not.
        assert db.session.execute(text("PRAGMA synchronous")).scalar() == 2
        db.engine.dispose()


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_openapi_document_lists_the_api(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/auth/login" in spec["paths"]
    assert "requestBody" in spec["paths"]["/api/auth/login"]["post"]


def test_every_changing_route_needs_a_bearer_token_not_a_cookie(app, client):
    """Why the app needs no CSRF tokens: no route that changes anything is authenticated by
    a cookie (the browser sends none it could be tricked into sending)."""
    open_routes = {"/api/auth/login"}  # answers 422/401 without credentials, changes nothing
    changing = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.methods & {"POST", "PUT", "PATCH", "DELETE"} and rule.rule not in open_routes
    ]
    assert changing, "the API has routes that change data"
    for rule in changing:
        path = rule.rule.replace("<int:", "<").replace("<uuid:", "<")
        for name in rule.arguments:
            value = "1" if "int:" in str(rule) else "0b9a7c5e-2f55-4d0e-8a3c-9f4c1f0d2e11"
            path = path.replace(f"<{name}>", value)
        method = sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"})[0]
        response = client.open(path, method=method, json={}, headers={"Tus-Resumable": "1.0.0"})
        assert response.status_code == 401, (rule.rule, response.status_code)


def test_photo_settings_come_from_the_one_config(monkeypatch, tmp_path):
    monkeypatch.setenv("MAX_PHOTO_BYTES", "1000")
    monkeypatch.setenv("UPLOAD_EXPIRY_HOURS", "2")
    monkeypatch.setenv("PHOTO_EXIF_UTC_OFFSET", "+05:30")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    app = create_app({"SECRET_KEY": "x"})
    settings = app.extensions["photos"]
    assert settings.limits.max_bytes == 1000
    assert settings.upload_ttl.total_seconds() == 2 * 3600
    assert str(settings.exif_tz) == "UTC+05:30"
    with app.app_context():
        db.engine.dispose()


def test_session_cookies_are_http_only_and_secure_in_production(monkeypatch, tmp_path):
    monkeypatch.setenv("FIELDAPP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    config = load_config(str(tmp_path))
    assert config["SESSION_COOKIE_SECURE"] and config["SESSION_COOKIE_HTTPONLY"]
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert config["SECRET_KEY"] == "from-the-environment"
