"""Photo settings from the app config (fieldapp/config.py), resolved once at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, tzinfo

from flask import Flask, current_app

from fieldapp.photos.partials import PartialFiles
from fieldapp.photos.processing import Limits
from fieldapp.photos.storage import LocalPhotoStore, PhotoStore
from fieldapp.utc import parse_offset


@dataclass(frozen=True)
class PhotoSettings:
    """Everything the upload and serving code needs, resolved once."""

    store: PhotoStore
    partials: PartialFiles
    limits: Limits
    chunk_max_bytes: int
    upload_ttl: timedelta
    gc_grace: timedelta
    exif_tz: tzinfo


def parse_utc_offset(text: str) -> tzinfo:
    """'+07:00' -> a fixed zone: EXIF times without a zone are local to the province."""
    return parse_offset(text)


def settings_from_config(config: dict) -> PhotoSettings:
    return PhotoSettings(
        store=LocalPhotoStore(config["PHOTO_DIR"]),
        partials=PartialFiles(config["PHOTO_DIR"]),
        limits=Limits(
            max_bytes=int(config["MAX_PHOTO_BYTES"]), max_pixels=int(config["MAX_PHOTO_PIXELS"])
        ),
        chunk_max_bytes=int(config["UPLOAD_CHUNK_MAX_BYTES"]),
        upload_ttl=timedelta(hours=float(config["UPLOAD_EXPIRY_HOURS"])),
        gc_grace=timedelta(days=float(config["PHOTO_GC_GRACE_DAYS"])),
        exif_tz=parse_utc_offset(str(config["PHOTO_EXIF_UTC_OFFSET"])),
    )


def init_app(app: Flask) -> None:
    """Resolve the photo settings from the app config, once."""
    app.extensions["photos"] = settings_from_config(app.config)


def current_settings() -> PhotoSettings:
    return current_app.extensions["photos"]
