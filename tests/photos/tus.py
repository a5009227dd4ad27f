"""A tiny tus client over Flask's test client, for protocol-level tests."""

from __future__ import annotations

import base64
import hashlib

from photos.images import sha256

OFFSET_STREAM = "application/offset+octet-stream"


def metadata(data: bytes, filetype: str = "image/jpeg", filename: str = "photo.jpg", **extra):
    pairs = {"filename": filename, "filetype": filetype, "sha256": sha256(data), **extra}
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in pairs.items())


def create(client, auth, data: bytes, filetype: str = "image/jpeg", length=None, **extra):
    headers = {
        **auth,
        "Tus-Resumable": "1.0.0",
        "Upload-Length": str(len(data) if length is None else length),
        "Upload-Metadata": metadata(data, filetype, **extra),
    }
    return client.post("/api/uploads/", headers=headers)


def patch(client, auth, location: str, offset: int, body: bytes, checksum: str | None = None):
    headers = {
        **auth,
        "Tus-Resumable": "1.0.0",
        "Upload-Offset": str(offset),
        "Content-Type": OFFSET_STREAM,
    }
    if checksum:
        digest = hashlib.new(checksum, body).digest()
        headers["Upload-Checksum"] = f"{checksum} {base64.b64encode(digest).decode()}"
    return client.patch(location, headers=headers, data=body)


def head(client, auth, location: str):
    return client.head(location, headers={**auth, "Tus-Resumable": "1.0.0"})


def upload(client, auth, data: bytes, filetype: str = "image/jpeg", chunk: int = 64 * 1024):
    """Create and send every chunk; returns the last response (the refusal, if any)."""
    created = create(client, auth, data, filetype)
    if created.status_code != 201:
        return created
    location, offset = created.headers["Location"], int(created.headers["Upload-Offset"])
    response = created
    while offset < len(data):
        response = patch(client, auth, location, offset, data[offset : offset + chunk], "sha256")
        if response.status_code != 204:
            return response
        offset = int(response.headers["Upload-Offset"])
    return response
