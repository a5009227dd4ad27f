"""A photo that arrives after the record naming it is announced to devices through pull."""

import pytest
from photos.images import jpeg, sha256
from photos.tus import upload
from sync_helpers import concern_mutation, visit_mutation

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def test_record_is_pulled_again_when_its_missing_photo_arrives(
    client, make_user, make_village, device
):
    village = make_village()
    official = device(make_user("official"))
    supervisor = device(make_user("supervisor", role="supervisor"))
    photo = jpeg((640, 480))
    mutation = concern_mutation(village.id)
    mutation["photos"] = [{"sha256": sha256(photo), "caption": "ถนน", "position": 0}]
    [result] = official.push(mutation)
    assert result["missing_photos"] == [sha256(photo)]

    assert official.pull_page(cursor="0")["missing_photos"] == [sha256(photo)]
    supervisor.pull()
    concern = supervisor.seen[("concern", mutation["record_id"])]
    assert concern["missing_photos"] == [sha256(photo)]

    upload(client, official.headers, photo)
    changes = supervisor.pull()
    assert [c["id"] for c in changes] == [mutation["record_id"]]
    assert supervisor.seen[("concern", mutation["record_id"])]["missing_photos"] == []
    # The uploading device is no longer asked for the photo either.
    assert official.pull_page(cursor="0")["missing_photos"] == []


def test_uploading_known_bytes_again_announces_nothing(client, make_user, make_village, device):
    village = make_village()
    official = device(make_user("official"))
    photo = jpeg((320, 240))
    mutation = visit_mutation(village.id)
    mutation["photos"] = [{"sha256": sha256(photo), "caption": "", "position": 0}]
    official.push(mutation)
    upload(client, official.headers, photo)
    official.pull()
    upload(client, official.headers, photo)
    assert official.pull() == []
