"""The bytes of unfinished uploads, one file each under PHOTO_DIR/uploads/."""

from __future__ import annotations

import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

UPLOAD_ID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class PartialBusy(Exception):
    """Another request is writing to this upload right now."""


class PartialMissing(Exception):
    """The partial file is gone or shorter than the bytes the database says arrived."""


class PartialFiles:
    """Partial upload files; the database row, not the file length, says how much arrived."""

    def __init__(self, photo_dir: str | os.PathLike[str]) -> None:
        self.root = Path(photo_dir) / "uploads"

    def path(self, upload_id: str) -> Path:
        if not UPLOAD_ID_RE.match(upload_id):
            raise ValueError(f"not an upload id: {upload_id[:80]!r}")
        return self.root / f"{upload_id}.part"

    def create(self, upload_id: str) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.path(upload_id).touch(exist_ok=False)

    @contextmanager
    def writing_at(self, upload_id: str, offset: int) -> Iterator[BinaryIO]:
        """Lock the file, drop any unacknowledged tail past `offset`, and position there.

        The lock (flock) spans gunicorn workers on this host, so two retries of one PATCH
        never interleave their bytes.
        """
        try:
            handle = self.path(upload_id).open("r+b")
        except FileNotFoundError:
            raise PartialMissing(upload_id) from None
        with handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise PartialBusy(upload_id) from None
            if os.fstat(handle.fileno()).st_size < offset:
                raise PartialMissing(upload_id)
            handle.truncate(offset)
            handle.seek(offset)
            try:
                yield handle
            except OSError:  # a full disk mid-chunk: keep only what was acknowledged
                # (A read-only disk wrote nothing, and cannot truncate either.) The buffer is
                # dropped with the raw file: flushing it on close would write past `offset`.
                with suppress(OSError):
                    os.ftruncate(handle.fileno(), offset)
                with suppress(OSError):
                    handle.raw.close()
                raise

    def rewind(self, upload_id: str, offset: int) -> None:
        """Drop bytes past the acknowledged offset (a write that failed half-way)."""
        with suppress(OSError), self.path(upload_id).open("r+b") as handle:
            handle.truncate(offset)

    def read(self, upload_id: str) -> bytes:
        try:
            return self.path(upload_id).read_bytes()
        except FileNotFoundError:
            raise PartialMissing(upload_id) from None

    def remove(self, upload_id: str) -> None:
        self.path(upload_id).unlink(missing_ok=True)

    def listing(self) -> Iterator[tuple[str, float]]:
        """(upload id, modification time) of every partial file, for garbage collection."""
        if not self.root.is_dir():
            return
        for path in self.root.glob("*.part"):
            if UPLOAD_ID_RE.match(path.stem):
                yield path.stem, path.stat().st_mtime


def make_durable(handle: BinaryIO) -> None:
    """The offset is acknowledged only after the bytes behind it reached the disk."""
    handle.flush()
    os.fsync(handle.fileno())
