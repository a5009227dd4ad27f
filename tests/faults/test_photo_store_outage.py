"""A full or read-only photo store: uploads answer 507 / 503 problem+json with Retry-After,
and nothing half-written stays behind. The store is a real, tiny tmpfs mounted for the test
(mounting needs root, as `make test` and CI run)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from photos import tus
from photos.images import jpeg

from fieldapp.models import Photo, Upload

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")


@pytest.fixture
def photo_dir(tmp_path: Path) -> Iterator[Path]:
    """The app's PHOTO_DIR as its own 512 KiB filesystem."""
    mount = tmp_path / "photos"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


@pytest.fixture
def store(photo_dir: Path, request: pytest.FixtureRequest):
    """The test client on an app whose photo store is the mount, and a signed-in official."""
    request.getfixturevalue("app")
    client = request.getfixturevalue("client")
    user = request.getfixturevalue("make_user")()
    return client, request.getfixturevalue("login")(user)


def fill(photo_dir: Path, leave: int = 0) -> Path:
    """Write until the disk is full, then free `leave` bytes."""
    filler = photo_dir / "filler"
    with filler.open("wb", buffering=0) as out, suppress(OSError):
        while out.write(b"\0" * 4096):
            pass
    os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def files_in(photo_dir: Path) -> dict[str, int]:
    return {
        str(p.relative_to(photo_dir)): p.stat().st_size
        for p in photo_dir.rglob("*")
        if p.is_file() and p.name != "filler"
    }


def assert_retry_later(response, status: int, code: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"]
    assert response.get_json()["code"] == code
    assert str(Path.cwd()) not in response.get_data(as_text=True)  # no path, no OS message


def test_a_chunk_into_a_full_store_is_507_and_keeps_no_byte_of_it(store, photo_dir):
    client, auth = store
    data = jpeg((640, 480))
    created = tus.create(client, auth, data)
    assert created.status_code == 201
    location = created.headers["Location"]
    filler = fill(photo_dir)

    refused = tus.patch(client, auth, location, 0, data)

    assert_retry_later(refused, 507, "storage.full")
    assert tus.head(client, auth, location).headers["Upload-Offset"] == "0"
    assert set(files_in(photo_dir).values()) == {0}  # the partial file: empty, as acknowledged
    filler.unlink()  # space again: the device's retry completes the photo
    assert tus.patch(client, auth, location, 0, data).status_code == 204
    assert Photo.query.count() == 1


def test_creation_with_upload_into_a_full_store_is_507_and_leaves_nothing(store, photo_dir):
    client, auth = store
    data = jpeg((640, 480))
    fill(photo_dir)
    headers = {**auth, "Tus-Resumable": "1.0.0", "Upload-Length": str(len(data))}
    headers |= {"Upload-Metadata": tus.metadata(data), "Content-Type": tus.OFFSET_STREAM}

    refused = client.post("/api/uploads/", headers=headers, data=data)

    assert_retry_later(refused, 507, "storage.full")
    assert files_in(photo_dir) == {}
    assert Upload.query.count() == 0


def test_a_photo_whose_renditions_do_not_fit_is_507_and_no_rendition_stays(store, photo_dir):
    client, auth = store
    data = jpeg((1600, 1200), quality=70)
    created = tus.create(client, auth, data)
    # Room for the partial bytes, not for the display and thumbnail JPEGs as well.
    fill(photo_dir, leave=len(data) + 4096)

    refused = tus.patch(client, auth, created.headers["Location"], 0, data)

    assert_retry_later(refused, 507, "storage.full")
    assert Photo.query.count() == 0
    assert [name for name in files_in(photo_dir) if not name.startswith("uploads/")] == []
    assert set(files_in(photo_dir).values()) == {0}


def test_a_read_only_store_is_503_for_creation_and_chunks(store, photo_dir):
    client, auth = store
    data = jpeg((640, 480))
    created = tus.create(client, auth, data)
    subprocess.run(["mount", "-o", "remount,ro", str(photo_dir)], check=True)

    assert_retry_later(tus.create(client, auth, jpeg((320, 240))), 503, "storage.unavailable")
    refused = tus.patch(client, auth, created.headers["Location"], 0, data)
    assert_retry_later(refused, 503, "storage.unavailable")
    assert tus.head(client, auth, created.headers["Location"]).headers["Upload-Offset"] == "0"
    assert Photo.query.count() == 0
