"""Garbage collection: expired partial uploads, and photos no record named in time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import click
from flask.cli import with_appcontext
from sqlalchemy import delete, exists, select

from fieldapp.extensions import db
from fieldapp.models import Photo, PhotoHashBand, PhotoLink, Upload
from fieldapp.models.base import utcnow
from fieldapp.photos.settings import PhotoSettings, current_settings


@dataclass
class CleanupReport:
    uploads: int = 0
    partial_files: int = 0
    photos: int = 0
    orphan_files: int = 0


def remove_expired_uploads(settings: PhotoSettings, now: datetime, report: CleanupReport) -> None:
    """Expired upload rows go with their bytes; so do partial files no row explains."""
    expired = db.session.scalars(select(Upload.id).where(Upload.expires_at < now)).all()
    for upload_id in expired:
        settings.partials.remove(upload_id)
    if expired:
        db.session.execute(delete(Upload).where(Upload.id.in_(expired)))
    report.uploads = len(expired)
    known = set(db.session.scalars(select(Upload.id)))
    # A file younger than the expiry may belong to a row another worker has not committed yet.
    cutoff = (now - settings.upload_ttl).timestamp()
    for upload_id, mtime in list(settings.partials.listing()):
        if upload_id not in known and mtime < cutoff:
            settings.partials.remove(upload_id)
            report.partial_files += 1


def unlinked_photos(cutoff: datetime) -> list[str]:
    """Photos older than the grace period that no record (live or deleted) names."""
    named = exists().where(PhotoLink.sha256 == Photo.sha256)
    return list(db.session.scalars(select(Photo.sha256).where(Photo.created_at < cutoff, ~named)))


def remove_unlinked_photos(settings: PhotoSettings, now: datetime, report: CleanupReport) -> None:
    """Rows first, files after commit: a crash between leaves files the next run removes."""
    cutoff = now - settings.gc_grace
    doomed = unlinked_photos(cutoff)
    if doomed:
        db.session.execute(delete(Photo).where(Photo.sha256.in_(doomed)))
        db.session.execute(delete(PhotoHashBand).where(PhotoHashBand.sha256.in_(doomed)))
    db.session.commit()
    report.photos = len(doomed)
    for sha256 in doomed:
        if db.session.get(Photo, sha256) is None:  # not re-uploaded meanwhile
            settings.store.delete(sha256)
    for sha256, mtime in list(settings.store.stored_photos()):
        recent = datetime.fromtimestamp(mtime, UTC) >= cutoff
        if not recent and db.session.get(Photo, sha256) is None:
            settings.store.delete(sha256)
            report.orphan_files += 1


def collect_garbage(settings: PhotoSettings, now: datetime | None = None) -> CleanupReport:
    """Run both sweeps; commits, since it runs outside any request."""
    now = now or utcnow()
    report = CleanupReport()
    remove_expired_uploads(settings, now, report)
    db.session.commit()
    remove_unlinked_photos(settings, now, report)
    return report


@click.command("photos-gc")
@with_appcontext
def photos_gc_command() -> None:
    """Remove expired partial uploads and photos no record named within the grace period."""
    settings = current_settings()
    report = collect_garbage(settings)
    click.echo(
        f"removed {report.uploads} expired upload(s), {report.partial_files} stray partial "
        f"file(s), {report.photos} unlinked photo(s) (grace {settings.gc_grace.days} days), "
        f"{report.orphan_files} orphan stored file set(s)"
    )
