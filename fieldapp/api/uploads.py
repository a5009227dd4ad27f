"""tus 1.0.0 at /api/uploads/: core, creation(-with-upload), checksum, termination, expiration.

Routes only translate HTTP to fieldapp.photos.uploads; docs/photo-uploads.md is the contract.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import NoReturn

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from werkzeug.exceptions import ClientDisconnected, HTTPException
from werkzeug.http import http_date

from fieldapp.auth import Permission, current_device, current_user, require
from fieldapp.database import keep_writes_on_error
from fieldapp.errors import ApiProblem
from fieldapp.extensions import db
from fieldapp.models import Upload
from fieldapp.photos.outage import storage_problem
from fieldapp.photos.processing import PhotoRejected
from fieldapp.photos.settings import current_settings
from fieldapp.photos.tus import (
    CHECKSUM_ALGORITHMS,
    TUS_VERSION,
    encode_metadata,
    parse_checksum,
    parse_metadata,
)
from fieldapp.photos.uploads import (
    READ_PIECE,
    Chunk,
    append_chunk,
    create_upload,
    discard_upload,
    find_upload,
    problem_from,
)

blp = Blueprint(
    "uploads",
    __name__,
    url_prefix="/api/uploads",
    description="Resumable photo uploads (tus 1.0.0); see docs/photo-uploads.md",
)

EXTENSIONS = "creation,creation-with-upload,termination,checksum,expiration"
OFFSET_STREAM = "application/offset+octet-stream"


def _headers(**described: str) -> dict[str, dict]:
    """Response headers as OpenAPI documents them (each needs a schema)."""
    return {
        name.replace("_", "-"): {"description": text, "schema": {"type": "string"}}
        for name, text in described.items()
    }


OFFSET_HEADERS = {
    "Upload-Offset": {"description": "Bytes the server holds", "schema": {"type": "integer"}},
    **_headers(
        Upload_Expires="When an unfinished upload expires (HTTP date)",
        Tus_Resumable="Always 1.0.0",
    ),
}


def _header_doc(name: str, description: str, required: bool = False) -> dict:
    # OpenAPI requires a schema per parameter; generated clients and contract tests need it.
    return {
        "in": "header",
        "name": name,
        "required": required,
        "description": description,
        "schema": {"type": "string"},
    }


TUS_HEADER = _header_doc("Tus-Resumable", "Must be 1.0.0", required=True)
AUTH_NOTE = "Needs 'Authorization: Bearer <token>' (role with the record permission)."


@blp.after_request
def tus_headers(response: Response) -> Response:
    """Every tus answer says which protocol it speaks; errors included."""
    response.headers["Tus-Resumable"] = TUS_VERSION
    if response.status_code == 412:
        response.headers["Tus-Version"] = TUS_VERSION
    if response.status_code >= 400 and request.method in {"POST", "PATCH"}:
        _drain_body()
    return response


def _drain_body() -> None:
    """Read the rest of a refused body, so the client sees our answer and not a reset."""
    try:
        while request.stream.read(READ_PIECE):
            pass
    except (HTTPException, OSError):
        pass  # too large to read or already gone: the server closes the connection instead


def _require_tus() -> None:
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        raise ApiProblem(
            412,
            "Precondition Failed",
            f"Send 'Tus-Resumable: {TUS_VERSION}'.",
            code="upload.tus_version",
        )


def _int_header(name: str) -> int:
    value = request.headers.get(name, "").strip()
    if not value.isdigit() or len(value) > 15:
        raise ApiProblem(
            400, "Bad Request", f"{name} must be a non-negative integer.", code="upload.bad_header"
        )
    return int(value)


def _limit_body() -> None:
    """A PATCH body is one chunk: bounded by UPLOAD_CHUNK_MAX_BYTES, not MAX_CONTENT_LENGTH."""
    limit = current_settings().chunk_max_bytes
    request.max_content_length = limit
    if (request.content_length or 0) > limit:
        raise ApiProblem(
            413,
            "Chunk too large",
            f"One request may carry at most {limit} bytes; send smaller chunks.",
            code="upload.chunk_too_large",
            limit=limit,
            detail_th=f"ส่งข้อมูลได้ไม่เกิน {limit} ไบต์ต่อครั้ง กรุณาแบ่งส่งเป็นส่วนเล็กลง",
        )


def _body_reader() -> Callable[[int], bytes]:
    """read(n) that reports a dropped connection as the end of the body."""
    stream = request.stream

    def read(size: int) -> bytes:
        try:
            return stream.read(size)
        except (ClientDisconnected, OSError):
            return b""

    return read


def _offset_response(upload: Upload, status: int) -> Response:
    response = Response(status=status)
    response.headers["Upload-Offset"] = str(upload.received)
    if upload.completed_at is None:
        response.headers["Upload-Expires"] = http_date(upload.expires_at)
    response.headers["Cache-Control"] = "no-store"
    return response


def _refuse_durably(upload_id: str, problem: ApiProblem) -> NoReturn:
    """A refusal is final: nothing of the upload may survive, so it is committed here."""
    db.session.rollback()
    discard_upload(upload_id, current_settings())
    # An error response normally rolls back, which would bring the refused upload back.
    keep_writes_on_error()
    raise problem


def _receive(upload: Upload, offset: int) -> None:
    """Append the request body at `offset`; complete the photo when the last byte arrived.

    Runs under no_autoflush: a body on a slow link can take minutes, and a pending write
    (even the device's last-seen time) flushed before it would hold SQLite's single write
    lock all that time. The offset is written after the bytes, then committed at once.
    """
    _limit_body()
    chunk = Chunk(
        offset=offset,
        read=_body_reader(),
        declared_length=request.content_length,
        checksum=parse_checksum(request.headers.get("Upload-Checksum", "")),
    )
    try:
        append_chunk(upload, chunk, current_settings())
    except OSError as exc:  # the photo store is full or read-only: 507 / 503, retry later
        current_settings().partials.rewind(upload.id, upload.received)
        raise storage_problem(exc) from None
    except PhotoRejected as rejected:
        _refuse_durably(upload.id, problem_from(rejected))
    except ApiProblem as problem:
        if problem.code != "upload.lost":
            raise
        _refuse_durably(upload.id, problem)


@blp.route("/")
class Uploads(MethodView):
    @blp.doc(summary="Server capabilities (tus discovery)", security=[])
    @blp.response(
        204,
        headers=_headers(
            Tus_Version="1.0.0",
            Tus_Extension=EXTENSIONS,
            Tus_Max_Size="Largest photo in bytes",
            Tus_Checksum_Algorithm="sha1,sha256",
        ),
    )
    def options(self) -> Response:
        response = Response(status=204)
        response.headers["Tus-Version"] = TUS_VERSION
        response.headers["Tus-Extension"] = EXTENSIONS
        response.headers["Tus-Max-Size"] = str(current_settings().limits.max_bytes)
        response.headers["Tus-Checksum-Algorithm"] = ",".join(CHECKSUM_ALGORITHMS)
        return response

    @require(Permission.RECORD)
    @blp.doc(
        summary="Create an upload",
        description=f"{AUTH_NOTE} Upload-Metadata carries filename, filetype and sha256.",
        parameters=[
            TUS_HEADER,
            _header_doc("Upload-Length", "Size of the whole file in bytes", required=True),
            _header_doc("Upload-Metadata", "filename, filetype, sha256 (base64 values)", True),
        ],
    )
    @blp.response(201, headers={**_headers(Location="The upload's URL"), **OFFSET_HEADERS})
    def post(self) -> Response:
        _require_tus()
        if "Upload-Defer-Length" in request.headers:
            raise ApiProblem(
                400,
                "Bad Request",
                "Deferred length is not supported: send Upload-Length.",
                code="upload.deferred_length",
            )
        length = _int_header("Upload-Length")
        meta = parse_metadata(request.headers.get("Upload-Metadata", ""))
        settings = current_settings()
        with db.session.no_autoflush:  # nothing written until the body is in (see _receive)
            try:
                upload = create_upload(current_user(), current_device().id, length, meta, settings)
            except OSError as exc:  # no partial file could be made
                raise storage_problem(exc) from None
            try:
                if request.mimetype == OFFSET_STREAM and upload.completed_at is None:
                    _receive(upload, 0)  # creation-with-upload: the first chunk rides along
            except ApiProblem as problem:
                if problem.status in (503, 507):  # the upload is not kept: nor is its file
                    with suppress(OSError):
                        settings.partials.remove(upload.id)
                raise
        response = _offset_response(upload, 201)
        response.headers["Location"] = f"{request.script_root}/api/uploads/{upload.id}"
        return response


@blp.route("/<upload_id>")
class UploadResource(MethodView):
    @require(Permission.RECORD)
    @blp.doc(summary="How many bytes arrived", description=AUTH_NOTE, parameters=[TUS_HEADER])
    @blp.response(
        200,
        headers={
            **_headers(Upload_Length="The whole file's size", Upload_Metadata="As created"),
            **OFFSET_HEADERS,
        },
    )
    def head(self, upload_id: str) -> Response:
        _require_tus()
        upload = find_upload(upload_id, current_user())
        response = _offset_response(upload, 200)
        response.headers["Upload-Length"] = str(upload.length)
        response.headers["Upload-Metadata"] = encode_metadata(upload.meta)
        return response

    @require(Permission.RECORD)
    @blp.doc(
        summary="Append a chunk",
        description=f"{AUTH_NOTE} Content-Type: {OFFSET_STREAM}.",
        parameters=[
            TUS_HEADER,
            _header_doc("Upload-Offset", "Where this chunk starts", required=True),
            _header_doc("Upload-Checksum", "Optional: 'sha1 <base64>' or 'sha256 <base64>'"),
        ],
    )
    @blp.response(204, headers=OFFSET_HEADERS)
    def patch(self, upload_id: str) -> Response:
        _require_tus()
        if request.mimetype != OFFSET_STREAM:
            raise ApiProblem(
                415,
                "Unsupported Media Type",
                f"PATCH bodies must be {OFFSET_STREAM}.",
                code="upload.content_type",
            )
        with db.session.no_autoflush:  # nothing written until the body is in (see _receive)
            upload = find_upload(upload_id, current_user())
            _receive(upload, _int_header("Upload-Offset"))
        return _offset_response(upload, 204)

    @require(Permission.RECORD)
    @blp.doc(summary="Terminate an upload", description=AUTH_NOTE, parameters=[TUS_HEADER])
    @blp.response(204)
    def delete(self, upload_id: str) -> Response:
        _require_tus()
        upload = find_upload(upload_id, current_user())
        discard_upload(upload.id, current_settings())
        return Response(status=204)

    @blp.doc(summary="X-HTTP-Method-Override: PATCH or DELETE for clients that only POST")
    @blp.response(204, headers=OFFSET_HEADERS)
    def post(self, upload_id: str) -> Response:
        override = request.headers.get("X-HTTP-Method-Override", "").upper()
        if override == "PATCH":
            return self.patch(upload_id)
        if override == "DELETE":
            return self.delete(upload_id)
        raise ApiProblem(405, "Method Not Allowed", "POST here needs X-HTTP-Method-Override.")
