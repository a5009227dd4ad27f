"""Configuration read from the environment only."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import orjson

MIB = 1024 * 1024

# Responses worth compressing: the API's JSON and the app shell's text assets (photos are
# JPEG already). Preferred first when a client accepts several: zstd at level 5, about 155
# bytes a pulled record for 8 us of CPU; brotli at quality 5 (Safari, which has no zstd)
# sends about 146 for twice the CPU (15 us), a fifth of a pull's work (docs/architecture.md,
# "Compression on the wire"); gzip for every other client.
COMPRESSED_TYPES = [
    "application/json",
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/manifest+json",
    "image/svg+xml",
]
COMPRESSION = ["zstd", "br", "gzip"]


class ConfigError(RuntimeError):
    """The environment does not describe a runnable instance."""


def _instance_secret(instance_path: Path) -> str:
    """Keep one generated secret per instance, so sessions survive restarts."""
    secret_file = instance_path / "secret_key"
    if secret_file.exists():
        return secret_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    secret_file.write_text(key)
    secret_file.chmod(0o600)
    return key


def load_config(instance_path: str) -> dict:
    """Build the Flask config mapping from environment variables."""
    instance = Path(instance_path)
    env = os.environ
    production = env.get("FIELDAPP_ENV", "development") == "production"
    secret = env.get("SECRET_KEY")
    if not secret:
        if production:
            raise ConfigError("SECRET_KEY must be set when FIELDAPP_ENV=production")
        secret = _instance_secret(instance)
    database_url = env.get("DATABASE_URL") or f"sqlite:///{instance / 'fieldapp.sqlite3'}"
    return {
        "SECRET_KEY": secret,
        "FIELDAPP_ENV": "production" if production else "development",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PHOTO_DIR": env.get("PHOTO_DIR") or str(instance / "photos"),
        "REDIS_URL": env.get("REDIS_URL") or None,
        "RATELIMIT_STORAGE_URI": env.get("REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "DEMO_MODE": env.get("FIELDAPP_DEMO", "1" if not production else "0") == "1",
        "MAX_CONTENT_LENGTH": int(env.get("MAX_BODY_BYTES", str(8 * MIB))),
        "SYNC_MAX_MUTATIONS": int(env.get("SYNC_MAX_MUTATIONS", "500")),
        "SYNC_MAX_PULL": int(env.get("SYNC_MAX_PULL", "1000")),
        # Photos (docs/photo-uploads.md).
        "MAX_PHOTO_BYTES": int(env.get("MAX_PHOTO_BYTES", str(25 * MIB))),
        "MAX_PHOTO_PIXELS": int(env.get("MAX_PHOTO_PIXELS", "64000000")),
        "UPLOAD_CHUNK_MAX_BYTES": int(env.get("UPLOAD_CHUNK_MAX_BYTES", str(8 * MIB))),
        "UPLOAD_EXPIRY_HOURS": float(env.get("UPLOAD_EXPIRY_HOURS", "24")),
        "PHOTO_GC_GRACE_DAYS": float(env.get("PHOTO_GC_GRACE_DAYS", "7")),
        "PHOTO_EXIF_UTC_OFFSET": env.get("PHOTO_EXIF_UTC_OFFSET", "+07:00"),
        # Evidence checks of after-photos (docs/evidence.md, docs/operations.md).
        "EVIDENCE_MAX_DISTANCE_M": float(env.get("EVIDENCE_MAX_DISTANCE_M", "200")),
        "EVIDENCE_PHASH_MAX_BITS": int(env.get("EVIDENCE_PHASH_MAX_BITS", "6")),
        "PWA_DIST": env.get("PWA_DIST") or None,
        # The origin of the map tiles the PWA was built with (VITE_MAP_TILE_URL), let through
        # the Content-Security-Policy's img-src (fieldapp/security.py); none by default.
        "MAP_TILE_ORIGIN": env.get("MAP_TILE_ORIGIN") or None,
        # A frozen clock for tests and demos (fieldapp/clock.py); ignored in production.
        "FIELDAPP_FAKE_NOW": env.get("FIELDAPP_FAKE_NOW") or None,
        # Days after the due date at which `flask escalate-overdue` raises levels 1, 2, 3…
        "ESCALATION_DAYS": env.get("ESCALATION_DAYS", "0,7,14"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        # Flask-Compress: negotiated by Accept-Encoding (docs/sync-protocol.md, Compression).
        "COMPRESS_MIMETYPES": COMPRESSED_TYPES,
        "COMPRESS_ALGORITHM": COMPRESSION,
        "COMPRESS_ALGORITHM_STREAMING": COMPRESSION,
        "COMPRESS_BR_LEVEL": 5,
        "COMPRESS_ZSTD_LEVEL": 5,
        "API_TITLE": "fieldapp",
        "API_VERSION": "1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
    }


def json_text(value: object) -> str:
    """JSON as the database stores it (SQLAlchemy's serializer for JSON columns)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def engine_options(database_url: str, busy_timeout: float | None = None) -> dict:
    """Connection options suited to the database the URL names.

    `busy_timeout` (SQLite, seconds; SQLITE_BUSY_TIMEOUT, default 15): how long a writer waits
    for another's lock before the request answers 503 (see errors.py)."""
    if busy_timeout is None:
        busy_timeout = float(os.environ.get("SQLITE_BUSY_TIMEOUT", "15"))
    # JSON columns are read on every pull and written on every push; orjson does both several
    # times faster than the standard library (and writes Thai as UTF-8, not \u escapes).
    json_options = {"json_deserializer": orjson.loads, "json_serializer": json_text}
    if database_url.startswith("sqlite"):
        # check_same_thread off: gunicorn threads share the pool; the busy timeout makes
        # concurrent writers wait instead of failing with "database is locked".
        connect_args = {"timeout": busy_timeout, "check_same_thread": False}
        return {"connect_args": connect_args, **json_options}
    return {"pool_pre_ping": True, **json_options}
