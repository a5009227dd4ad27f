"""photos-gc: expired partial uploads and photos no record named within the grace period."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import update

from fieldapp.extensions import db
from fieldapp.models import Photo, PhotoLink, Upload
from fieldapp.models.base import utcnow
from fieldapp.photos.cleanup import collect_garbage
from fieldapp.photos.storage import Rendition
from photos.images import jpeg, sha256
from photos.tus import create, patch, upload

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]
DAY = timedelta(days=1)


@pytest.fixture
def auth(make_user, login):
    return login(make_user("uploader"))


@pytest.fixture
def settings(app):
    return app.extensions["photos"]


def stored(settings, data: bytes) -> bool:
    return settings.store.exists(Rendition.ORIGINAL, sha256(data))


def age_photo(data: bytes, days: float) -> None:
    db.session.execute(
        update(Photo)
        .where(Photo.sha256 == sha256(data))
        .values(created_at=utcnow() - timedelta(days=days))
    )
    db.session.commit()


def test_unlinked_photos_go_after_the_grace_period(client, auth, settings, runner):
    old, linked, recent = jpeg((300, 200)), jpeg((310, 200)), jpeg((320, 200))
    for data in (old, linked, recent):
        assert upload(client, auth, data).status_code == 204
    age_photo(old, 8)
    age_photo(linked, 30)
    db.session.add(PhotoLink(entity="visit", record_id=str(uuid.uuid4()), sha256=sha256(linked)))
    db.session.commit()
    result = runner.invoke(args=["photos-gc"])
    assert result.exit_code == 0 and "1 unlinked photo(s)" in result.output
    assert db.session.get(Photo, sha256(old)) is None and not stored(settings, old)
    assert not settings.store.exists(Rendition.THUMB, sha256(old))
    for kept in (linked, recent):
        assert db.session.get(Photo, sha256(kept)) is not None and stored(settings, kept)


def test_expired_uploads_and_stray_partials_go(client, auth, settings):
    data = jpeg()
    location = create(client, auth, data).headers["Location"]
    patch(client, auth, location, 0, data[:500])
    live = create(client, auth, jpeg((400, 300))).headers["Location"]
    upload_id = location.rsplit("/", 1)[1]
    db.session.execute(
        update(Upload).where(Upload.id == upload_id).values(expires_at=utcnow() - DAY)
    )
    db.session.commit()
    stray = str(uuid.uuid4())
    settings.partials.create(stray)
    past = (utcnow() - 2 * DAY).timestamp()
    os.utime(settings.partials.path(stray), (past, past))
    fresh_stray = str(uuid.uuid4())
    settings.partials.create(fresh_stray)  # may belong to a row not committed yet

    report = collect_garbage(settings)
    assert (report.uploads, report.partial_files) == (1, 1)
    assert db.session.get(Upload, upload_id) is None
    assert not settings.partials.path(upload_id).exists()
    assert not settings.partials.path(stray).exists()
    assert settings.partials.path(fresh_stray).exists()
    assert db.session.get(Upload, live.rsplit("/", 1)[1]) is not None


def test_orphan_files_without_a_row_go_after_the_grace_period(settings):
    old, recent = "a" * 64, "b" * 64
    for sha in (old, recent):
        settings.store.put_bytes(Rendition.DISPLAY, sha, b"left by a crash")
    past = (utcnow() - 8 * DAY).timestamp()
    os.utime(settings.store.path(Rendition.DISPLAY, old), (past, past))
    report = collect_garbage(settings)
    assert report.orphan_files == 1
    assert not settings.store.exists(Rendition.DISPLAY, old)
    assert settings.store.exists(Rendition.DISPLAY, recent)
