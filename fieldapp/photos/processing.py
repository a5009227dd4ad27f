"""Photo ingest without Flask: bytes in; validated facts, provenance and derivatives out."""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass
from datetime import tzinfo

import pillow_heif
from PIL import Image, ImageCms, UnidentifiedImageError

from fieldapp.photos.formats import ACCEPTED_TYPES, normalise_type, same_family, sniff_type
from fieldapp.photos.likeness import perceptual_hash
from fieldapp.photos.provenance import DEFAULT_EXIF_TZ, Provenance, read_provenance

log = logging.getLogger(__name__)

# iPhones send HEIC; registering the opener lets Image.open read it like any other format.
pillow_heif.register_heif_opener()

DISPLAY_PX = 1600
THUMB_PX = 320
DISPLAY_QUALITY = 82
THUMB_QUALITY = 78
# Pillow's thumbnail() default; at these ratios indistinguishable from Lanczos, and cheaper.
RESAMPLE = Image.Resampling.BICUBIC
# Same shortcut as Image.thumbnail(): a cheap integer reduce() first when shrinking a lot.
REDUCING_GAP = 2.0
# EXIF orientation -> the transpose that shows the picture upright (5-8 swap width/height).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
QUARTER_TURNS = {5, 6, 7, 8}
# Decoder failures on damaged input; Pillow and its plug-ins raise any of these.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError)
_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Limits:
    """What one photo may cost: bytes stored and pixels decoded."""

    max_bytes: int = 25 * 1024 * 1024
    max_pixels: int = 64_000_000


class PhotoRejected(Exception):
    """The bytes are not a photo the store accepts; `code` names the reason."""

    def __init__(self, code: str, status: int, title: str, detail: str, detail_th: str) -> None:
        super().__init__(detail)
        self.code, self.status, self.title = code, status, title
        self.detail, self.detail_th = detail, detail_th


def refuse(code: str, **facts: object) -> PhotoRejected:
    """Build the refusal for a reason code, with its English and Thai explanations."""
    status, title, detail, detail_th = REFUSALS[code]
    return PhotoRejected(
        f"photo.{code}", status, title, detail.format(**facts), detail_th.format(**facts)
    )


REFUSALS: dict[str, tuple[int, str, str, str]] = {
    "empty": (422, "Empty file", "The file is empty.", "ไฟล์ว่างเปล่า"),
    "too_large": (
        413,
        "Photo too large",
        "The photo is {size} bytes; the limit is {limit} bytes.",
        "รูปภาพมีขนาด {size} ไบต์ เกินขีดจำกัด {limit} ไบต์",
    ),
    "unsupported_type": (
        415,
        "Unsupported type",
        "'{declared}' is not accepted; send JPEG, PNG, WebP or HEIC.",
        "ไม่รับไฟล์ประเภท '{declared}' กรุณาส่ง JPEG, PNG, WebP หรือ HEIC",
    ),
    "not_an_image": (
        415,
        "Not an image",
        "The content is not a JPEG, PNG, WebP or HEIC image.",
        "เนื้อหาไฟล์ไม่ใช่รูปภาพ JPEG, PNG, WebP หรือ HEIC",
    ),
    "type_mismatch": (
        415,
        "Type mismatch",
        "The file was declared as {declared} but its content is {actual}.",
        "ไฟล์ระบุว่าเป็น {declared} แต่เนื้อหาเป็น {actual}",
    ),
    "too_many_pixels": (
        422,
        "Too many pixels",
        "The image has {pixels} pixels; the limit is {limit}.",
        "รูปภาพมี {pixels} พิกเซล เกินขีดจำกัด {limit} พิกเซล",
    ),
    "corrupt": (
        422,
        "Damaged image",
        "The image is truncated or damaged and cannot be decoded.",
        "ไฟล์รูปภาพไม่สมบูรณ์หรือเสียหาย ไม่สามารถเปิดได้",
    ),
    "sha256_mismatch": (
        422,
        "SHA-256 mismatch",
        "The received bytes have SHA-256 {actual}, not the declared {declared}.",
        "ค่า SHA-256 ของไฟล์ที่ได้รับ ({actual}) ไม่ตรงกับที่ระบุ ({declared})",
    ),
}


@dataclass(frozen=True)
class Derivative:
    """A metadata-free JPEG rendition."""

    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class IngestedPhoto:
    """Everything the store keeps about an accepted photo, besides its original bytes."""

    sha256: str
    mime_type: str
    size_bytes: int
    width: int
    height: int
    provenance: Provenance
    display: Derivative
    thumb: Derivative
    phash: str | None = None  # fieldapp/photos/likeness.py


def check_size(size: int, limits: Limits) -> None:
    """Refuse an empty or oversized file before any byte of it arrives."""
    if size == 0:
        raise refuse("empty")
    if size > limits.max_bytes:
        raise refuse("too_large", size=size, limit=limits.max_bytes)


def check_declared(declared_type: str, size: int, limits: Limits) -> str:
    """Refuse early what can be refused before any byte arrives; return the canonical type."""
    check_size(size, limits)
    mime = normalise_type(declared_type)
    if mime is None:
        raise refuse("unsupported_type", declared=declared_type[:60])
    return mime


def ingest(
    data: bytes,
    declared_type: str,
    *,
    expected_sha256: str | None = None,
    limits: Limits = Limits(),
    exif_tz: tzinfo = DEFAULT_EXIF_TZ,
) -> IngestedPhoto:
    """Verify the bytes are the declared, intact, bounded image and render its derivatives."""
    mime = check_declared(declared_type, len(data), limits)
    digest = hashlib.sha256(data).hexdigest()
    if expected_sha256 is not None and digest != expected_sha256:
        raise refuse("sha256_mismatch", actual=digest, declared=expected_sha256)
    actual = sniff_type(data[:64])
    if actual is None:
        raise refuse("not_an_image")
    if not same_family(mime, actual):
        raise refuse("type_mismatch", declared=mime, actual=actual)
    with open_image(data, actual, limits) as im:
        provenance = read_provenance(im.getexif(), exif_tz)
        width, height = oriented_size(im)
        display, thumb, phash = render(im, actual)
    return IngestedPhoto(
        digest, actual, len(data), width, height, provenance, display, thumb, phash
    )


def open_image(data: bytes, mime: str, limits: Limits) -> Image.Image:
    """Parse only the header, and refuse a decompression bomb before any pixel is decoded."""
    try:
        im = Image.open(io.BytesIO(data), formats=[ACCEPTED_TYPES[mime]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
        # Pillow's own guard fired first: the header claims far more than our limit.
        claimed = re.search(r"\((\d+) pixels\)", str(bomb))
        pixels = claimed.group(1) if claimed else "too many"
        raise refuse("too_many_pixels", pixels=pixels, limit=limits.max_pixels) from None
    except (UnidentifiedImageError, *DECODE_ERRORS):
        raise refuse("corrupt") from None
    pixels = im.width * im.height
    if pixels > limits.max_pixels or pixels == 0:
        im.close()
        if pixels == 0:
            raise refuse("corrupt")
        raise refuse("too_many_pixels", pixels=pixels, limit=limits.max_pixels)
    return im


def oriented_size(im: Image.Image) -> tuple[int, int]:
    """The size as the photo is meant to be seen, after its EXIF orientation."""
    turned = im.getexif().get(0x0112) in QUARTER_TURNS
    return (im.height, im.width) if turned else (im.width, im.height)


def render(im: Image.Image, mime: str) -> tuple[Derivative, Derivative, str]:
    """Decode (DCT-scaled for JPEG), orient, shrink and re-encode without metadata; the
    perceptual hash is taken of the upright thumbnail (pHash looks at 32×32 pixels anyway)."""
    icc = im.info.get("icc_profile")
    upright = UPRIGHT.get(im.getexif().get(0x0112))
    if mime == "image/jpeg":
        _draft_for(im, DISPLAY_PX)
    try:
        im.load()  # decoding every byte is also the integrity check: truncation raises here
        display = _fit(_flatten(im), DISPLAY_PX)
    except DECODE_ERRORS:
        raise refuse("corrupt") from None
    if upright is not None:
        # Turning the display-sized image moves far fewer pixels than turning the decode.
        display = display.transpose(upright)
    if icc:
        display = _to_srgb(display, icc)
    thumb = _fit(display, THUMB_PX)
    return _encode(display, DISPLAY_QUALITY), _encode(thumb, THUMB_QUALITY), perceptual_hash(thumb)


def _draft_for(im: Image.Image, long_side: int) -> None:
    """Let libjpeg decode at 1/2, 1/4 or 1/8 scale while staying at least `long_side`."""
    scale = long_side / max(im.size)
    if scale < 1:
        im.draft("RGB", (max(1, int(im.width * scale)), max(1, int(im.height * scale))))


def _flatten(im: Image.Image) -> Image.Image:
    """JPEG holds RGB or grey only: lay transparency on white, convert other modes."""
    if im.mode in ("RGB", "L"):
        return im
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return im.convert("RGB")


def _fit(im: Image.Image, long_side: int) -> Image.Image:
    if max(im.size) <= long_side:
        return im
    scale = long_side / max(im.size)
    size = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
    return im.resize(size, RESAMPLE, reducing_gap=REDUCING_GAP)


def _to_srgb(im: Image.Image, icc: bytes) -> Image.Image:
    """Bake a camera colour profile (e.g. Display P3) into sRGB, since the profile is dropped."""
    if im.mode != "RGB":
        return im
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(im, source, _SRGB, outputMode="RGB") or im
    except (ImageCms.PyCMSError, OSError, ValueError):
        log.debug("ignoring an unusable ICC profile", exc_info=True)
        return im


def _encode(im: Image.Image, quality: int) -> Derivative:
    """JPEG with no EXIF, XMP, ICC or comment: nothing of the original's metadata leaks."""
    im.info = {}
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=quality, optimize=False)
    return Derivative(buffer.getvalue(), im.width, im.height)
