"""The public page at / and /public (no sign-in, server-rendered, Thai first) and the
public photos: thumbnails and display sizes of publishable photos only."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from flask import Blueprint, Response, render_template, request
from sqlalchemy import select
from werkzeug.wsgi import wrap_file

from fieldapp.auth.visibility import public_photo_filter
from fieldapp.extensions import db, limiter
from fieldapp.followup.tracking import normalise_tracking_code
from fieldapp.models import PhotoLink
from fieldapp.photos.settings import current_settings
from fieldapp.photos.storage import SHA256_RE, Rendition
from fieldapp.reports import public_page, public_text
from fieldapp.reports.sqltime import bangkok_today
from fieldapp.security import CONTENT_SECURITY_POLICY, talisman

blp = Blueprint("public", __name__)
PUBLIC_RENDITIONS = {"thumb": Rendition.THUMB, "display": Rendition.DISPLAY}
LINKS = PhotoLink.__table__
# The page's style sits in the page (one response for the first view on 2G) and is allowed by
# its hash: the policy still refuses every other inline style and all inline script.
STYLE = (Path(__file__).parents[1] / "templates" / "public" / "style.css").read_text("utf-8")
STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
PAGE_POLICY = talisman(
    content_security_policy={
        **CONTENT_SECURITY_POLICY,
        "style-src": ["'self'", f"'sha256-{STYLE_HASH}'"],
    }
)


def _lang() -> str:
    lang = request.args.get("lang", "th")
    return lang if lang in public_text.LANGUAGES else "th"


def _page(template: str, status: int = 200, **values) -> Response:
    lang = _lang()
    html = render_template(
        template,
        lang=lang,
        other_lang="en" if lang == "th" else "th",
        t=public_text.TEXT[lang],
        text=public_text,
        style=STYLE,
        **values,
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "public, max-age=60"
    response.headers["Content-Language"] = lang
    response.vary.add("Accept-Encoding")
    return response


@blp.route("/")
@blp.route("/public", strict_slashes=False)
@PAGE_POLICY
def home() -> Response:
    """The results per district and category, the monthly trend and recent fixes."""
    return _page("public/home.html", page=public_page.home(bangkok_today()))


@blp.route("/public/case")
@limiter.limit("30 per minute")
@PAGE_POLICY
def case() -> Response:
    """A case by its tracking code: status and timeline, without personal data."""
    typed = request.args.get("code", "")[:40]
    code = normalise_tracking_code(typed)
    concern, timeline = public_page.case(code) if code else (None, [])
    status = 200 if concern else 404
    return _page("public/case.html", status, typed=typed, concern=concern, timeline=timeline)


@blp.route("/public/photos/<sha256>/<rendition>")
def photo(sha256: str, rendition: str) -> Response:
    """A publishable photo's thumbnail or display size (JPEG without metadata)."""
    kind = PUBLIC_RENDITIONS.get(rendition)
    if kind is None or not SHA256_RE.match(sha256):
        return Response("Not found", status=404, mimetype="text/plain")
    shown = select(LINKS.c.id).where(public_photo_filter(LINKS), LINKS.c.sha256 == sha256)
    stored = (
        current_settings().store.open(kind, sha256) if db.session.scalar(shown.limit(1)) else None
    )
    if stored is None:
        return Response("Not found", status=404, mimetype="text/plain")
    response = Response(
        wrap_file(request.environ, stored.stream), mimetype="image/jpeg", direct_passthrough=True
    )
    response.content_length = stored.size
    # Short: a supervisor may withdraw a photo from the public page.
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
