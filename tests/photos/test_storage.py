"""The local store: sharded paths, atomic writes, nothing outside its root."""

from __future__ import annotations

import pytest

from fieldapp.photos.partials import PartialBusy, PartialFiles, PartialMissing
from fieldapp.photos.storage import LocalPhotoStore, Rendition

SHA = "ab" * 32


def test_paths_are_sharded_by_hash_prefix(tmp_path):
    store = LocalPhotoStore(tmp_path)
    assert store.path(Rendition.ORIGINAL, SHA) == tmp_path / "original" / "ab" / "ab" / SHA
    assert store.path(Rendition.THUMB, SHA).name == f"{SHA}.jpg"


@pytest.mark.parametrize("key", ["../" * 10 + "etc/passwd", "AB" * 32, "ab" * 31, ""])
def test_keys_must_be_sha256_hex(tmp_path, key):
    with pytest.raises(ValueError):
        LocalPhotoStore(tmp_path).path(Rendition.ORIGINAL, key)


def test_put_open_delete(tmp_path):
    store = LocalPhotoStore(tmp_path)
    store.put_bytes(Rendition.DISPLAY, SHA, b"jpeg bytes")
    stored = store.open(Rendition.DISPLAY, SHA)
    with stored.stream:
        assert (stored.stream.read(), stored.size) == (b"jpeg bytes", 10)
    assert store.exists(Rendition.DISPLAY, SHA)
    assert [sha for sha, _ in store.stored_photos()] == [SHA]
    store.delete(SHA)
    assert store.open(Rendition.DISPLAY, SHA) is None
    assert list(store.stored_photos()) == []


def test_writes_leave_no_temporary_files(tmp_path):
    store = LocalPhotoStore(tmp_path)
    store.put_bytes(Rendition.THUMB, SHA, b"one")
    store.put_bytes(Rendition.THUMB, SHA, b"two")  # replacing is atomic too
    directory = store.path(Rendition.THUMB, SHA).parent
    assert [p.name for p in directory.iterdir()] == [f"{SHA}.jpg"]
    assert store.path(Rendition.THUMB, SHA).read_bytes() == b"two"


def test_a_failed_write_leaves_nothing(tmp_path, monkeypatch):
    store = LocalPhotoStore(tmp_path)

    def broken_replace(*_args):
        raise OSError("disk full")

    monkeypatch.setattr("fieldapp.photos.storage.os.replace", broken_replace)
    with pytest.raises(OSError):
        store.put_bytes(Rendition.ORIGINAL, SHA, b"bytes")
    assert list(store.path(Rendition.ORIGINAL, SHA).parent.iterdir()) == []


def test_put_file_moves_the_file_in(tmp_path):
    source = tmp_path / "partial"
    source.write_bytes(b"original")
    store = LocalPhotoStore(tmp_path / "store")
    store.put_file(Rendition.ORIGINAL, SHA, source)
    assert not source.exists()
    assert store.path(Rendition.ORIGINAL, SHA).read_bytes() == b"original"


UPLOAD_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"


def test_partial_writes_drop_the_unacknowledged_tail(tmp_path):
    partials = PartialFiles(tmp_path)
    partials.create(UPLOAD_ID)
    with partials.writing_at(UPLOAD_ID, 0) as handle:
        handle.write(b"0123456789")
    # The database acknowledged only 4 bytes: the rest is rewritten from there.
    with partials.writing_at(UPLOAD_ID, 4) as handle:
        handle.write(b"ab")
    assert partials.read(UPLOAD_ID) == b"0123ab"


def test_partial_writers_exclude_each_other(tmp_path):
    partials = PartialFiles(tmp_path)
    partials.create(UPLOAD_ID)
    with (
        partials.writing_at(UPLOAD_ID, 0),
        pytest.raises(PartialBusy),
        partials.writing_at(UPLOAD_ID, 0),
    ):
        pass


def test_a_partial_shorter_than_acknowledged_is_reported(tmp_path):
    partials = PartialFiles(tmp_path)
    partials.create(UPLOAD_ID)
    with pytest.raises(PartialMissing), partials.writing_at(UPLOAD_ID, 5):
        pass
    partials.remove(UPLOAD_ID)
    with pytest.raises(PartialMissing), partials.writing_at(UPLOAD_ID, 0):
        pass
    with pytest.raises(ValueError):
        partials.path("../../etc/passwd")
