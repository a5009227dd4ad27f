"""Real JPEGs for the evidence checks: distinct scenes, EXIF time and GPS written by Pillow."""

from __future__ import annotations

import hashlib
import io
import random
from datetime import datetime

from PIL import Image, ImageDraw, ImageFilter

# The concern: a road near Phitsanulok city hall, reported 08:00 on 14 March 2026 (+07:00).
CONCERN_LAT, CONCERN_LON = 16.8210, 100.2600
REPORTED_AT = "2026-03-14T08:00:00+07:00"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def scene(seed: int, size: tuple[int, int] = (960, 720)) -> Image.Image:
    """A photo-like picture whose large shapes (what pHash sees) differ with the seed."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        w = rng.randrange(size[0] // 12, size[0] // 2)
        h = rng.randrange(size[1] // 9, size[1] // 2)
        colour = tuple(rng.randrange(256) for _ in range(3))
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x, y, x + w, y + h), fill=colour)
    noise = Image.effect_noise(size, 20).convert("RGB")
    return Image.blend(image.filter(ImageFilter.GaussianBlur(2)), noise, 0.08)


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return float(degrees), float(minutes), round((value - degrees - minutes / 60) * 3600, 4)


def exif_for(taken: datetime | None = None, gps: tuple[float, float] | None = None) -> Image.Exif:
    """EXIF as a phone writes it: local time with its offset, GPS in degrees/minutes/seconds."""
    data = Image.Exif()
    data[0x010F], data[0x0110] = "Samsung", "Galaxy A15"
    if taken is not None:
        sub = data.get_ifd(0x8769)
        sub[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
        sub[36881] = "+07:00"
    if gps is not None:
        lat, lon = gps
        data.get_ifd(0x8825).update(
            {1: "N" if lat >= 0 else "S", 2: _dms(lat), 3: "E" if lon >= 0 else "W", 4: _dms(lon)}
        )
    return data


def photo(
    seed: int,
    taken: datetime | None = datetime(2026, 3, 14, 9, 30),
    gps: tuple[float, float] | None = (CONCERN_LAT + 0.0003, CONCERN_LON),
    size: tuple[int, int] = (960, 720),
) -> bytes:
    """A camera JPEG of scene `seed`, taken at `taken` (+07:00) at `gps` (None: not written)."""
    buffer = io.BytesIO()
    scene(seed, size).save(buffer, "JPEG", quality=88, exif=exif_for(taken, gps))
    return buffer.getvalue()


def resized_copy(data: bytes, scale: float = 0.6, quality: int = 70, **exif) -> bytes:
    """The same picture resized and re-encoded (a new, plausible EXIF if given): other bytes,
    another SHA-256, the same scene."""
    with Image.open(io.BytesIO(data)) as im:
        smaller = im.resize((int(im.width * scale), int(im.height * scale)), Image.LANCZOS)
    buffer = io.BytesIO()
    extra = {"exif": exif_for(**exif)} if exif else {}
    smaller.save(buffer, "JPEG", quality=quality, **extra)
    return buffer.getvalue()
