"""On the wire under the real gunicorn: pull pages go compressed as the client asks, and a
gzipped push is applied (rural 2G pays for every byte)."""

from __future__ import annotations

import gzip
import json
import uuid

import brotli
import requests
from backports import zstd

from tests.e2e.server import DEMO_PASSWORD, Server

DECODE = {"gzip": gzip.decompress, "br": brotli.decompress, "zstd": zstd.decompress}


def _village(server: Server) -> str:
    [(village_id,)] = server.query(
        "SELECT id FROM villages WHERE district_code = '6501' ORDER BY id LIMIT 1"
    )
    return village_id


def _visits(village_id: str, count: int) -> list[dict]:
    return [
        {
            "mutation_id": str(uuid.uuid4()),
            "entity": "visit",
            "record_id": str(uuid.uuid4()),
            "op": "create",
            "fields": {
                "village_id": village_id,
                "visited_at": "2026-03-01T09:30:00+07:00",
                "topics": ["clean_tidy", "health"],
                "companions": ["นายสมชาย ใจดี"],
                "villagers_met": 24 + i,
                "notes": f"ประชุมประจำเดือนที่ศาลาประชาคม ครั้งที่ {i} ชาวบ้านแจ้งเรื่องน้ำประปา",
            },
        }
        for i in range(count)
    ]


def _raw_pull(server: Server, headers: dict[str, str], accept: str) -> requests.Response:
    response = requests.get(
        f"{server.base_url}/api/sync/pull?cursor=0&limit=500",
        headers={**headers, "Accept-Encoding": accept},
        stream=True,
        timeout=30,
    )
    response.raw.decode_content = False
    return response


def test_a_gzipped_push_is_applied_and_pull_pages_are_compressed(server: Server):
    login = {"username": "demo-official", "password": DEMO_PASSWORD, "device_name": "wire"}
    signed_in = requests.post(f"{server.base_url}/api/auth/login", json=login, timeout=10).json()
    headers = {"Authorization": f"Bearer {signed_in['token']}"}
    device_id = signed_in["device_id"]
    body = json.dumps({"device_id": device_id, "mutations": _visits(_village(server), 20)})
    pushed = requests.post(
        f"{server.base_url}/api/sync/push",
        data=gzip.compress(body.encode()),
        headers={**headers, "Content-Type": "application/json", "Content-Encoding": "gzip"},
        timeout=30,
    )
    assert pushed.status_code == 200, pushed.text
    assert {r["status"] for r in pushed.json()["results"]} == {"applied"}

    plain = _raw_pull(server, headers, "identity")
    assert "Content-Encoding" not in plain.headers
    plain_bytes = plain.raw.read()
    page = json.loads(plain_bytes)
    assert len(page["changes"]) >= 20
    for encoding, decode in DECODE.items():
        response = _raw_pull(server, headers, encoding)
        assert response.headers["Content-Encoding"] == encoding
        sent = response.raw.read()
        assert json.loads(decode(sent))["changes"] == page["changes"]
        assert len(sent) < len(plain_bytes) / 3, (encoding, len(sent), len(plain_bytes))
