"""The content-addressed photo store: an interface and its local-filesystem backend."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, Protocol

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class Rendition(StrEnum):
    """What the store keeps per photo: the bytes the device sent and two JPEG derivatives."""

    ORIGINAL = "original"
    DISPLAY = "display"
    THUMB = "thumb"


@dataclass
class StoredObject:
    """An open stored rendition; the caller closes `stream`."""

    stream: BinaryIO
    size: int


def check_sha256(sha256: str) -> str:
    """Keys are lowercase hex digests, nothing else: no path can be smuggled in."""
    if not SHA256_RE.match(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256[:80]!r}")
    return sha256


class PhotoStore(Protocol):
    """What the app needs from a photo store; an S3-compatible backend can implement it."""

    def put_bytes(self, rendition: Rendition, sha256: str, data: bytes) -> None: ...

    def put_file(self, rendition: Rendition, sha256: str, source: Path) -> None:
        """Take ownership of a local file (it is moved or copied, then gone from `source`)."""

    def open(self, rendition: Rendition, sha256: str) -> StoredObject | None: ...

    def exists(self, rendition: Rendition, sha256: str) -> bool: ...

    def delete(self, sha256: str) -> None:
        """Remove every rendition of a photo; missing ones are fine."""

    def stored_photos(self) -> Iterator[tuple[str, float]]:
        """(sha256, modification time) of every stored photo, for garbage collection."""


def fsync_directory(path: Path) -> None:
    """A rename is durable only once the directory entry itself is on disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalPhotoStore:
    """Files under one root, sharded by hash prefix: root/<rendition>/ab/cd/<sha256>[.jpg]."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path(self, rendition: Rendition, sha256: str) -> Path:
        check_sha256(sha256)
        suffix = "" if rendition is Rendition.ORIGINAL else ".jpg"
        return self.root / rendition.value / sha256[:2] / sha256[2:4] / f"{sha256}{suffix}"

    def put_bytes(self, rendition: Rendition, sha256: str, data: bytes) -> None:
        """Write to a temporary file beside the target, fsync, then rename over it."""
        target = self.path(rendition, sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as temp:
                temp.write(data)
                temp.flush()
                os.fsync(temp.fileno())
            os.replace(temp_name, target)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        fsync_directory(target.parent)

    def put_file(self, rendition: Rendition, sha256: str, source: Path) -> None:
        """Move a file that is already fsynced and on this filesystem into place."""
        target = self.path(rendition, sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source, target)
        except OSError:  # another filesystem: copy through a temporary file instead
            self.put_bytes(rendition, sha256, Path(source).read_bytes())
            Path(source).unlink(missing_ok=True)
            return
        fsync_directory(target.parent)

    def open(self, rendition: Rendition, sha256: str) -> StoredObject | None:
        try:
            stream = self.path(rendition, sha256).open("rb")
        except FileNotFoundError:
            return None
        return StoredObject(stream, os.fstat(stream.fileno()).st_size)

    def exists(self, rendition: Rendition, sha256: str) -> bool:
        return self.path(rendition, sha256).is_file()

    def delete(self, sha256: str) -> None:
        for rendition in Rendition:
            self.path(rendition, sha256).unlink(missing_ok=True)

    def stored_photos(self) -> Iterator[tuple[str, float]]:
        """Every digest with any rendition on disk (a crash may leave derivatives alone)."""
        seen: set[str] = set()
        for rendition in Rendition:
            for path in (self.root / rendition.value).glob("??/??/*"):
                sha256 = path.name.removesuffix(".jpg")
                if SHA256_RE.match(sha256) and sha256 not in seen:
                    seen.add(sha256)
                    yield sha256, path.stat().st_mtime
