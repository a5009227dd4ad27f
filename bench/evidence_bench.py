"""What the evidence checks cost (docs/evidence.md): the pHash comparison of one after-photo
against N earlier photos, and a resolve push with the checks against the same push without.

In one process on SQLite (a fresh migrated database per N), through Flask's test client:
N photos with random 64-bit pHashes are stored, then concerns are reported, assigned and
resolved by an official's push with one after-photo whose bytes have arrived. Measured in the
same run, alternately, REPEATS times each (median reported):

- `compare`: `closest_likeness` of one hash against the N hashes, already in memory (pure);
- `store`: the whole check of one concern (`check_concerns`: the N hashes read and parsed,
  compared, the row written);
- `push`: one resolve push with the checks; `baseline`: the same push with the checks
  switched off (`check_evidence` replaced by a no-op for the baseline run only).

Prints milliseconds and the ratios `compare/baseline`, `store/baseline`, `push/baseline`.
The last line is machine-readable. N defaults to 10,000 and 100,000 (EVIDENCE_BENCH_N).
"""

from __future__ import annotations

import io
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fieldapp import create_app  # noqa: E402
from fieldapp.evidence import resolving  # noqa: E402
from fieldapp.evidence.checks import EvidenceRules, Likeness, closest_likeness  # noqa: E402
from fieldapp.evidence.store import check_concerns  # noqa: E402
from fieldapp.extensions import db  # noqa: E402
from fieldapp.photos.likeness import bands  # noqa: E402
from fieldapp.syncstore import write  # noqa: E402

SIZES = [int(n) for n in os.environ.get("EVIDENCE_BENCH_N", "10000,100000").split(",")]
REPEATS = int(os.environ.get("REPEATS", "15"))
PASSWORD = "bench-pass-2026"


def new_id() -> str:
    return str(uuid.uuid4())


def jpeg(seed: int) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGB", (640, 480), tuple(rng.randrange(256) for _ in range(3)))
    for _ in range(8):
        box = [rng.randrange(640), rng.randrange(480)]
        box += [box[0] + rng.randrange(60, 300), box[1] + rng.randrange(60, 200)]
        image.paste(tuple(rng.randrange(256) for _ in range(3)), box)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


class Province:
    """A fresh app with N hashed photos, an official and a supervisor signed in."""

    def __init__(self, base: Path, photos: int) -> None:
        from flask_migrate import upgrade

        from fieldapp.auth.passwords import hash_password
        from fieldapp.models import District, Subdistrict, User, Village
        from fieldapp.seed import seed_reference_data

        self.app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'bench.sqlite3'}",
                "PHOTO_DIR": str(base / "photos"),
                "TESTING": True,
                "SECRET_KEY": "bench",
                "RATELIMIT_ENABLED": False,
            }
        )
        self.context = self.app.app_context()
        self.context.push()
        upgrade()
        seed_reference_data()
        users = {}
        for role in ("official", "supervisor"):
            users[role] = User(
                username=f"bench-{role}",
                display_name=role,
                role=role,
                password_hash=hash_password(PASSWORD),
                active=True,
                districts=[db.session.get(District, "6501")],
            )
            db.session.add(users[role])
        sub = db.session.get(Subdistrict, "650101")
        village = Village(subdistrict_code=sub.code, district_code="6501", moo=1, name_th="บ้าน")
        db.session.add(village)
        db.session.commit()
        self.village_id, self.official_id = village.id, users["official"].id
        self._store_photos(photos)
        self.client = self.app.test_client()
        self.official = self._login("bench-official")
        self.supervisor = self._login("bench-supervisor")

    def _store_photos(self, count: int) -> None:
        from fieldapp.models import Photo, PhotoHashBand

        rng = random.Random(count)
        earlier = datetime(2025, 1, 1, tzinfo=UTC)
        rows = [
            {
                "sha256": f"{i:064x}",
                "mime_type": "image/jpeg",
                "size_bytes": 100_000,
                "width": 1600,
                "height": 1200,
                "phash": f"{rng.getrandbits(64):016x}",
                "created_at": earlier,
            }
            for i in range(count)
        ]
        band_rows = [
            {"band": band, "value": value, "sha256": row["sha256"]}
            for row in rows
            for band, value in bands(int(row["phash"], 16))
        ]
        for start in range(0, count, 10_000):
            db.session.execute(Photo.__table__.insert(), rows[start : start + 10_000])
        for start in range(0, len(band_rows), 50_000):
            db.session.execute(PhotoHashBand.__table__.insert(), band_rows[start : start + 50_000])
        db.session.commit()
        self.hashes = [int(r["phash"], 16) for r in rows]

    def _login(self, username: str) -> dict[str, str]:
        answer = self.client.post(
            "/api/auth/login", json={"username": username, "password": PASSWORD}
        ).get_json()
        return {"Authorization": f"Bearer {answer['token']}", "X-Device-Id": answer["device_id"]}

    def push(self, *mutations) -> list[dict]:
        body = {"device_id": self.official["X-Device-Id"], "mutations": list(mutations)}
        response = self.client.post("/api/sync/push", json=body, headers=self.official)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["results"]

    def assigned_concern(self, seed: int) -> tuple[str, str]:
        """A concern assigned to the official, with the bytes of its after-photo uploaded."""
        cid = new_id()
        fields = {
            "village_id": self.village_id,
            "category_code": "roads",
            "description": "ถนนเป็นหลุม",
            "reported_at": "2026-03-14T08:00:00+07:00",
            "lat": 16.821,
            "lon": 100.26,
        }
        [made] = self.push(
            {"mutation_id": new_id(), "entity": "concern", "record_id": cid, "op": "create",
             "fields": fields}
        )  # fmt: skip
        assert made["status"] == "applied", made
        step = {"action": "assign", "assignee_id": self.official_id}
        url = f"/api/concerns/{cid}/transitions"
        assert self.client.post(url, json=step, headers=self.supervisor).status_code == 200
        data = jpeg(seed)
        return cid, _upload(self.client, self.official, data)

    def resolve(self, cid: str, sha: str) -> float:
        mutation = {
            "mutation_id": new_id(),
            "entity": "concern",
            "record_id": cid,
            "op": "transition",
            "base_version": 2,
            "transition": {"action": "resolve", "note": "ซ่อมแล้ว"},
            "photos": [
                {
                    "sha256": sha,
                    "role": "after",
                    "exif": {"taken_at": "2026-03-14T09:30:00+07:00", "gps_lat": 16.8211,
                             "gps_lon": 100.2601},
                }
            ],
        }  # fmt: skip
        started = time.perf_counter()
        [answer] = self.push(mutation)
        elapsed = time.perf_counter() - started
        assert answer["status"] == "applied", answer
        return elapsed

    def close(self) -> None:
        db.session.remove()
        db.engine.dispose()
        self.context.pop()


def _upload(client, headers, data: bytes) -> str:
    import base64
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    meta = ",".join(
        f"{k} {base64.b64encode(v.encode()).decode()}"
        for k, v in {"filename": "a.jpg", "filetype": "image/jpeg", "sha256": sha}.items()
    )
    tus = {"Tus-Resumable": "1.0.0"}
    created = client.post(
        "/api/uploads/",
        headers={**headers, **tus, "Upload-Length": str(len(data)), "Upload-Metadata": meta},
    )
    assert created.status_code == 201, created.get_json()
    patched = client.patch(
        created.headers["Location"],
        headers={
            **headers,
            **tus,
            "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream",
        },
        data=data,
    )
    assert patched.status_code == 204, patched.get_json()
    return sha


@contextmanager
def checks_off():
    """The baseline: the same push, its evidence checks replaced by a no-op."""
    real = write.check_evidence
    write.check_evidence = lambda result, actor: None
    try:
        yield
    finally:
        write.check_evidence = real


def measure(size: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        province = Province(Path(tmp), size)
        try:
            rules = EvidenceRules()
            others = [
                Likeness(h, f"{i:064x}", "earlier_photo") for i, h in enumerate(province.hashes)
            ]
            target = random.Random(7).getrandbits(64)
            timings: dict[str, list[float]] = {
                "compare": [],
                "store": [],
                "push": [],
                "baseline": [],
            }
            for round_ in range(REPEATS):
                started = time.perf_counter()
                closest_likeness(target, others, rules)
                timings["compare"].append(time.perf_counter() - started)
                cid, sha = province.assigned_concern(2 * round_)
                with checks_off():
                    timings["baseline"].append(province.resolve(cid, sha))
                started = time.perf_counter()
                check_concerns([cid])
                db.session.rollback()
                timings["store"].append(time.perf_counter() - started)
                cid, sha = province.assigned_concern(2 * round_ + 1)
                timings["push"].append(province.resolve(cid, sha))
            return {name: statistics.median(values) for name, values in timings.items()}
        finally:
            province.close()


def main() -> None:
    assert resolving.check_evidence is write.check_evidence
    figures = {}
    for size in SIZES:
        m = measure(size)
        figures[size] = m
        base = m["baseline"]
        print(
            f"N={size:>7,}: compare {m['compare'] * 1000:7.2f} ms"
            f"  store {m['store'] * 1000:7.2f} ms"
            f"  push {m['push'] * 1000:7.2f} ms  baseline push {base * 1000:7.2f} ms"
            f"  | compare/baseline {m['compare'] / base:.2f}  store/baseline"
            f" {m['store'] / base:.2f}  push/baseline {m['push'] / base:.2f}"
        )
    print(
        " ".join(
            f"n{size}_compare_ratio={m['compare'] / m['baseline']:.3f}"
            f" n{size}_push_ratio={m['push'] / m['baseline']:.3f}"
            for size, m in figures.items()
        )
    )


if __name__ == "__main__":
    main()
