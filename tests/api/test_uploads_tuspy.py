"""The real Python tus client against a real HTTP server: chunks, a cut, a resume, a repeat."""

from __future__ import annotations

import base64
import hashlib
import io
import socket
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from photos.images import jpeg, sha256
from sqlalchemy import func, select
from tusclient.client import TusClient
from werkzeug.serving import make_server

from fieldapp.extensions import db
from fieldapp.models import Photo, Upload

CHUNK = 32 * 1024


@pytest.fixture
def live_server(app):
    """The app on 127.0.0.1:<free port>; each request pushes its own app context."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def tus(live_server, make_user, login):
    auth = login(make_user("field-official"))
    return TusClient(
        f"{live_server}/api/uploads/", headers={"Authorization": auth["Authorization"]}
    )


def metadata(data: bytes) -> dict[str, str]:
    return {"filename": "ศาลา.jpg", "filetype": "image/jpeg", "sha256": sha256(data)}


def cut_patch(url: str, token: str, offset: int, body: bytes, sent: int, checksum=False):
    """Send a PATCH whose body stops after `sent` bytes, as a dropped 3G link would.

    Returns the status and Upload-Offset the server answered once it noticed the cut.
    """
    parts = urlsplit(url)
    extra = ""
    if checksum:
        extra = (
            f"Upload-Checksum: sha1 {base64.b64encode(hashlib.sha1(body).digest()).decode()}\r\n"
        )
    head = (
        f"PATCH {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Authorization: {token}\r\nTus-Resumable: 1.0.0\r\n{extra}"
        f"Content-Type: application/offset+octet-stream\r\n"
        f"Upload-Offset: {offset}\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    with socket.create_connection((parts.hostname, parts.port)) as sock:
        sock.sendall(head.encode() + body[:sent])
        sock.shutdown(socket.SHUT_WR)  # the body ends early; then wait for the server's answer
        answer = b""
        while piece := sock.recv(65536):
            answer += piece
    headers = dict(
        line.decode().lower().split(": ", 1) for line in answer.split(b"\r\n")[1:] if b": " in line
    )
    return int(answer.split(b" ", 2)[1]), int(headers["upload-offset"])


def stored_files(app) -> list[Path]:
    return sorted(p for p in Path(app.config["PHOTO_DIR"]).rglob("*") if p.is_file())


def test_upload_resumes_after_a_cut_and_a_repeat_creates_nothing(app, tus):
    data = jpeg((1600, 1200), orientation=6, gps=True, camera=True)
    first = tus.uploader(
        file_stream=io.BytesIO(data),
        chunk_size=CHUNK,
        metadata=metadata(data),
        upload_checksum=True,
    )
    first.upload(stop_at=2 * CHUNK)  # two chunks arrive, then the phone loses signal
    assert first.offset == 2 * CHUNK

    # The next chunk is cut off halfway; the server keeps what arrived.
    status, stored = cut_patch(
        first.url, tus.headers["Authorization"], 2 * CHUNK, data[2 * CHUNK : 3 * CHUNK], 10_000
    )
    assert (status, stored) == (204, 2 * CHUNK + 10_000)

    # A new client (the app restarted) resumes from the server's offset, found with HEAD.
    resumed = tus.uploader(
        file_stream=io.BytesIO(data), url=first.url, chunk_size=CHUNK, upload_checksum=True
    )
    assert resumed.offset == 2 * CHUNK + 10_000
    resumed.upload()
    assert resumed.offset == len(data)
    photo = db.session.get(Photo, sha256(data))
    assert photo is not None and photo.size_bytes == len(data)
    assert (photo.width, photo.height) == (1200, 1600)
    files = stored_files(app)
    assert len(files) == 3

    # The same bytes again: creation completes at once; nothing new is stored.
    repeat = tus.uploader(
        file_stream=io.BytesIO(data),
        chunk_size=CHUNK,
        metadata=metadata(data),
        retries=1,
        retry_delay=0,
    )
    created = requests.post(
        f"{tus.url}",
        headers={**repeat.get_url_creation_headers()},
        timeout=10,
    )
    assert created.status_code == 201 and created.headers["Upload-Offset"] == str(len(data))
    repeat.upload()
    assert repeat.offset == len(data)
    assert db.session.scalar(select(func.count()).select_from(Photo)) == 1
    assert stored_files(app) == files
    assert (
        db.session.scalar(
            select(func.count()).select_from(Upload).where(Upload.completed_at.is_(None))
        )
        == 0
    )


def test_cut_chunk_with_a_checksum_is_dropped_not_kept(tus):
    data = jpeg()
    uploader = tus.uploader(
        file_stream=io.BytesIO(data),
        chunk_size=CHUNK,
        metadata=metadata(data),
        upload_checksum=True,
    )
    uploader.upload(stop_at=CHUNK)
    token = tus.headers["Authorization"]
    status, stored = cut_patch(
        uploader.url, token, CHUNK, data[CHUNK : 2 * CHUNK], 1000, checksum=True
    )
    assert (status, stored) == (204, CHUNK)
    # Part of a checksummed chunk cannot be verified, so none of it counts.
    assert uploader.get_offset() == CHUNK
    uploader.upload()
    assert db.session.get(Photo, sha256(data)) is not None


def test_a_slow_body_holds_no_database_write_lock(app, tus, monkeypatch):
    """On SQLite one writer blocks all: a 3G PATCH must not keep a write open while it streams."""
    import sqlite3

    from fieldapp.api import uploads as uploads_api
    from fieldapp.models import Device

    data = jpeg((1600, 1200))
    uploader = tus.uploader(file_stream=io.BytesIO(data), chunk_size=CHUNK, metadata=metadata(data))
    uploader.set_url(uploader.create_url())
    db.session.execute(Device.__table__.update().values(last_seen_at=None))  # due a write
    db.session.commit()

    first_piece_stored = threading.Event()
    real_reader = uploads_api._body_reader

    def observed_reader():
        read = real_reader()

        def read_and_signal(size: int) -> bytes:
            piece = read(size)
            if piece and not first_piece_stored.is_set():
                first_piece_stored.set()
            return piece

        return read_and_signal

    monkeypatch.setattr(uploads_api, "_body_reader", observed_reader)
    parts = urlsplit(uploader.url)
    body = data[:100_000]
    head = (
        f"PATCH {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Authorization: {tus.headers['Authorization']}\r\nTus-Resumable: 1.0.0\r\n"
        f"Content-Type: application/offset+octet-stream\r\n"
        f"Upload-Offset: 0\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    database = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with socket.create_connection((parts.hostname, parts.port)) as sock:
        sock.sendall(head.encode() + body[:70_000])
        assert first_piece_stored.wait(timeout=30)
        # Mid-body: another writer must get the lock at once.
        other = sqlite3.connect(database, timeout=0.2)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.rollback()
        finally:
            other.close()
        sock.sendall(body[70_000:])
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 204")
    assert uploader.get_offset() == 100_000
    db.session.expire_all()
    assert db.session.scalar(select(Device.last_seen_at)) is not None
