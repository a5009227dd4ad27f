"""Random tus requests: every one answered (a 4xx problem+json, never a 500) and none of them
leaves a photo that is not the bytes it names.

Hypothesis sends creations with any Upload-Length and Upload-Metadata, and PATCHes of a real
upload in progress with any offset, checksum, content type and body.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from itertools import count

import pytest
from fuzzing import FUZZ, assert_answered
from hypothesis import event, given
from hypothesis import strategies as st
from photos.images import jpeg
from photos.tus import OFFSET_STREAM, create, metadata
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import Photo
from fieldapp.photos.storage import LocalPhotoStore, Rendition

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def printable(size: int):
    """Text an HTTP header can carry: no control characters (no CR or LF)."""
    return st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=size)


numbers = st.integers(min_value=-(2**70), max_value=2**70).map(str)
header_values = (
    numbers
    | printable(40)
    | st.sampled_from(["", "0", "1.0.0", "0.2.2", "sha256", "sha1 AAAA", "md5 AAAA"])
)
b64 = st.binary(max_size=30).map(lambda b: base64.b64encode(b).decode())
metadata_values = st.lists(
    st.tuples(
        st.sampled_from(["filename", "filetype", "sha256", "name", ""]) | printable(8),
        b64 | printable(12),
    ),
    max_size=4,
).map(lambda pairs: ",".join(f"{k} {v}" for k, v in pairs))


# Metadata a real client sends, with any file type and any claimed SHA-256.
valid_metadata = st.tuples(
    st.sampled_from(["image/jpeg"] * 3 + ["image/png", "image/heic", "text/html", ""])
    | printable(20),
    st.binary(min_size=1, max_size=20),
).map(lambda pair: metadata(pair[1], pair[0]))


@pytest.fixture
def auth(make_user, login):
    return login(make_user("fuzzer"))


@pytest.fixture(scope="module")
def pictures() -> Iterator[bytes]:
    """A new photo each time: an upload of the same bytes would resume the earlier one."""
    return (jpeg((16 + n % 400, 12 + n // 400)) for n in count())


def photos_are_true(app) -> None:
    """Every stored photo's bytes hash to the name it is stored under."""
    db.session.rollback()
    store = LocalPhotoStore(app.config["PHOTO_DIR"])
    for photo in db.session.scalars(select(Photo)):
        stored = store.open(Rendition.ORIGINAL, photo.sha256)
        assert stored is not None, f"photo {photo.sha256} has no bytes"
        with stored.stream as stream:
            assert hashlib.sha256(stream.read()).hexdigest() == photo.sha256


@FUZZ
@given(
    length=st.one_of(
        st.integers(min_value=0, max_value=30 * 1024 * 1024).map(str),
        st.integers(min_value=1, max_value=5000).map(str),
        header_values,
    ),
    meta=valid_metadata | valid_metadata | metadata_values | st.just(None),
    tus=st.sampled_from(["1.0.0", "1.0.0", "1.0.0", "0.2.2", None]),
    extra=st.just({})
    | st.dictionaries(
        st.sampled_from(["Upload-Defer-Length", "Upload-Offset", "Upload-Checksum"]),
        header_values,
        max_size=2,
    ),
)
def test_any_creation_is_answered(app, client, auth, length, meta, tus, extra):
    headers = {**auth, "Upload-Length": length, **extra}
    if tus:
        headers["Tus-Resumable"] = tus
    if meta is not None:
        headers["Upload-Metadata"] = meta
    response = client.post("/api/uploads/", headers=headers)
    event(f"create answered {response.status_code}")
    assert_answered(response)
    photos_are_true(app)


@FUZZ
@given(
    # Mostly what a client sends, so that much of the time the bytes go in.
    offset=st.one_of(
        st.just("0"),
        st.just("0"),
        st.integers(min_value=-2, max_value=2000).map(str),
        header_values,
    ),
    checksum=st.one_of(st.sampled_from(["right", "right", "wrong", "none"]), header_values),
    content_type=st.sampled_from([OFFSET_STREAM] * 4 + ["application/json", "", "text/plain"]),
    body=st.binary(max_size=1500),
    method=st.sampled_from(["PATCH", "PATCH", "PATCH", "HEAD", "DELETE", "POST"]),
)
def test_any_request_to_an_upload_in_progress_is_answered(
    app, client, auth, pictures, offset, checksum, content_type, body, method
):
    picture = next(pictures)
    created = create(client, auth, picture)
    assert created.status_code == 201, created.get_data(as_text=True)
    location = created.headers["Location"]
    headers = {**auth, "Tus-Resumable": "1.0.0", "Upload-Offset": offset}
    if content_type:
        headers["Content-Type"] = content_type
    if checksum in ("right", "wrong"):
        digest = hashlib.sha256(body if checksum == "right" else body + b"x").digest()
        headers["Upload-Checksum"] = f"sha256 {base64.b64encode(digest).decode()}"
    elif checksum != "none":
        headers["Upload-Checksum"] = checksum
    if method == "POST":  # tus's X-HTTP-Method-Override for clients that cannot send PATCH
        headers["X-HTTP-Method-Override"] = "PATCH"
    response = client.open(location, method=method, headers=headers, data=body)
    event(f"{method} answered {response.status_code}")
    assert_answered(response)
    # The real bytes still complete the upload unless the upload was ended.
    if response.status_code != 204 or method != "DELETE":
        head = client.head(location, headers={**auth, "Tus-Resumable": "1.0.0"})
        if head.status_code == 200:
            done = int(head.headers["Upload-Offset"])
            rest = client.patch(
                location,
                headers={
                    **auth,
                    "Tus-Resumable": "1.0.0",
                    "Upload-Offset": str(done),
                    "Content-Type": OFFSET_STREAM,
                },
                data=picture[done:],
            )
            assert_answered(rest)
    photos_are_true(app)


@FUZZ
@given(
    upload_id=st.text(max_size=60).filter(lambda s: "/" not in s and "?" not in s and "#" not in s)
)
def test_any_upload_id_is_answered(client, auth, upload_id):
    headers = {**auth, "Tus-Resumable": "1.0.0"}
    assert_answered(client.head(f"/api/uploads/{upload_id}", headers=headers))
    assert_answered(
        client.patch(
            f"/api/uploads/{upload_id}",
            headers={**headers, "Upload-Offset": "0", "Content-Type": OFFSET_STREAM},
            data=b"x",
        )
    )
