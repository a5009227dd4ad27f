"""Where and when a photo was taken: read from its EXIF, and decided from all that is known."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from PIL import ExifTags, Image

from fieldapp.utc import as_utc, parse_offset
from sync import Capture

log = logging.getLogger(__name__)

# Thailand keeps one offset all year; phones write local time without a zone.
DEFAULT_EXIF_TZ = timezone(timedelta(hours=7))

_DATE_TAGS = (ExifTags.Base.DateTimeOriginal, ExifTags.Base.DateTimeDigitized)
_OFFSET_TAGS = {
    ExifTags.Base.DateTimeOriginal: ExifTags.Base.OffsetTimeOriginal,
    ExifTags.Base.DateTimeDigitized: ExifTags.Base.OffsetTimeDigitized,
}


@dataclass(frozen=True)
class Provenance:
    """The EXIF facts kept on a photo: time taken, GPS position, camera."""

    taken_at: datetime | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    camera: str | None = None


def read_provenance(exif: Image.Exif, default_tz: tzinfo = DEFAULT_EXIF_TZ) -> Provenance:
    """Extract provenance; a malformed EXIF block yields what could be read, never an error."""
    try:
        exif_ifd = exif.get_ifd(ExifTags.IFD.Exif)
        gps_ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # EXIF comes from the device: any damage just means "no provenance"
        log.debug("unreadable EXIF sub-IFDs", exc_info=True)
        exif_ifd, gps_ifd = {}, {}
    lat, lon = _gps_position(gps_ifd)
    return Provenance(
        taken_at=_taken_at(exif_ifd, default_tz),
        gps_lat=lat,
        gps_lon=lon,
        camera=_camera(exif),
    )


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value).replace("\x00", "").strip() if value is not None else ""


def _taken_at(exif_ifd: dict, default_tz: tzinfo) -> datetime | None:
    for tag in _DATE_TAGS:
        raw = _text(exif_ifd.get(tag))
        try:
            moment = datetime.strptime(raw[:19], "%Y:%m:%d %H:%M:%S")
        except ValueError:
            continue  # absent, or the all-zero "unknown" date cameras write
        # in UTC: the store keeps times in UTC (SQLite drops the offset; fieldapp/utc.py)
        offset = _offset(_text(exif_ifd.get(_OFFSET_TAGS[tag])), default_tz)
        return as_utc(moment.replace(tzinfo=offset))
    return None


def _offset(raw: str, default_tz: tzinfo) -> tzinfo:
    """EXIF 2.31 offsets look like '+07:00'; without one the device's local zone is assumed."""
    try:
        return parse_offset(raw)
    except ValueError:
        return default_tz


def _degrees(value: Any) -> float | None:
    try:
        d, m, s = (float(part) for part in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = d + m / 60 + s / 3600
    return result if math.isfinite(result) else None


def _gps_position(gps: dict) -> tuple[float | None, float | None]:
    lat = _degrees(gps.get(ExifTags.GPS.GPSLatitude))
    lon = _degrees(gps.get(ExifTags.GPS.GPSLongitude))
    if lat is None or lon is None:
        return None, None
    if _text(gps.get(ExifTags.GPS.GPSLatitudeRef)).upper() == "S":
        lat = -lat
    if _text(gps.get(ExifTags.GPS.GPSLongitudeRef)).upper() == "W":
        lon = -lon
    # Phones without a fix write 0/0; that is "unknown", not the Gulf of Guinea.
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None, None
    return round(lat, 7), round(lon, 7)


def _camera(exif: Image.Exif) -> str | None:
    make = _text(exif.get(ExifTags.Base.Make))
    model = _text(exif.get(ExifTags.Base.Model))
    # Many models already start with the maker ("Canon EOS R6"): do not repeat it.
    name = model if make and model.lower().startswith(make.lower()) else f"{make} {model}"
    return name.strip()[:200] or None


# -- the one place that decides a photo's time and position ---------------------------------

# The photo-link columns holding what the phone sent (fieldapp/models/photo.py: PhotoLink).
CAPTURE_COLUMNS = (
    "exif_taken_at",
    "exif_lat",
    "exif_lon",
    "camera_make",
    "camera_model",
    "attached_at",
    "device_lat",
    "device_lon",
    "device_accuracy_m",
)
# The phone's position stands in for missing EXIF GPS only for a photo taken moments before
# it was attached (a camera shot, not an old gallery picture) with a usable fix.
FRESH_SHOT = timedelta(minutes=15)
USABLE_ACCURACY_M = 100.0


def capture_values(capture: Capture | None) -> dict[str, Any]:
    """A reference's capture provenance as photo-link column values (None when not sent)."""
    return {name: getattr(capture, name, None) for name in CAPTURE_COLUMNS}


@dataclass(frozen=True)
class CaptureFacts:
    """A photo's decided time and position, each with where it came from ("exif",
    "device") or None when unknown."""

    taken_at: datetime | None
    time_source: str | None
    lat: float | None
    lon: float | None
    position_source: str | None


def decide_capture(sent: Capture | None, stored: Provenance | None) -> CaptureFacts:
    """When and where a photo was taken: the EXIF of the bytes the server holds first, then
    the original's EXIF the phone read before resizing, then (position only) the phone's own
    fix when the photo was attached moments after it was taken (docs/evidence.md)."""
    sent = sent or Capture()
    stored = stored or Provenance()
    taken_at = stored.taken_at or sent.exif_taken_at
    time_source = "exif" if taken_at else None
    lat, lon, position_source = None, None, None
    if stored.gps_lat is not None and stored.gps_lon is not None:
        lat, lon, position_source = stored.gps_lat, stored.gps_lon, "exif"
    elif sent.exif_lat is not None and sent.exif_lon is not None:
        lat, lon, position_source = sent.exif_lat, sent.exif_lon, "exif"
    elif _fresh_fix(taken_at, sent):
        lat, lon, position_source = sent.device_lat, sent.device_lon, "device"
    return CaptureFacts(taken_at, time_source, lat, lon, position_source)


def _fresh_fix(taken_at: datetime | None, sent: Capture) -> bool:
    if taken_at is None or sent.attached_at is None or sent.device_lat is None:
        return False
    if sent.device_lon is None or sent.device_accuracy_m is None:
        return False
    age = sent.attached_at - taken_at
    return timedelta(0) <= age <= FRESH_SHOT and sent.device_accuracy_m <= USABLE_ACCURACY_M
