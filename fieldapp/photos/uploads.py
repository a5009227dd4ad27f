"""Resumable upload operations: create, append a chunk (the last one makes the photo), discard.

State lives in the `uploads` table and the partial file, never in process memory, so any
gunicorn worker can serve the next request of an upload. Nothing here commits. Callers run
these under `no_autoflush`, so no database write (not even the token's last-seen time) is
pending while a slow body streams in: on SQLite that would block every other writer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from fieldapp.errors import ApiProblem
from fieldapp.evidence.store import recheck_photo
from fieldapp.extensions import db
from fieldapp.models import Photo, PhotoHashBand, PhotoLink, Upload, User
from fieldapp.models.base import new_uuid, utcnow
from fieldapp.photos.likeness import bands
from fieldapp.photos.outage import renditions_undone_on_failure
from fieldapp.photos.partials import PartialBusy, PartialMissing, make_durable
from fieldapp.photos.processing import (
    IngestedPhoto,
    PhotoRejected,
    check_declared,
    check_size,
    ingest,
    refuse,
)
from fieldapp.photos.settings import PhotoSettings
from fieldapp.photos.storage import SHA256_RE, Rendition
from fieldapp.photos.tus import CHECKSUM_ALGORITHMS, bad_metadata
from fieldapp.syncstore.feed import touch_records
from fieldapp.utc import aware

READ_PIECE = 64 * 1024


def problem_from(rejected: PhotoRejected) -> ApiProblem:
    return ApiProblem(
        rejected.status,
        rejected.title,
        rejected.detail,
        code=rejected.code,
        detail_th=rejected.detail_th,
    )


def create_upload(
    user: User, device_id: str | None, length: int, meta: dict[str, str], settings: PhotoSettings
) -> Upload:
    """Open an upload; bytes the store already holds complete it at once."""
    try:
        check_size(length, settings.limits)
        sha256 = meta.get("sha256", "").strip().lower()
        if not SHA256_RE.match(sha256):
            raise bad_metadata("sha256 is missing or not 64 hex digits")
        filetype = check_declared(meta.get("filetype", ""), length, settings.limits)
    except PhotoRejected as rejected:
        raise problem_from(rejected) from None
    now = utcnow()
    upload = Upload(
        id=new_uuid(),
        user_id=user.id,
        device_id=device_id,
        length=length,
        received=0,
        meta=meta,
        sha256=sha256,
        filetype=filetype,
        created_at=now,
        expires_at=now + settings.upload_ttl,
    )
    known = db.session.get(Photo, sha256)
    if known is not None:
        if known.size_bytes != length:
            mismatch = refuse("sha256_mismatch", actual="(another length)", declared=sha256)
            raise problem_from(mismatch)
        upload.received, upload.completed_at = length, now
    else:
        settings.partials.create(upload.id)
    # Added, not flushed: the row is written when the request commits, so a first chunk that
    # rides along (creation-with-upload) streams in without holding a database write lock.
    db.session.add(upload)
    return upload


def find_upload(upload_id: str, user: User) -> Upload:
    """The caller's own upload; others' uploads do not exist for them."""
    upload = db.session.get(Upload, upload_id) if _looks_like_id(upload_id) else None
    if upload is None or upload.user_id != user.id:
        raise ApiProblem(404, "Not Found", "No such upload.", code="upload.not_found")
    if upload.completed_at is None and aware(upload.expires_at) <= utcnow():
        raise ApiProblem(
            410,
            "Gone",
            "This upload expired; start a new one.",
            code="upload.expired",
            detail_th="การอัปโหลดนี้หมดอายุแล้ว กรุณาเริ่มใหม่",
        )
    return upload


def _looks_like_id(upload_id: str) -> bool:
    return len(upload_id) == 36 and all(c in "0123456789abcdef-" for c in upload_id)


@dataclass(frozen=True)
class Chunk:
    """A PATCH body: read(n) returns b"" once the body ends or the client went away."""

    offset: int
    read: Callable[[int], bytes]
    declared_length: int | None
    checksum: tuple[str, bytes] | None


def append_chunk(upload: Upload, chunk: Chunk, settings: PhotoSettings) -> None:
    """Write a chunk at the upload's offset; with the last byte, turn the upload into a photo.

    What arrived is kept even if the body was cut short, unless a checksum covers it.
    """
    if chunk.offset != upload.received:
        raise offset_conflict(upload)
    room = upload.length - upload.received
    if chunk.declared_length is not None and chunk.declared_length > room:
        raise _exceeds_length()
    if upload.completed_at is not None:
        # Finished (or known at creation): only an empty PATCH at the end is consistent.
        if chunk.read(1):
            raise _exceeds_length()
        return
    try:
        with settings.partials.writing_at(upload.id, upload.received) as handle:
            written = _copy_body(chunk, handle, room)
            make_durable(handle)
    except PartialBusy:
        raise ApiProblem(
            423, "Locked", "Another request is writing this upload; retry.", code="upload.busy"
        ) from None
    except PartialMissing:
        raise upload_lost() from None
    if not written:
        return
    received = upload.received + written
    # Ingest before any row changes: decoding takes a while and must not hold a write lock.
    photo = store_photo(upload, settings) if received == upload.length else None
    if upload in db.session.new:  # created in this request: nobody else can know it yet
        upload.received = received
    else:
        _advance(upload, received, settings)
    if photo is not None:
        record_photo(photo, upload, settings)


def _copy_body(chunk: Chunk, handle: BinaryIO, room: int) -> int:
    """Stream the body to disk; on a failed checksum drop it and answer 460."""
    digest = CHECKSUM_ALGORITHMS[chunk.checksum[0]]() if chunk.checksum else None
    start, written = handle.tell(), 0
    while piece := chunk.read(READ_PIECE):
        if written + len(piece) > room:
            handle.truncate(start)
            raise _exceeds_length()
        handle.write(piece)
        if digest is not None:
            digest.update(piece)
        written += len(piece)
    cut_short = chunk.declared_length is not None and written < chunk.declared_length
    if digest is not None and (cut_short or digest.digest() != chunk.checksum[1]):
        handle.truncate(start)
        # A body cut short cannot be checked: it is dropped, the client resends it.
        if cut_short:
            return 0
        raise ApiProblem(
            460,
            "Checksum Mismatch",
            f"The chunk's {chunk.checksum[0]} does not match Upload-Checksum; resend it.",
            code="upload.checksum_mismatch",
            detail_th="ค่าตรวจสอบของข้อมูลไม่ตรงกัน กรุณาส่งใหม่",
        )
    return written


def _advance(upload: Upload, received: int, settings: PhotoSettings) -> None:
    """Move the offset only if nobody else did meanwhile (a compare-and-set on the row)."""
    result = db.session.execute(
        update(Upload)
        .where(Upload.id == upload.id, Upload.received == upload.received)
        .values(received=received, expires_at=utcnow() + settings.upload_ttl)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise offset_conflict(upload)
    db.session.refresh(upload)


def offset_conflict(upload: Upload) -> ApiProblem:
    return ApiProblem(
        409,
        "Conflict",
        "Upload-Offset does not match the bytes received; ask with HEAD and resume there.",
        code="upload.offset_mismatch",
        upload_offset=upload.received,
    )


def _exceeds_length() -> ApiProblem:
    return ApiProblem(
        413,
        "Exceeds Upload-Length",
        "The chunk would run past the declared Upload-Length.",
        code="upload.exceeds_length",
    )


def upload_lost() -> ApiProblem:
    return ApiProblem(
        410,
        "Gone",
        "The server lost this upload's partial bytes; start a new upload.",
        code="upload.lost",
        detail_th="ข้อมูลที่อัปโหลดไว้สูญหาย กรุณาเริ่มอัปโหลดใหม่",
    )


def store_photo(upload: Upload, settings: PhotoSettings) -> IngestedPhoto:
    """Verify and ingest the complete bytes and fill the store; touches no database row.

    Raises PhotoRejected (nothing stored) or the `upload.lost` problem.
    """
    try:
        data = settings.partials.read(upload.id)
    except PartialMissing:
        raise upload_lost() from None
    photo = ingest(
        data,
        upload.filetype,
        expected_sha256=upload.sha256,
        limits=settings.limits,
        exif_tz=settings.exif_tz,
    )
    with renditions_undone_on_failure(settings.store, photo.sha256):
        settings.store.put_bytes(Rendition.THUMB, photo.sha256, photo.thumb.data)
        settings.store.put_bytes(Rendition.DISPLAY, photo.sha256, photo.display.data)
        # The original goes last: a crash before it leaves no half-stored photo behind a row.
        path = settings.partials.path(upload.id)
        settings.store.put_file(Rendition.ORIGINAL, photo.sha256, path)
    return photo


def record_photo(photo: IngestedPhoto, upload: Upload, settings: PhotoSettings) -> None:
    """Write the Photo row, re-announce the records naming it, and mark the upload complete."""
    if _insert_photo(photo, upload):
        # Records that named the photo before its bytes came now miss one photo fewer:
        # devices that see them must pull them again.
        named_by = db.session.execute(
            select(PhotoLink.entity, PhotoLink.record_id)
            .where(PhotoLink.sha256 == photo.sha256)
            .distinct()
        )
        touch_records(named_by.all())
        recheck_photo(photo.sha256)  # evidence checks waiting for these bytes
    upload.completed_at = utcnow()
    upload.expires_at = upload.completed_at + settings.upload_ttl


def _insert_photo(photo: IngestedPhoto, upload: Upload) -> bool:
    """Two uploads of the same bytes may finish together: the first row wins, quietly.

    Returns whether this upload wrote the row."""
    values = {
        "sha256": photo.sha256,
        "mime_type": photo.mime_type,
        "size_bytes": photo.size_bytes,
        "width": photo.width,
        "height": photo.height,
        "taken_at": photo.provenance.taken_at,
        "gps_lat": photo.provenance.gps_lat,
        "gps_lon": photo.provenance.gps_lon,
        "camera": photo.provenance.camera,
        "phash": photo.phash,
        "uploaded_by_id": upload.user_id,
        "device_id": upload.device_id,
        "created_at": utcnow(),
    }
    dialect = db.session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    result = db.session.execute(insert(Photo).values(**values).on_conflict_do_nothing())
    if result.rowcount and photo.phash:
        rows = [
            {"band": b, "value": v, "sha256": photo.sha256} for b, v in bands(int(photo.phash, 16))
        ]
        db.session.execute(insert(PhotoHashBand).values(rows).on_conflict_do_nothing())
    return bool(result.rowcount)


def discard_upload(upload_id: str, settings: PhotoSettings) -> None:
    """Forget an upload and its partial bytes (termination, refusal, expiry)."""
    settings.partials.remove(upload_id)
    upload = db.session.get(Upload, upload_id)
    if upload is not None:
        db.session.delete(upload)
        db.session.flush()
