"""Photo settings from the environment, bound to the app once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta, tzinfo

from flask import Flask, current_app

from fieldapp.photos.partials import PartialFiles
from fieldapp.photos.processing import Limits
from fieldapp.photos.storage import LocalPhotoStore, PhotoStore
from fieldapp.utc import parse_offset

MIB = 1024 * 1024

# Config key -> (environment variable, default). Documented in docs/photo-uploads.md.
DEFAULTS: dict[str, tuple[str, str]] = {
    "MAX_PHOTO_BYTES": ("MAX_PHOTO_BYTES", str(25 * MIB)),
    "MAX_PHOTO_PIXELS": ("MAX_PHOTO_PIXELS", "64000000"),
    "UPLOAD_CHUNK_MAX_BYTES": ("UPLOAD_CHUNK_MAX_BYTES", str(8 * MIB)),
    "UPLOAD_EXPIRY_HOURS": ("UPLOAD_EXPIRY_HOURS", "24"),
    "PHOTO_GC_GRACE_DAYS": ("PHOTO_GC_GRACE_DAYS", "7"),
    "PHOTO_EXIF_UTC_OFFSET": ("PHOTO_EXIF_UTC_OFFSET", "+07:00"),
}


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
    """Fill photo config from the environment (test config wins)."""
    for key, (variable, default) in DEFAULTS.items():
        app.config.setdefault(key, os.environ.get(variable, default))
    app.extensions["photos"] = settings_from_config(app.config)


def current_settings() -> PhotoSettings:
    return current_app.extensions["photos"]
