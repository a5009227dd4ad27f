"""Bytes on the wire per synced record, plain and compressed, under the real gunicorn.

Pushes 500 realistic Thai records (300 visits, 150 concerns, 50 inspections; the sync bench's
Thai text) as one official, gzipping each push as the PWA does, then pulls them back in pages
of 500 with each encoding the server offers. Prints bytes per record for push (plain, gzip)
and pull (identity, gzip, br, zstd); the last line is machine-readable:
pull_plain_bpr=… pull_gzip_bpr=… pull_br_bpr=… pull_zstd_bpr=… push_plain_bpr=… push_gzip_bpr=…
"""

from __future__ import annotations

import gzip
import json
import random
import sys
import tempfile
import uuid
from pathlib import Path

import brotli
import requests
from backports import zstd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sync_bench import TOPICS, thai_text  # noqa: E402

from tests.e2e.server import DEMO_PASSWORD, Server, running_app  # noqa: E402

BATCH = 50  # the PWA's push batch
ENCODINGS = ("identity", "gzip", "br", "zstd")


def _mutation(entity: str, fields: dict) -> dict:
    return {
        "mutation_id": str(uuid.uuid4()),
        "entity": entity,
        "record_id": str(uuid.uuid4()),
        "op": "create",
        "observed_at": "2026-03-01T09:41:00+07:00",
        "fields": fields,
    }


def make_mutations(village_id: str, rng: random.Random) -> list[dict]:
    where = {"village_id": village_id, "lat": 16.82, "lon": 100.26, "gps_accuracy_m": 8.5}
    visits = [
        _mutation(
            "visit",
            {
                **where,
                "visited_at": f"2026-03-{1 + i % 28:02d}T09:30:00+07:00",
                "companions": [thai_text(rng, 12)],
                "topics": rng.sample(TOPICS, 2),
                "villagers_met": rng.randint(5, 120),
                "notes": thai_text(rng, 290),
            },
        )
        for i in range(300)
    ]
    concerns = [
        _mutation(
            "concern",
            {
                **where,
                "category_code": "roads",
                "description": thai_text(rng, 200),
                "urgency": rng.choice(["low", "normal", "high"]),
                "reported_at": "2026-03-01T10:00:00+07:00",
            },
        )
        for _ in range(150)
    ]
    inspections = [
        _mutation(
            "inspection",
            {
                **where,
                "place_type": "school",
                "place_name": thai_text(rng, 20),
                "inspected_at": "2026-03-01T10:30:00+07:00",
                "template_id": 1,
                "scores": {},
                "notes": thai_text(rng, 100),
            },
        )
        for _ in range(50)
    ]
    return visits + concerns + inspections


def _sign_in(server: Server) -> tuple[dict[str, str], str]:
    login = {"username": "demo-official", "password": DEMO_PASSWORD, "device_name": "bench"}
    answer = requests.post(f"{server.base_url}/api/auth/login", json=login, timeout=10).json()
    return {"Authorization": f"Bearer {answer['token']}"}, answer["device_id"]


def push_all(server: Server, mutations: list[dict]) -> tuple[int, int]:
    """Push in the PWA's batches, gzipped; returns (plain bytes, gzip bytes)."""
    headers, device_id = _sign_in(server)
    plain = sent = 0
    for start in range(0, len(mutations), BATCH):
        batch = mutations[start : start + BATCH]
        # UTF-8 as the PWA sends it (JSON.stringify), not \u escapes.
        body = json.dumps({"device_id": device_id, "mutations": batch}, ensure_ascii=False)
        raw = body.encode()
        packed = gzip.compress(raw)
        plain, sent = plain + len(raw), sent + len(packed)
        response = requests.post(
            f"{server.base_url}/api/sync/push",
            data=packed,
            headers={**headers, "Content-Type": "application/json", "Content-Encoding": "gzip"},
            timeout=60,
        )
        response.raise_for_status()
        assert {r["status"] for r in response.json()["results"]} == {"applied"}
    return plain, sent


DECODE = {
    "identity": lambda data: data,
    "gzip": gzip.decompress,
    "br": brotli.decompress,
    "zstd": zstd.decompress,
}


def pull_bytes(server: Server, encoding: str) -> tuple[int, int]:
    """Bytes of a full pull as sent with `encoding`, and how many changes it carried."""
    headers, _ = _sign_in(server)
    cursor, total, changes = "0", 0, 0
    while True:
        response = requests.get(
            f"{server.base_url}/api/sync/pull?cursor={cursor}&limit=500",
            headers={**headers, "Accept-Encoding": encoding},
            stream=True,
            timeout=60,
        )
        response.raw.decode_content = False
        assert response.headers.get("Content-Encoding", "identity") == encoding
        sent = response.raw.read()
        total += len(sent)
        page = json.loads(DECODE[encoding](sent))
        changes += len(page["changes"])
        cursor = page["cursor"]
        if not page["has_more"]:
            return total, changes


def main() -> None:
    with tempfile.TemporaryDirectory() as directory, running_app(Path(directory)) as server:
        [(village_id,)] = server.query(
            "SELECT id FROM villages WHERE district_code = '6501' ORDER BY id LIMIT 1"
        )
        mutations = make_mutations(village_id, random.Random(65))
        push_plain, push_gzip = push_all(server, mutations)
        per_record = {}
        for encoding in ENCODINGS:
            total, changes = pull_bytes(server, encoding)
            per_record[encoding] = total / changes
            print(
                f"pull {encoding:>8}: {total:>9,} bytes, {changes} changes "
                f"(records and reference data), {per_record[encoding]:6.0f} B/change"
            )
        print(
            f"push     plain: {push_plain:>9,} bytes, {push_plain / len(mutations):6.0f} B/record"
        )
        print(f"push      gzip: {push_gzip:>9,} bytes, {push_gzip / len(mutations):6.0f} B/record")
        print(
            f"pull_plain_bpr={per_record['identity']:.0f} pull_gzip_bpr={per_record['gzip']:.0f} "
            f"pull_br_bpr={per_record['br']:.0f} pull_zstd_bpr={per_record['zstd']:.0f} "
            f"push_plain_bpr={push_plain / len(mutations):.0f} "
            f"push_gzip_bpr={push_gzip / len(mutations):.0f}"
        )


if __name__ == "__main__":
    main()
