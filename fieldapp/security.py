"""HTTP security headers on every answer: CSP, framing, sniffing, referrer, HSTS over HTTPS."""

from __future__ import annotations

from flask import Flask
from flask_talisman import Talisman

# The PWA is only the app's own files: no inline script or style, no eval, no other origin.
# Photos are shown from blob: URLs (fetched with the bearer token); icons may be data: URLs.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": ["'self'", "blob:", "data:"],
    "connect-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "font-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Officials record where they are and photograph what they see; nothing else is asked for.
PERMISSIONS_POLICY = {
    "geolocation": "(self)",
    "camera": "(self)",
    "microphone": "()",
    "browsing-topics": "()",
}

talisman = Talisman()


def content_security_policy(tile_origin: str | None) -> dict:
    """The policy; a concern's map shows tiles from the province's tile server (MAP_TILE_ORIGIN,
    the origin of the PWA build's VITE_MAP_TILE_URL; docs/pwa.md), and from nowhere else."""
    if not tile_origin:
        return CONTENT_SECURITY_POLICY
    return {
        **CONTENT_SECURITY_POLICY,
        "img-src": [*CONTENT_SECURITY_POLICY["img-src"], tile_origin],
    }


def init_app(app: Flask) -> None:
    talisman.init_app(
        app,
        # TLS ends at the reverse proxy (docs/operations.md): no redirect here, but HSTS on
        # every answer to a request that came over HTTPS (or X-Forwarded-Proto: https).
        force_https=False,
        strict_transport_security=True,
        strict_transport_security_max_age=31536000,
        content_security_policy=content_security_policy(app.config["MAP_TILE_ORIGIN"]),
        permissions_policy=PERMISSIONS_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
        # Talisman would otherwise force Secure cookies in development over plain HTTP.
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
    )
