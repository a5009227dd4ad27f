"""Serving stored photos: thumbnail, display size and (for allowed roles) the original."""

from __future__ import annotations

from flask import Response, request
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException
from werkzeug.wsgi import wrap_file

from fieldapp.auth import authenticated, current_device, current_user
from fieldapp.auth.visibility import actor_for
from fieldapp.errors import ApiProblem
from fieldapp.extensions import db
from fieldapp.models import Photo
from fieldapp.photos.access import may_view, may_view_original
from fieldapp.photos.settings import current_settings
from fieldapp.photos.storage import SHA256_RE, Rendition
from fieldapp.schemas.photos import PhotoSchema

blp = Blueprint(
    "photos",
    __name__,
    url_prefix="/api/photos",
    description="Stored photos by SHA-256; see docs/photo-uploads.md",
)

# Bytes under one URL never change, but only signed-in users with access may hold them.
CACHE_CONTROL = "private, max-age=31536000, immutable"
SERVE_HEADERS = {
    name: {"description": text, "schema": {"type": "string"}}
    for name, text in (
        ("ETag", "Strong: the digest and rendition"),
        ("Cache-Control", CACHE_CONTROL),
        ("Accept-Ranges", "bytes"),
    )
}
# Thumb and display are JPEG; an original is the type it was uploaded as.
BYTES = {"schema": {"type": "string", "format": "binary"}}
SERVED_TYPES = {
    kind: BYTES for kind in ("image/jpeg", "image/png", "image/webp", "image/heic", "image/heif")
}


def _actor():
    return actor_for(current_user(), current_device().id)


def _visible_photo(sha256: str) -> Photo:
    """The photo, if it exists and the caller may see it; otherwise the same 404."""
    photo = db.session.get(Photo, sha256) if SHA256_RE.match(sha256) else None
    if photo is None or not may_view(_actor(), photo):
        raise ApiProblem(404, "Not Found", "No such photo.", code="photo.not_found")
    return photo


def _urls(sha256: str, original: bool) -> dict[str, str]:
    kinds = [Rendition.THUMB, Rendition.DISPLAY] + ([Rendition.ORIGINAL] if original else [])
    return {kind.value: f"{request.script_root}/api/photos/{sha256}/{kind.value}" for kind in kinds}


@blp.route("/<sha256>")
@authenticated
@blp.response(200, PhotoSchema)
def photo_info(sha256: str):
    """A photo's size and, for those who may see the original, its provenance."""
    photo = _visible_photo(sha256)
    original = may_view_original(_actor(), photo)
    return {
        "sha256": photo.sha256,
        "mime_type": photo.mime_type,
        "size_bytes": photo.size_bytes,
        "width": photo.width,
        "height": photo.height,
        "created_at": photo.created_at,
        "urls": _urls(photo.sha256, original),
        "provenance": photo if original else None,
    }


@blp.route("/<sha256>/<rendition>")
@authenticated
@blp.doc(
    summary="Photo bytes: thumb (320 px JPEG), display (1600 px JPEG) or original",
    description="Conditional GET (If-None-Match -> 304) and Range requests (206) work.",
    responses={
        200: {"content": SERVED_TYPES},
        206: {"description": "The range asked for", "content": SERVED_TYPES},
        304: {"description": "Not modified (If-None-Match)"},
    },
)
@blp.response(200, headers=SERVE_HEADERS, content_type="image/jpeg")
def photo_bytes(sha256: str, rendition: str) -> Response:
    """Stream one rendition with a strong ETag, immutable caching and byte ranges."""
    try:
        kind = Rendition(rendition)
    except ValueError:
        raise ApiProblem(404, "Not Found", "Use thumb, display or original.") from None
    photo = _visible_photo(sha256)
    if kind is Rendition.ORIGINAL and not may_view_original(_actor(), photo):
        raise ApiProblem(
            403,
            "Forbidden",
            "Only the uploader, supervisors and admins may download the original.",
            code="photo.original_forbidden",
            detail_th="เฉพาะผู้อัปโหลด หัวหน้างาน และผู้ดูแลระบบเท่านั้นที่ดาวน์โหลดไฟล์ต้นฉบับได้",
        )
    return _stream(photo, kind)


def _stream(photo: Photo, kind: Rendition) -> Response:
    stored = current_settings().store.open(kind, photo.sha256)
    if stored is None:
        raise ApiProblem(404, "Not Found", "The stored file is missing.", code="photo.not_stored")
    mimetype = photo.mime_type if kind is Rendition.ORIGINAL else "image/jpeg"
    response = Response(
        wrap_file(request.environ, stored.stream), mimetype=mimetype, direct_passthrough=True
    )
    response.content_length = stored.size
    response.set_etag(f"{photo.sha256}.{kind.value}")
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.vary.add("Authorization")
    try:
        return response.make_conditional(request, accept_ranges=True, complete_length=stored.size)
    except HTTPException:  # 416: the answer is an error, so the open file must be closed here
        response.close()
        raise
