"""Which image types the store accepts, and what a file's first bytes say it is."""

from __future__ import annotations

# Media type -> the Pillow format name that must decode it.
ACCEPTED_TYPES: dict[str, str] = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WEBP",
    "image/heic": "HEIF",
    "image/heif": "HEIF",
}

# Spellings browsers and phones use for the same types.
TYPE_ALIASES: dict[str, str] = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/x-png": "image/png",
    "image/heic-sequence": "image/heic",
    "image/heif-sequence": "image/heif",
}

# ISO-BMFF brands of still HEIF/HEIC images (iPhones write "heic", some Androids "mif1").
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"heif"}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def normalise_type(declared: str) -> str | None:
    """The canonical accepted media type for what a client declared, or None if refused."""
    media_type = declared.split(";", 1)[0].strip().lower()
    media_type = TYPE_ALIASES.get(media_type, media_type)
    return media_type if media_type in ACCEPTED_TYPES else None


def sniff_type(head: bytes) -> str | None:
    """The media type the leading bytes prove, or None when they are no accepted image."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(PNG_SIGNATURE):
        return "image/png"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if len(head) >= 12 and head[4:8] == b"ftyp" and _has_heif_brand(head):
        return "image/heic"
    return None


def _has_heif_brand(head: bytes) -> bool:
    """Read the ftyp box: its major brand and compatible brands name the family."""
    box_size = int.from_bytes(head[:4], "big")
    end = min(box_size if box_size >= 16 else 16, len(head))
    brands = [head[8:12]] + [head[i : i + 4] for i in range(16, end - 3, 4)]
    return any(brand in HEIF_BRANDS for brand in brands)


def same_family(declared: str, sniffed: str) -> bool:
    """HEIC and HEIF name one container; every other type must match exactly."""
    heif = {"image/heic", "image/heif"}
    return declared == sniffed or (declared in heif and sniffed in heif)
