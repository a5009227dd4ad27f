"""tus 1.0.0 at /api/uploads/: protocol behaviour, refusals that leave nothing behind."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

import pytest
from photos.images import HTML, jpeg, png_bomb, sha256, zip_file
from photos.tus import OFFSET_STREAM, create, head, metadata, patch, upload
from sqlalchemy import func, select, update

from fieldapp.extensions import db
from fieldapp.models import Photo, Upload
from fieldapp.models.base import utcnow

PROBLEM = "application/problem+json"
pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


@pytest.fixture
def auth(make_user, login):
    return login(make_user("uploader"))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def stored_files(app) -> list[Path]:
    return sorted(p for p in Path(app.config["PHOTO_DIR"]).rglob("*") if p.is_file())


def test_discovery_with_options(client):
    response = client.options("/api/uploads/")
    assert response.status_code == 204
    assert response.headers["Tus-Version"] == "1.0.0"
    assert response.headers["Tus-Resumable"] == "1.0.0"
    extensions = set(response.headers["Tus-Extension"].split(","))
    assert {"creation", "termination", "checksum", "expiration"} <= extensions
    assert response.headers["Tus-Checksum-Algorithm"] == "sha1,sha256"
    assert int(response.headers["Tus-Max-Size"]) == 25 * 1024 * 1024


def test_uploads_need_a_token_and_the_tus_header(client, auth):
    data = jpeg()
    anonymous = create(client, {}, data)
    assert anonymous.status_code == 401 and anonymous.content_type == PROBLEM
    no_tus = client.post("/api/uploads/", headers={**auth, "Upload-Length": "10"})
    assert no_tus.status_code == 412
    assert no_tus.headers["Tus-Version"] == "1.0.0"


def test_chunked_upload_with_checksums_becomes_a_photo(app, client, auth):
    data = jpeg((1200, 900), orientation=6, gps=True, camera=True)
    created = create(client, auth, data)
    assert created.status_code == 201
    location = created.headers["Location"]
    assert location.startswith("/api/uploads/")
    assert created.headers["Upload-Offset"] == "0" and "Upload-Expires" in created.headers
    half = len(data) // 2
    first = patch(client, auth, location, 0, data[:half], "sha1")
    assert first.status_code == 204 and first.headers["Upload-Offset"] == str(half)
    probe = head(client, auth, location)
    assert probe.status_code == 200
    assert (probe.headers["Upload-Offset"], probe.headers["Upload-Length"]) == (
        str(half),
        str(len(data)),
    )
    assert probe.headers["Cache-Control"] == "no-store"
    assert "sha256 " in probe.headers["Upload-Metadata"]
    last = patch(client, auth, location, half, data[half:], "sha256")
    assert last.status_code == 204 and last.headers["Upload-Offset"] == str(len(data))
    photo = db.session.get(Photo, sha256(data))
    assert (photo.mime_type, photo.size_bytes, photo.width, photo.height) == (
        "image/jpeg",
        len(data),
        900,
        1200,
    )
    assert photo.camera == "Apple iPhone 13" and photo.gps_lat == pytest.approx(16.821, abs=1e-4)
    assert photo.taken_at is not None
    assert [p.parent.parent.parent.name for p in stored_files(app)] == [
        "display",
        "original",
        "thumb",
    ]
    assert head(client, auth, location).headers["Upload-Offset"] == str(len(data))


def test_wrong_offset_is_409_and_changes_nothing(client, auth):
    data = jpeg()
    location = create(client, auth, data).headers["Location"]
    patch(client, auth, location, 0, data[:1000])
    response = patch(client, auth, location, 500, data[500:2000])
    assert response.status_code == 409 and response.content_type == PROBLEM
    assert response.get_json()["upload_offset"] == 1000
    assert response.headers["Tus-Resumable"] == "1.0.0"
    assert head(client, auth, location).headers["Upload-Offset"] == "1000"


def test_checksum_mismatch_is_460_and_the_chunk_is_dropped(client, auth):
    data = jpeg()
    location = create(client, auth, data).headers["Location"]
    headers = {**auth, "Tus-Resumable": "1.0.0", "Upload-Offset": "0"}
    bad = client.patch(
        location,
        data=data[:1000],
        content_type=OFFSET_STREAM,
        headers={**headers, "Upload-Checksum": "sha1 " + "A" * 27 + "="},
    )
    assert bad.status_code == 460 and bad.get_json()["code"] == "upload.checksum_mismatch"
    assert head(client, auth, location).headers["Upload-Offset"] == "0"
    unknown = client.patch(
        location,
        data=data[:1000],
        content_type=OFFSET_STREAM,
        headers={**headers, "Upload-Checksum": "md5 AAAA"},
    )
    assert unknown.status_code == 400
    assert patch(client, auth, location, 0, data[:1000], "sha1").status_code == 204


@pytest.mark.parametrize(
    ("data", "filetype", "status", "code"),
    [
        (zip_file(), "image/jpeg", 415, "photo.not_an_image"),
        (png_bomb(), "image/png", 422, "photo.too_many_pixels"),
        (jpeg((1200, 900))[:9000], "image/jpeg", 422, "photo.corrupt"),
        (HTML, "image/jpeg", 415, "photo.not_an_image"),
        (b"", "image/jpeg", 422, "photo.empty"),
    ],
    ids=["zip-as-jpg", "png-50000x50000", "truncated-jpeg", "html-as-jpeg", "empty"],
)
def test_refused_files_leave_nothing_behind(app, client, auth, data, filetype, status, code):
    response = upload(client, auth, data, filetype)
    assert response.status_code == status and response.content_type == PROBLEM
    body = response.get_json()
    assert body["code"] == code and body["detail"] and body["detail_th"]
    assert count(Photo) == 0 and count(Upload) == 0
    assert stored_files(app) == []


def test_refused_upload_is_gone_for_good(client, auth):
    data = zip_file()
    location = create(client, auth, data).headers["Location"]
    assert patch(client, auth, location, 0, data).status_code == 415
    assert head(client, auth, location).status_code == 404


def test_sha256_must_match_the_whole_file(client, auth):
    data = jpeg()
    created = create(client, auth, data)
    other = jpeg((640, 480))
    location = created.headers["Location"]
    # Same length, different bytes: the declared sha256 no longer fits.
    forged = other[: len(data)].ljust(len(data), b"\0")
    response = patch(client, auth, location, 0, forged)
    assert response.status_code == 422
    assert response.get_json()["code"] == "photo.sha256_mismatch"
    assert count(Photo) == 0


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        ({"Upload-Length": str(25 * 1024 * 1024 + 1)}, 413, "photo.too_large"),
        ({"Upload-Length": "-1"}, 400, "upload.bad_header"),
        ({"Upload-Metadata": "filetype aW1hZ2UvanBlZw=="}, 400, "upload.bad_metadata"),
        ({"Upload-Metadata": "sha256 %%%"}, 400, "upload.bad_metadata"),
    ],
    ids=["too-large", "bad-length", "no-sha256", "bad-base64"],
)
def test_creation_refusals(client, auth, headers, status, code):
    base = {**auth, "Tus-Resumable": "1.0.0", "Upload-Length": "100"}
    response = client.post("/api/uploads/", headers={**base, **headers})
    assert response.status_code == status and response.get_json()["code"] == code
    assert count(Upload) == 0


def test_known_bytes_complete_at_creation(app, client, auth, make_user, login):
    data = jpeg()
    assert upload(client, auth, data).status_code == 204
    files = stored_files(app)
    other = login(make_user("second-official"))
    again = create(client, other, data)
    assert again.status_code == 201
    assert again.headers["Upload-Offset"] == str(len(data))
    assert "Upload-Expires" not in again.headers
    location = again.headers["Location"]
    # A client that PATCHes from 0 anyway learns the real offset from 409 and HEAD.
    assert patch(client, other, location, 0, data).status_code == 409
    assert head(client, other, location).headers["Upload-Offset"] == str(len(data))
    assert patch(client, other, location, len(data), b"").status_code == 204
    assert count(Photo) == 1 and stored_files(app) == files
    assert db.session.get(Photo, sha256(data)).uploaded_by_id != db.session.scalar(
        select(Upload.user_id).where(Upload.id == location.rsplit("/", 1)[1])
    )


def test_creation_with_upload_and_method_override(client, auth):
    data = jpeg()
    headers = create(client, auth, data).request.headers
    response = client.post(
        "/api/uploads/",
        headers={k: v for k, v in headers.items() if k.startswith(("Upload", "Tus", "Auth"))},
        data=data[:5000],
        content_type=OFFSET_STREAM,
    )
    assert response.status_code == 201 and response.headers["Upload-Offset"] == "5000"
    overridden = client.post(
        response.headers["Location"],
        headers={
            **auth,
            "Tus-Resumable": "1.0.0",
            "Upload-Offset": "5000",
            "X-HTTP-Method-Override": "PATCH",
        },
        data=data[5000:],
        content_type=OFFSET_STREAM,
    )
    assert overridden.status_code == 204
    assert db.session.get(Photo, sha256(data)) is not None


def test_patch_needs_the_offset_stream_type_and_fits_the_length(client, auth):
    data = jpeg()
    location = create(client, auth, data).headers["Location"]
    wrong_type = client.patch(
        location,
        data=data,
        content_type="application/octet-stream",
        headers={**auth, "Tus-Resumable": "1.0.0", "Upload-Offset": "0"},
    )
    assert wrong_type.status_code == 415
    too_long = patch(client, auth, location, 0, data + b"extra")
    assert too_long.status_code == 413
    assert too_long.get_json()["code"] == "upload.exceeds_length"


def test_chunk_size_limit_is_configurable(app, client, auth):
    settings = app.extensions["photos"]
    app.extensions["photos"] = dataclasses.replace(settings, chunk_max_bytes=4096)
    data = jpeg()
    location = create(client, auth, data).headers["Location"]
    response = patch(client, auth, location, 0, data[:8192])
    assert response.status_code == 413
    assert response.get_json()["code"] == "upload.chunk_too_large"
    assert response.get_json()["limit"] == 4096
    assert patch(client, auth, location, 0, data[:4096]).status_code == 204


def test_termination(app, client, auth):
    data = jpeg()
    location = create(client, auth, data).headers["Location"]
    patch(client, auth, location, 0, data[:1000])
    deleted = client.delete(location, headers={**auth, "Tus-Resumable": "1.0.0"})
    assert deleted.status_code == 204
    assert head(client, auth, location).status_code == 404
    assert stored_files(app) == [] and count(Upload) == 0


def test_expired_uploads_answer_410(app, client, auth, runner):
    data = jpeg()
    location = create(client, auth, data).headers["Location"]
    patch(client, auth, location, 0, data[:1000])
    db.session.execute(update(Upload).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert head(client, auth, location).status_code == 410
    response = patch(client, auth, location, 1000, data[1000:])
    assert response.status_code == 410 and response.get_json()["code"] == "upload.expired"
    result = runner.invoke(args=["photos-gc"])
    assert "removed 1 expired upload(s)" in result.output
    assert stored_files(app) == [] and count(Upload) == 0


def test_someone_elses_upload_does_not_exist(client, auth, make_user, login):
    data = jpeg()
    location = create(client, auth, data).headers["Location"]
    stranger = login(make_user("stranger"))
    assert head(client, stranger, location).status_code == 404
    assert patch(client, stranger, location, 0, data).status_code == 404
    assert head(client, auth, "/api/uploads/not-an-id").status_code == 404


def test_one_request_photo_via_creation_with_upload(app, client, auth):
    """A small photo travels whole in the POST; refused content leaves nothing either way."""
    for data, status in ((jpeg((320, 240)), 201), (zip_file(), 415)):
        headers = {
            **auth,
            "Tus-Resumable": "1.0.0",
            "Upload-Length": str(len(data)),
            "Upload-Metadata": metadata(data),
        }
        response = client.post(
            "/api/uploads/", headers=headers, data=data, content_type=OFFSET_STREAM
        )
        assert response.status_code == status
    assert response.get_json()["code"] == "photo.not_an_image"
    assert count(Photo) == 1 and count(Upload) == 1
    assert len(stored_files(app)) == 3
