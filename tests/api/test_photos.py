"""Serving photos: who may see which rendition, and HTTP caching and ranges."""

from __future__ import annotations

import io

import pytest
from photos.images import jpeg, sha256
from photos.tus import upload
from PIL import Image
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import Category, Concern, PhotoLink, Visit
from fieldapp.models.base import utcnow

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]
DATA = jpeg((2000, 1500), orientation=6, gps=True, camera=True)
SHA = sha256(DATA)


ROLES = {
    "uploader": ("official", ("6501",)),
    "colleague": ("official", ("6501",)),
    "elsewhere": ("official", ("6502",)),
    "supervisor": ("supervisor", ("6501",)),
    "other_supervisor": ("supervisor", ("6502",)),
    "admin": ("admin", ()),
}


class People(dict):
    """Who is who, signed in on first use (password hashing is slow on purpose)."""

    def __init__(self, make_user, login) -> None:
        super().__init__()
        self.make_user, self.login = make_user, login

    def __missing__(self, name: str) -> dict:
        role, districts = ROLES[name]
        self[name] = self.login(self.make_user(name, role=role, districts=districts))
        return self[name]


@pytest.fixture
def people(make_user, login):
    return People(make_user, login)


@pytest.fixture
def uploaded(client, people):
    assert upload(client, people["uploader"], DATA).status_code == 204
    return SHA


def link(make_village, entity: str = "visit", deleted: bool = False) -> str:
    """A record in district 6501 naming the photo, as the sync engine would write it."""
    village = make_village("650101")
    now = utcnow()
    if entity == "visit":
        record = Visit(village_id=village.id, district_code="6501", visited_at=now)
    else:
        category = db.session.scalar(select(Category.code).limit(1))
        record = Concern(
            village_id=village.id,
            district_code="6501",
            category_code=category,
            description="ถนนชำรุด",
            reported_at=now,
        )
    record.deleted = deleted
    db.session.add(record)
    db.session.flush()
    db.session.add(PhotoLink(entity=entity, record_id=record.id, sha256=SHA, caption="ถนน"))
    db.session.commit()
    return record.id


def get(client, path: str, headers: dict | None = None):
    """Buffered, so the streamed file is read and closed as a WSGI server would."""
    return client.get(path, headers=headers or {}, buffered=True)


def status(client, who: dict, rendition: str) -> int:
    return get(client, f"/api/photos/{SHA}/{rendition}", who).status_code


def test_before_any_record_names_it_only_the_uploader_sees_it(client, people, uploaded):
    assert status(client, people["uploader"], "thumb") == 200
    assert status(client, people["uploader"], "original") == 200
    for name in ("colleague", "supervisor", "elsewhere"):
        assert status(client, people[name], "thumb") == 404
    assert get(client, f"/api/photos/{SHA}/thumb").status_code == 401


@pytest.mark.parametrize("entity", ["visit", "concern"])
def test_district_scoping_through_linked_records(client, people, uploaded, make_village, entity):
    link(make_village, entity)
    # As in pull: a concern is seen by its district; a visit by its author and supervisors.
    colleague = (200, 200, 403) if entity == "concern" else (404, 404, 404)
    expected = {
        "colleague": colleague,
        "supervisor": (200, 200, 200),
        "admin": (200, 200, 200),
        "elsewhere": (404, 404, 404),
        "other_supervisor": (404, 404, 404),
    }
    for name, codes in expected.items():
        got = tuple(status(client, people[name], r) for r in ("thumb", "display", "original"))
        assert got == codes, name


def test_a_deleted_record_shows_nothing(client, people, uploaded, make_village):
    link(make_village, "concern", deleted=True)
    assert status(client, people["colleague"], "thumb") == 404


def test_original_is_the_uploaded_bytes_and_derivatives_have_no_exif(client, people, uploaded):
    auth = people["uploader"]
    original = get(client, f"/api/photos/{SHA}/original", headers=auth)
    assert original.data == DATA and original.content_type == "image/jpeg"
    for rendition, long_side in (("display", 1600), ("thumb", 320)):
        response = get(client, f"/api/photos/{SHA}/{rendition}", headers=auth)
        image = Image.open(io.BytesIO(response.data))
        assert not image.getexif() and b"Exif" not in response.data
        assert image.size == (long_side * 3 // 4, long_side)  # portrait: orientation applied


def test_strong_etag_immutable_caching_and_304(client, people, uploaded):
    auth = people["uploader"]
    response = get(client, f"/api/photos/{SHA}/display", headers=auth)
    etag = response.headers["ETag"]
    assert etag == f'"{SHA}.display"' and not etag.startswith("W/")
    cache = response.headers["Cache-Control"]
    assert "immutable" in cache and "private" in cache and "max-age=31536000" in cache
    assert response.headers["Accept-Ranges"] == "bytes"
    again = get(client, f"/api/photos/{SHA}/display", headers={**auth, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = get(client, f"/api/photos/{SHA}/thumb", headers={**auth, "If-None-Match": etag})
    assert other.status_code == 200


def test_range_requests(client, people, uploaded):
    auth = people["uploader"]
    response = get(
        client, f"/api/photos/{SHA}/original", headers={**auth, "Range": "bytes=100-199"}
    )
    assert response.status_code == 206
    assert response.headers["Content-Range"] == f"bytes 100-199/{len(DATA)}"
    assert response.data == DATA[100:200]
    tail = get(client, f"/api/photos/{SHA}/original", headers={**auth, "Range": "bytes=-10"})
    assert tail.data == DATA[-10:]
    beyond = get(
        client, f"/api/photos/{SHA}/original", headers={**auth, "Range": f"bytes={len(DATA) + 5}-"}
    )
    assert beyond.status_code == 416
    etag = response.headers["ETag"]
    same = {**auth, "Range": "bytes=0-9", "If-Range": etag}
    assert get(client, f"/api/photos/{SHA}/original", headers=same).status_code == 206
    changed = {**auth, "Range": "bytes=0-9", "If-Range": '"something-else"'}
    assert get(client, f"/api/photos/{SHA}/original", headers=changed).data == DATA


def test_photo_info_shows_provenance_only_to_original_viewers(
    client, people, uploaded, make_village
):
    link(make_village, "concern")
    mine = get(client, f"/api/photos/{SHA}", headers=people["supervisor"]).get_json()
    assert mine["provenance"]["camera"] == "Apple iPhone 13"
    assert mine["provenance"]["gps_lat"] == pytest.approx(16.821, abs=1e-4)
    assert (mine["width"], mine["height"]) == (1500, 2000)
    assert set(mine["urls"]) == {"thumb", "display", "original"}
    colleague = get(client, f"/api/photos/{SHA}", headers=people["colleague"]).get_json()
    assert colleague["provenance"] is None and set(colleague["urls"]) == {"thumb", "display"}


@pytest.mark.parametrize("path", [f"{SHA}/poster", "not-a-hash/thumb", f"{'0' * 64}/thumb"])
def test_unknown_photos_and_renditions_are_404(client, people, uploaded, path):
    response = get(client, f"/api/photos/{path}", headers=people["uploader"])
    assert response.status_code == 404 and response.content_type == "application/problem+json"
