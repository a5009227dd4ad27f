"""Test images made with Pillow: real photos, lies, damage and bombs."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib

from PIL import Image, ImageDraw, ImageFilter

import fieldapp.photos.processing  # noqa: F401 - registers the HEIF opener for saving HEIC

TAKEN = "2026:03:14 09:30:00"
# Phitsanulok city hall, near enough: 16°49'15.6"N 100°15'36"E
GPS = {"lat": (16.0, 49.0, 15.6), "lon": (100.0, 15.0, 36.0)}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def picture(size: tuple[int, int] = (800, 600)) -> Image.Image:
    """A photo-like RGB image: left half red, right half blue, with texture."""
    image = Image.new("RGB", size, (200, 30, 30))
    draw = ImageDraw.Draw(image)
    draw.rectangle((size[0] // 2, 0, size[0], size[1]), fill=(30, 30, 200))
    noise = Image.effect_noise(size, 25).filter(ImageFilter.GaussianBlur(1)).convert("RGB")
    return Image.blend(image, noise, 0.15)


def exif(orientation: int | None = None, gps: bool = False, camera: bool = False) -> Image.Exif:
    data = Image.Exif()
    if orientation:
        data[0x0112] = orientation
    if camera:
        data[0x010F] = "Apple"
        data[0x0110] = "iPhone 13"
    sub = data.get_ifd(0x8769)
    sub[36867] = TAKEN
    sub[36881] = "+07:00"
    if gps:
        gps_ifd = data.get_ifd(0x8825)
        gps_ifd.update({1: "N", 2: GPS["lat"], 3: "E", 4: GPS["lon"]})
    return data


def jpeg(size=(800, 600), orientation=None, gps=False, camera=False, quality=90) -> bytes:
    buffer = io.BytesIO()
    picture(size).save(
        buffer, "JPEG", quality=quality, exif=exif(orientation, gps, camera), comment=b"secret"
    )
    return buffer.getvalue()


def encoded(fmt: str, size=(640, 480), mode: str = "RGB", **params) -> bytes:
    image = picture(size)
    if mode != "RGB":
        image = image.convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A valid PNG header claiming 2.5 gigapixels, without ever allocating them."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    row = b"\x00" + b"\x00" * (width * 3)
    idat = zlib.compress(row, 9)  # one row is enough: decoding must never start
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def zip_file() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("report.txt", "not a photo")
    return buffer.getvalue()


HTML = b"<!doctype html><html><script>alert(1)</script><img src=x></html>"
