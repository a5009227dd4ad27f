"""Serves the built PWA shell and its assets from static/dist."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, send_from_directory

blp = Blueprint("web", __name__)

PLACEHOLDER = """<!doctype html><html lang="th"><meta charset="utf-8">
<title>fieldapp</title><h1>fieldapp</h1>
<p>ยังไม่ได้สร้างแอป: รัน <code>make run</code></p>
<p>The PWA is not built yet: run <code>make run</code>.</p>
</html>"""


def dist_dir() -> Path:
    # PWA_DIST serves another build, e.g. a next release in a test.
    configured = current_app.config.get("PWA_DIST")
    return Path(configured or Path(current_app.root_path).parent / "static" / "dist")


def _buffered(response: Response) -> Response:
    """The file read into the response, so it is compressed whole (and closed when the
    response is): shell files are small, and a compressed stream would leave them open."""
    if response.status_code == 200:
        response.direct_passthrough = False
        response.make_sequence()
    return response


# The site's root is the public page (fieldapp/api/public.py); the app lives under /app.
@blp.route("/app", strict_slashes=False)
@blp.route("/app/<path:_route>")
def shell(_route: str = "") -> Response:
    index = dist_dir() / "index.html"
    if not index.exists():
        return Response(PLACEHOLDER, mimetype="text/html")
    response = _buffered(send_from_directory(dist_dir(), "index.html"))
    response.headers["Cache-Control"] = "no-cache"
    return response


# Root files (sw.js, manifest, …) and the built asset folders; nothing that could shadow /api.
@blp.route("/<string:filename>")
@blp.route("/<any(assets, icons):folder>/<path:filename>")
def asset(filename: str, folder: str = "") -> Response:
    filename = f"{folder}/{filename}" if folder else filename
    response = _buffered(send_from_directory(dist_dir(), filename))
    if filename in {"sw.js", "manifest.webmanifest", "index.html"}:
        # The service worker and manifest must be revalidated so updates are found.
        response.headers["Cache-Control"] = "no-cache"
        response.headers["Service-Worker-Allowed"] = "/"
    elif filename.startswith("assets/"):
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def init_app(app: Flask) -> None:
    # Flask's own /static route would shadow the PWA; the app is built without it.
    app.register_blueprint(blp)
