"""The tus 1.0.0 header grammar: Upload-Metadata pairs and Upload-Checksum values."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from typing import Any

from fieldapp.errors import ApiProblem

TUS_VERSION = "1.0.0"
CHECKSUM_ALGORITHMS: dict[str, Callable[[], Any]] = {
    "sha1": hashlib.sha1,
    "sha256": hashlib.sha256,
}
METADATA_KEY_RE = re.compile(r"^[^\s,]+$")


def parse_metadata(header: str) -> dict[str, str]:
    """Decode tus Upload-Metadata: comma-separated `key base64value` pairs."""
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in header.split(","))):
        key, _, encoded = item.partition(" ")
        if not METADATA_KEY_RE.match(key) or key in pairs or " " in encoded.strip():
            raise bad_metadata(f"malformed pair {item[:40]!r}")
        try:
            pairs[key] = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            raise bad_metadata(f"the value of {key!r} is not base64 of UTF-8 text") from None
    return pairs


def encode_metadata(pairs: dict[str, str]) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in pairs.items())


def bad_metadata(why: str) -> ApiProblem:
    return ApiProblem(
        400,
        "Bad Upload-Metadata",
        f"Upload-Metadata must carry filename, filetype and sha256 (hex); {why}.",
        code="upload.bad_metadata",
        detail_th="Upload-Metadata ต้องมี filename, filetype และ sha256 ที่ถูกต้อง",
    )


def parse_checksum(header: str) -> tuple[str, bytes] | None:
    """Upload-Checksum: `<algorithm> <base64 digest>`, sha1 or sha256."""
    if not header:
        return None
    algorithm, _, encoded = header.strip().partition(" ")
    if algorithm.lower() not in CHECKSUM_ALGORITHMS:
        raise ApiProblem(
            400,
            "Unsupported checksum algorithm",
            f"Use one of: {', '.join(CHECKSUM_ALGORITHMS)}.",
            code="upload.checksum_algorithm",
        )
    try:
        return algorithm.lower(), base64.b64decode(encoded.strip(), validate=True)
    except ValueError:
        raise ApiProblem(
            400, "Bad Upload-Checksum", "The digest is not base64.", code="upload.bad_checksum"
        ) from None
