"""Perceptual hashes: a resized or re-encoded copy of a photo hashes within a few bits of it.

Pure: an image in, 16 hex digits out (imagehash's pHash, 64 bits). docs/evidence.md."""

from __future__ import annotations

import imagehash
from PIL import Image


def perceptual_hash(im: Image.Image) -> str:
    """The 64-bit pHash of an image, as 16 lower-case hex digits."""
    return str(imagehash.phash(im))


def hamming(a: int, b: int) -> int:
    """How many of the 64 bits differ."""
    return (a ^ b).bit_count()


BANDS = 8  # bytes of the 64-bit hash, each indexed (fieldapp/models/photo.py: PhotoHashBand)


def bands(phash: int) -> list[tuple[int, int]]:
    """(band, byte value) of each of the hash's 8 bytes: any hash at most BANDS - 1 bits away
    has at least one of them in common."""
    return [(band, (phash >> (8 * band)) & 0xFF) for band in range(BANDS)]
