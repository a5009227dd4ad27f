"""Compression on the wire: answers negotiated by Accept-Encoding, push bodies sent gzipped,
and a gzip bomb or a broken stream refused as bad input with nothing written."""

from __future__ import annotations

import gzip
import json
import zlib

import brotli
import pytest
from backports import zstd
from sqlalchemy import func, select
from sync_helpers import visit_mutation

from fieldapp.extensions import db
from fieldapp.models import AppliedMutation, QuarantinedMutation, Visit

# The data layer runs on SQLite and, when TEST_DATABASE_URL is set (always on CI), PostgreSQL.
pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]

DECODERS = {"gzip": gzip.decompress, "br": brotli.decompress, "zstd": zstd.decompress}


def nothing_written() -> bool:
    return all(
        db.session.scalar(select(func.count()).select_from(model)) == 0
        for model in (AppliedMutation, QuarantinedMutation, Visit)
    )


@pytest.fixture
def phone(make_user, device):
    return device(make_user())


def _push_gzip(phone, body: bytes, encoding: str = "gzip"):
    headers = {**phone.headers, "Content-Type": "application/json", "Content-Encoding": encoding}
    return phone.client.post("/api/sync/push", data=body, headers=headers)


def _push_body(phone, mutations) -> bytes:
    return json.dumps({"device_id": phone.device_id, "mutations": mutations}).encode()


def _pull(phone, accept: str | None):
    headers = dict(phone.headers)
    if accept is not None:
        headers["Accept-Encoding"] = accept
    return phone.client.get("/api/sync/pull?cursor=0", headers=headers)


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_a_pull_page_is_compressed_as_the_client_asks(phone, make_village, encoding):
    village = make_village(name_th="บ้านหนองแขม")
    phone.push(visit_mutation(village.id, notes="ประชุมประจำเดือนที่ศาลาประชาคม " * 20))
    plain = _pull(phone, None)
    response = _pull(phone, f"{encoding}, identity;q=0.5")
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    decoded = json.loads(DECODERS[encoding](response.get_data()))
    assert decoded == plain.get_json()
    assert len(response.get_data()) < len(plain.get_data()) / 3


def test_without_accept_encoding_the_answer_is_plain(phone, make_village):
    phone.push(visit_mutation(make_village().id, notes="ไม่บีบอัด " * 200))
    for accept in (None, "identity"):
        response = _pull(phone, accept)
        assert "Content-Encoding" not in response.headers
        assert response.get_json()["changes"]


def test_the_best_shared_encoding_wins(phone, make_village):
    phone.push(visit_mutation(make_village().id, notes="เลือกวิธีบีบอัด " * 200))
    assert _pull(phone, "gzip, deflate, br, zstd").headers["Content-Encoding"] == "zstd"  # Chrome
    assert _pull(phone, "gzip, deflate, br").headers["Content-Encoding"] == "br"  # Safari
    assert _pull(phone, "gzip, deflate").headers["Content-Encoding"] == "gzip"
    assert _pull(phone, "gzip;q=1, br;q=0.5").headers["Content-Encoding"] == "gzip"


def test_a_gzipped_push_is_applied(phone, make_village):
    mutation = visit_mutation(make_village().id, notes="ส่งแบบบีบอัด")
    response = _push_gzip(phone, gzip.compress(_push_body(phone, [mutation])))
    assert response.status_code == 200, response.get_data(as_text=True)
    [result] = response.get_json()["results"]
    assert result["status"] == "applied"
    assert db.session.get(Visit, mutation["record_id"]).notes == "ส่งแบบบีบอัด"


def test_a_gzip_bomb_is_refused_and_nothing_is_written(app, phone, make_village):
    limit = app.config["MAX_CONTENT_LENGTH"]
    # Valid JSON that decodes to eight times the limit, from a body of a few kilobytes.
    padding = " " * (8 * limit)
    body = _push_body(phone, [visit_mutation(make_village().id)])[:-1] + padding.encode() + b"}"
    bomb = gzip.compress(body, compresslevel=9)
    assert len(bomb) < limit / 100
    response = _push_gzip(phone, bomb)
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["code"] == "request.too_large" and problem["limit"] == limit
    assert nothing_written()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: raw[:10] + bytes(b ^ 0x5A for b in raw[10:]), id="corrupt"),
        pytest.param(lambda raw: b"not gzip at all", id="not-gzip"),
    ],
)
def test_a_broken_gzip_body_is_a_bad_request(phone, make_village, damage):
    raw = gzip.compress(_push_body(phone, [visit_mutation(make_village().id)]))
    response = _push_gzip(phone, damage(raw))
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["code"] == "request.bad_encoding"
    assert nothing_written()


@pytest.mark.parametrize("encoding", ["br", "deflate", "compress", "gzip, gzip"])
def test_an_unknown_content_encoding_is_refused(phone, make_village, encoding):
    body = zlib.compress(_push_body(phone, [visit_mutation(make_village().id)]))
    response = _push_gzip(phone, body, encoding)
    assert response.status_code == 415
    assert response.get_json()["code"] == "request.unsupported_encoding"
    assert nothing_written()


def test_other_json_routes_read_gzip_bodies_too(client, make_user):
    user = make_user()
    credentials = {"username": user.username, "password": "secret-pass"}
    body = gzip.compress(json.dumps(credentials).encode())
    response = client.post(
        "/api/auth/login",
        data=body,
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert response.status_code == 201
    assert response.get_json()["device_id"]


def test_the_app_shell_and_its_assets_are_compressed(app, client, tmp_path):
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>fieldapp</title>" + "<p>ไทย</p>" * 200)
    (dist / "assets" / "main-abc.js").write_text("export const x = 'บันทึก';\n" * 200)
    app.config["PWA_DIST"] = str(dist)
    for path, file in (("/app", "index.html"), ("/assets/main-abc.js", "assets/main-abc.js")):
        with client.get(path, headers={"Accept-Encoding": "br, gzip"}) as response:
            assert response.status_code == 200
            assert response.headers["Content-Encoding"] == "br"
            assert brotli.decompress(response.get_data()) == (dist / file).read_bytes()
