"""When the photo store cannot write: a full disk (507) or a read-only or failing one (503).

Either way nothing half-written stays behind (partial files go back to their acknowledged
offset, renditions this request wrote are removed) and the device retries later.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from fieldapp.errors import RETRY_AFTER_SECONDS, ApiProblem
from fieldapp.photos.storage import PhotoStore, Rendition

log = logging.getLogger(__name__)
FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def storage_problem(exc: OSError) -> ApiProblem:
    """The problem+json a device gets; the path and the OS message stay in the log."""
    log.error("photo store cannot write: %s", exc)
    if exc.errno in FULL:
        return ApiProblem(
            507,
            "Insufficient Storage",
            "The server's photo store is full; nothing of this request was kept. Retry later.",
            code="storage.full",
            detail_th="พื้นที่เก็บรูปภาพของเซิร์ฟเวอร์เต็ม กรุณาลองใหม่ภายหลัง",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return ApiProblem(
        503,
        "Service Unavailable",
        "The server cannot write photos right now; nothing of this request was kept. Retry.",
        code="storage.unavailable",
        detail_th="เซิร์ฟเวอร์บันทึกรูปภาพไม่ได้ในขณะนี้ กรุณาลองใหม่ภายหลัง",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


@contextmanager
def renditions_undone_on_failure(store: PhotoStore, sha256: str) -> Iterator[None]:
    """Remove the renditions written inside the block if it fails (not ones there before)."""
    before = {r for r in Rendition if store.exists(r, sha256)}
    try:
        yield
    except OSError:
        if not before:
            try:
                store.delete(sha256)
            except OSError:
                log.exception("could not remove the renditions of %s", sha256)
        raise
