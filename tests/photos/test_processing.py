"""Ingest: what is refused, what derivatives look like, what provenance is kept."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image

from fieldapp.photos.processing import (
    DISPLAY_PX,
    THUMB_PX,
    Limits,
    PhotoRejected,
    ingest,
)
from photos.images import HTML, encoded, jpeg, png_bomb, sha256, zip_file


def refusal(data: bytes, declared: str = "image/jpeg", **kwargs) -> PhotoRejected:
    with pytest.raises(PhotoRejected) as caught:
        ingest(data, declared, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("data", "declared", "code", "status"),
    [
        (zip_file(), "image/jpeg", "photo.not_an_image", 415),
        (HTML, "image/jpeg", "photo.not_an_image", 415),
        (b"", "image/jpeg", "photo.empty", 422),
        (png_bomb(), "image/png", "photo.too_many_pixels", 422),
        (jpeg()[:4000], "image/jpeg", "photo.corrupt", 422),
        (encoded("PNG"), "image/jpeg", "photo.type_mismatch", 415),
        (jpeg(), "application/zip", "photo.unsupported_type", 415),
        (jpeg(), "image/gif", "photo.unsupported_type", 415),
    ],
    ids=["zip", "html", "empty", "png-bomb", "truncated", "png-as-jpeg", "zip-type", "gif-type"],
)
def test_refusals_name_the_reason_in_english_and_thai(data, declared, code, status):
    rejected = refusal(data, declared)
    assert (rejected.code, rejected.status) == (code, status)
    assert rejected.detail and rejected.detail_th
    assert rejected.detail != rejected.detail_th


def test_truncated_near_the_end_is_still_refused():
    data = jpeg((1200, 900))
    assert refusal(data[: len(data) - 200]).code == "photo.corrupt"


def test_limits_on_bytes_and_pixels_are_configurable():
    data = jpeg((800, 600))
    assert refusal(data, limits=Limits(max_bytes=len(data) - 1)).code == "photo.too_large"
    assert refusal(data, limits=Limits(max_pixels=800 * 600 - 1)).code == "photo.too_many_pixels"
    assert ingest(data, "image/jpeg", limits=Limits(max_pixels=800 * 600)).width == 800


def test_bomb_refused_before_decoding(monkeypatch):
    """A 50,000 x 50,000 PNG is refused from its header: no decoder ever starts."""
    from PIL import ImageFile

    def no_decoding(self):
        raise AssertionError("decoding started")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    assert refusal(png_bomb(), "image/png").code == "photo.too_many_pixels"
    # Below Pillow's own guard, our (lower) limit refuses from the header too.
    assert refusal(png_bomb(9000, 9000), "image/png").code == "photo.too_many_pixels"


def test_sha256_must_match_the_bytes():
    data = jpeg()
    assert ingest(data, "image/jpeg", expected_sha256=sha256(data)).sha256 == sha256(data)
    assert refusal(data, expected_sha256="0" * 64).code == "photo.sha256_mismatch"


def open_jpeg(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    return image


def test_derivatives_carry_no_metadata():
    photo = ingest(jpeg(orientation=6, gps=True, camera=True), "image/jpeg")
    for derivative in (photo.display, photo.thumb):
        image = open_jpeg(derivative.data)
        assert not image.getexif()
        assert not {"exif", "xmp", "icc_profile", "comment"} & set(image.info)
        assert b"Exif" not in derivative.data and b"secret" not in derivative.data


def test_orientation_is_applied():
    """Stored landscape, red on the left; orientation 6 shows it portrait, red on top."""
    photo = ingest(jpeg((800, 400), orientation=6), "image/jpeg")
    assert (photo.width, photo.height) == (400, 800)
    for derivative in (photo.display, photo.thumb):
        image = open_jpeg(derivative.data).convert("RGB")
        assert image.height > image.width
        top = image.getpixel((image.width // 2, image.height // 8))
        bottom = image.getpixel((image.width // 2, image.height * 7 // 8))
        assert top[0] > top[2] and bottom[2] > bottom[0]


def test_sizes_of_the_derivatives():
    photo = ingest(jpeg((4000, 3000), quality=80), "image/jpeg")
    assert (photo.display.width, photo.display.height) == (DISPLAY_PX, 1200)
    assert (photo.thumb.width, photo.thumb.height) == (THUMB_PX, 240)
    small = ingest(jpeg((300, 200)), "image/jpeg")
    assert (small.display.width, small.thumb.width) == (300, 300)


def test_provenance_from_exif():
    provenance = ingest(jpeg(gps=True, camera=True), "image/jpeg").provenance
    assert provenance.taken_at == datetime(2026, 3, 14, 2, 30, tzinfo=UTC)
    assert provenance.gps_lat == pytest.approx(16.821, abs=1e-4)
    assert provenance.gps_lon == pytest.approx(100.26, abs=1e-4)
    assert provenance.camera == "Apple iPhone 13"


def test_no_exif_means_no_provenance():
    provenance = ingest(encoded("PNG"), "image/png").provenance
    assert provenance.taken_at is provenance.gps_lat is provenance.camera is None


@pytest.mark.parametrize(
    ("fmt", "declared", "mode"),
    [
        ("PNG", "image/png", "RGBA"),
        ("PNG", "image/png", "P"),
        ("PNG", "image/png", "L"),
        ("WEBP", "image/webp", "RGB"),
        ("HEIF", "image/heic", "RGB"),
        ("HEIF", "image/heif", "RGB"),
        ("JPEG", "image/jpg", "CMYK"),
    ],
)
def test_accepted_formats_become_jpeg_derivatives(fmt, declared, mode):
    photo = ingest(encoded(fmt, mode=mode), declared)
    assert (photo.width, photo.height) == (640, 480)
    assert open_jpeg(photo.display.data).mode in {"RGB", "L"}
    assert open_jpeg(photo.thumb.data).size == (320, 240)
