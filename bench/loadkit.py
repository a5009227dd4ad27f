"""The pieces of bench/load_test.py and bench/scale_bench.py: servers, users, devices, checks."""

from __future__ import annotations

import base64
import hashlib
import http.client
import io
import os
import random
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from PIL import Image
from sync_bench import drop_postgres, postgres_database, server

PASSWORD = "load-pass-2026"
DISTRICTS = [f"65{n:02d}" for n in range(1, 10)]
TOPICS = ["clean_tidy", "safe_vegetables", "haze", "disaster", "health", "general"]
ITEMS = ["entrance", "waste_sorting", "drainage", "greenery", "toilets"]
NEXT_ACTION = {"new": "accept", "accepted": "start", "in_progress": "resolve", "resolved": "close"}
STORED = {"applied", "merged", "conflict"}


# -- the server ---------------------------------------------------------------------------------


@contextmanager
def server_for(
    database: str, directory: Path, seed_users: Callable[[str], None]
) -> Iterator[tuple[str, str, Path]]:
    """gunicorn as `make run` starts it, on a fresh SQLite file or PostgreSQL database."""
    os.environ["LOGIN_RATE_LIMIT"] = "100000 per minute"  # 200 sign-ins from one address
    os.environ.pop("REDIS_URL", None)
    if database == "sqlite":
        url = f"sqlite:///{directory / 'fieldapp.sqlite3'}"
    else:
        made = postgres_database()
        if made is None:
            raise SystemExit("PostgreSQL is not reachable (TEST_DATABASE_URL)")
        url = made
    try:
        with server(url, directory) as (base, _pid):
            seed_users(url)
            yield base, url, directory / "photos"
    finally:
        if database != "sqlite":
            drop_postgres(url)


def create_users(url: str, devices: int, supervisors: int) -> None:
    """Officials and supervisors spread over the nine districts, sharing one password hash."""
    from fieldapp import create_app
    from fieldapp.auth.passwords import hash_password
    from fieldapp.extensions import db
    from fieldapp.models import District, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    every = max(1, devices // max(supervisors, 1))
    with app.app_context():
        password_hash = hash_password(PASSWORD)
        districts = {d.code: d for d in db.session.query(District)}
        for i in range(devices):
            role = "supervisor" if supervisors and i % every == every - 1 else "official"
            db.session.add(
                User(
                    username=f"load-{i:03d}",
                    display_name=f"ผู้ทดสอบโหลด {i}",
                    role=role,
                    password_hash=password_hash,
                    districts=[districts[DISTRICTS[i % len(DISTRICTS)]]],
                )
            )
        db.session.commit()
        db.engine.dispose()


# -- measuring ----------------------------------------------------------------------------------


@dataclass
class Stats:
    """Latencies per operation, status counts and the anomalies the devices saw."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=lambda: Counter())
    anomalies: Counter = field(default_factory=lambda: Counter())
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, operation: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies[operation].append(seconds)
            self.statuses[status] += 1

    def note(self, anomaly: str, count: int = 1) -> None:
        with self.lock:
            self.anomalies[anomaly] += count

    def report(self, database: str, elapsed: float, verdict: dict[str, int]) -> dict[str, Any]:
        # Sign-in and the first pull happen before the clock starts (argon2 is slow on purpose):
        # shown, not summed.
        before = {"login", "first_pull"}
        every = sorted(
            s for op, values in self.latencies.items() if op not in before for s in values
        )
        print(f"\n== {database}: {len(every)} requests in {elapsed:.0f} s ==")
        print(f"{'operation':<16}{'count':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
        for operation, values in sorted(self.latencies.items()):
            values = sorted(values)
            print(
                f"{operation:<16}{len(values):>8}{len(values) / elapsed:>9.1f}"
                + "".join(f"{percentile(values, q):>9.0f}" for q in (50, 95, 99))
            )
        errors_5xx = sum(n for status, n in self.statuses.items() if status >= 500)
        print(f"statuses: {dict(sorted(self.statuses.items()))}")
        print(f"device-side: {dict(sorted(self.anomalies.items()))}")
        print(f"store check: {verdict}")
        return {
            "rps": round(len(every) / elapsed, 1),
            "p50_ms": round(percentile(every, 50)),
            "p95_ms": round(percentile(every, 95)),
            "p99_ms": round(percentile(every, 99)),
            "lost": verdict["lost"],
            "duplicated": verdict["duplicated"] + self.anomalies["retry_reapplied"],
            "errors_5xx": errors_5xx,
        }


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not sorted_values:
        return 0.0
    rank = max(0, min(len(sorted_values) - 1, round(q / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank] * 1000


# -- one phone ----------------------------------------------------------------------------------

_local = threading.local()


def small_jpeg(rng: random.Random) -> bytes:
    """A real, unique JPEG of a few KB: noise scaled up, as a low-quality phone photo."""
    tiny = Image.frombytes("RGB", (32, 24), rng.randbytes(32 * 24 * 3))
    out = io.BytesIO()
    tiny.resize((320, 240)).save(out, "JPEG", quality=70)
    return out.getvalue()


def new_id() -> str:
    return str(uuid.uuid4())


class Device:
    """A signed-in phone with an outbox, the records it knows and a pull cursor."""

    def __init__(self, base: str, username: str, stats: Stats) -> None:
        self.host, port = base.removeprefix("http://").split(":")
        self.port = int(port)
        self.username = username
        self.stats = stats
        self.rng = random.Random(username)
        self.token = self.device_id = ""
        self.supervisor = False
        self.cursor = "0"
        self.villages: list[str] = []
        self.template_id = 0
        self.own_concerns: dict[str, int] = {}  # id -> version the device knows
        self.district_concerns: dict[str, tuple[str, int]] = {}  # id -> (status, version)
        self.outcomes: dict[str, dict[str, Any]] = {}  # mutation id -> first outcome
        self.sent: dict[str, dict[str, Any]] = {}  # mutation id -> mutation
        self.photos: set[str] = set()

    # HTTP: one keep-alive connection per client thread; a device's requests use its thread's.
    def request(
        self, operation: str, method: str, path: str, body: bytes | None = None, **headers: str
    ) -> tuple[int, dict[str, str], bytes]:
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        for attempt in range(3):
            connection = getattr(_local, "connection", None)
            if connection is None:
                connection = _local.connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=120
                )
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                content = response.read()
            except (OSError, http.client.HTTPException):
                connection.close()  # the server closed an idle keep-alive: reconnect
                _local.connection = None
                self.stats.note("connection_retry")
                if attempt == 2:
                    raise
                continue
            self.stats.record(operation, time.perf_counter() - started, response.status)
            return response.status, dict(response.getheaders()), content
        raise AssertionError("unreachable")

    def json(self, operation: str, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else orjson.dumps(body)
        headers = {"Content-Type": "application/json"} if data is not None else {}
        for _ in range(10):
            status, _headers, content = self.request(operation, method, path, data, **headers)
            if status < 500:
                break
            time.sleep(0.5)  # a 5xx is counted; retry as the protocol says
        if status >= 300:
            raise RuntimeError(f"{self.username} {method} {path}: {status} {content[:300]!r}")
        return orjson.loads(content)

    def sign_in(self) -> None:
        login = self.json(
            "login",
            "POST",
            "/api/auth/login",
            {"username": self.username, "password": PASSWORD, "device_name": "load"},
        )
        self.token, self.device_id = login["token"], login["device_id"]
        self.supervisor = login["user"]["role"] == "supervisor"
        self.pull("first_pull")  # reference data and villages, before the clock starts

    def sync_round(self) -> None:
        """Push, upload, pull: the order the protocol asks for."""
        photo = small_jpeg(self.rng)
        batch = self.batch(hashlib.sha256(photo).hexdigest())
        self.push(batch, retry=False)
        if self.rng.random() < 0.05:  # the answer was lost: the phone sends it again
            self.push(batch, retry=True)
        self.upload(photo)
        self.pull()

    # -- building a batch
    def batch(self, sha256: str) -> list[dict[str, Any]]:
        mutations: list[dict[str, Any]] = []
        if self.supervisor:
            mutations += self.transitions(20)
        kinds = ["visit"] * 14 + ["inspection"] * 8 + ["concern"] * 10
        kinds += ["update"] * 10 + ["followup"] * 8
        self.rng.shuffle(kinds)
        for kind in kinds[: 49 - len(mutations)]:
            mutations.append(self.mutation(kind))
        mutations.append(self.visit(photos=[{"sha256": sha256, "caption": "ศาลาประชาคม"}]))
        for m in mutations:
            self.sent[m["mutation_id"]] = m
        return mutations

    def mutation(self, kind: str) -> dict[str, Any]:
        concerns = list(self.own_concerns)
        if kind in ("update", "followup") and not concerns:
            kind = "concern"
        if kind == "visit":
            return self.visit()
        if kind == "inspection":
            return self.create("inspection", self.inspection_fields())
        if kind == "concern":
            record_id = new_id()
            self.own_concerns[record_id] = 1
            return self.create(
                "concern",
                {
                    "village_id": self.rng.choice(self.villages),
                    "category_code": self.rng.choice(["roads", "water", "waste", "electricity"]),
                    "description": f"ถนนชำรุด หมู่ {self.rng.randint(1, 12)} {new_id()[:8]}",
                    "reported_at": "2026-03-01T10:00:00+07:00",
                    "urgency": self.rng.choice(["low", "normal", "high"]),
                },
                record_id,
            )
        concern = self.rng.choice(concerns)
        if kind == "update":
            base = self.own_concerns[concern]
            self.own_concerns[concern] = base + 1
            fields = {"description": f"ปรับปรุงรายละเอียด {new_id()[:8]}"}
            return self.envelope("concern", concern, "update", base, fields=fields)
        return self.create("followup", {"concern_id": concern, "body": "ติดตามกับผู้ใหญ่บ้าน"})

    def visit(self, photos: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        fields = {
            "village_id": self.rng.choice(self.villages),
            "visited_at": "2026-03-01T09:30:00+07:00",
            "topics": self.rng.sample(TOPICS, 2),
            "companions": ["นายสมชาย ใจดี"],
            "villagers_met": self.rng.randint(5, 80),
            "notes": "ประชุมประจำเดือนที่ศาลาประชาคม " * 8,
        }
        mutation = self.create("visit", fields)
        if photos:
            mutation["photos"] = photos
        return mutation

    def inspection_fields(self) -> dict[str, Any]:
        return {
            "village_id": self.rng.choice(self.villages),
            "place_type": self.rng.choice(["school", "temple", "market", "household"]),
            "place_name": "โรงเรียนบ้านหนองแขม",
            "inspected_at": "2026-03-01T11:00:00+07:00",
            "template_id": self.template_id,
            "scores": {k: {"score": self.rng.randint(0, 5), "note": ""} for k in ITEMS},
            "followup_needed": False,
        }

    def transitions(self, most: int) -> list[dict[str, Any]]:
        open_concerns = [
            (cid, status, version)
            for cid, (status, version) in self.district_concerns.items()
            if status in NEXT_ACTION
        ]
        self.rng.shuffle(open_concerns)
        out = []
        for cid, status, version in open_concerns[:most]:
            transition: dict[str, Any] = {"action": NEXT_ACTION[status], "from_status": status}
            if status == "in_progress":
                transition["note"] = "ซ่อมเรียบร้อยแล้ว"
            out.append(self.envelope("concern", cid, "transition", version, transition=transition))
            self.district_concerns.pop(cid)  # the next pull says where it went
        return out

    def create(
        self, entity: str, fields: dict[str, Any], record_id: str | None = None
    ) -> dict[str, Any]:
        return self.envelope(entity, record_id or new_id(), "create", 0, fields=fields)

    def envelope(
        self, entity: str, record_id: str, op: str, base: int, **parts: Any
    ) -> dict[str, Any]:
        return {
            "mutation_id": new_id(),
            "entity": entity,
            "record_id": record_id,
            "op": op,
            "base_version": base,
            "observed_at": "2026-03-01T12:00:00+07:00",
            **parts,
        }

    # -- the three steps of a sync
    def push(self, batch: list[dict[str, Any]], retry: bool) -> None:
        answer = self.json(
            "push_retry" if retry else "push",
            "POST",
            "/api/sync/push",
            {"device_id": self.device_id, "mutations": batch},
        )
        for result in answer["results"]:
            mutation_id = result["mutation_id"]
            if retry:
                if result["status"] != "duplicate":
                    self.stats.note("retry_reapplied")
                continue
            if result["status"] == "duplicate":  # a lost answer's retry: the first outcome
                result = {**result["original"], "mutation_id": mutation_id}
            self.outcomes.setdefault(mutation_id, result)
            if result["status"] == "rejected":
                self.stats.note(f"rejected_{result.get('reason')}")
                if os.environ.get("LOAD_DEBUG"):
                    print(self.username, self.sent[mutation_id], result)
            if result["record_id"] in self.own_concerns and "version" in result:
                self.own_concerns[result["record_id"]] = result["version"]

    def upload(self, photo: bytes) -> None:
        sha256 = hashlib.sha256(photo).hexdigest()
        pairs = {"filename": "photo.jpg", "filetype": "image/jpeg", "sha256": sha256}
        metadata = ",".join(
            f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in pairs.items()
        )
        status, headers, content = self.request(
            "upload_create",
            "POST",
            "/api/uploads/",
            None,
            **{"Tus-Resumable": "1.0.0", "Upload-Length": str(len(photo))},
            **{"Upload-Metadata": metadata, "Content-Length": "0"},
        )
        if status != 201:
            raise RuntimeError(f"tus creation: {status} {content[:300]!r}")
        digest = base64.b64encode(hashlib.sha256(photo).digest()).decode()
        status, _, content = self.request(
            "upload_patch",
            "PATCH",
            headers["Location"],
            photo,
            **{"Tus-Resumable": "1.0.0", "Upload-Offset": headers["Upload-Offset"]},
            **{"Content-Type": "application/offset+octet-stream"},
            **{"Upload-Checksum": f"sha256 {digest}"},
        )
        if status != 204:
            raise RuntimeError(f"tus PATCH: {status} {content[:300]!r}")
        self.photos.add(sha256)

    def pull(self, operation: str = "pull") -> None:
        for _ in range(10_000):
            page = self.json(operation, "GET", f"/api/sync/pull?cursor={self.cursor}&limit=500")
            if page.get("reset"):
                self.stats.note("reset")
            for change in page["changes"]:
                self.take(change)
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return

    def take(self, change: dict[str, Any]) -> None:
        record, entity = change["record"], change["entity"]
        if entity == "village" and record and change["id"] not in self.villages:
            self.villages.append(change["id"])
        elif entity == "template" and record:
            self.template_id = int(change["id"])
        elif entity == "concern" and record:
            if change["id"] in self.own_concerns:
                self.own_concerns[change["id"]] = max(
                    record["version"], self.own_concerns[change["id"]]
                )
            if self.supervisor:
                self.district_concerns[change["id"]] = (record["status"], record["version"])


# -- the end-of-run check -----------------------------------------------------------------------


def check_store(url: str, photo_dir: Path, devices: list[Device]) -> dict[str, int]:
    """Read the database: each answered mutation stored once, versions and timelines exact."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    outcomes = {mid: o for d in devices for mid, o in d.outcomes.items()}
    sent = {mid: m for d in devices for mid, m in d.sent.items()}
    expected_version: dict[str, int] = defaultdict(int)
    transitions: dict[str, int] = defaultdict(int)
    for mid, outcome in outcomes.items():
        if outcome["status"] in STORED:
            expected_version[outcome["record_id"]] += 1
            if sent[mid]["op"] == "transition":
                transitions[outcome["record_id"]] += 1
    problems: dict[str, int] = defaultdict(int)
    with engine.connect() as conn:
        logged = {r[0] for r in conn.execute(text("SELECT mutation_id FROM applied_mutations"))}
        quarantined = Counter()
        for (mid,) in conn.execute(text("SELECT mutation_id FROM quarantined_mutations")):
            quarantined[mid] += 1
        versions = {}
        for table in ("visits", "inspections", "concerns"):
            versions.update(dict(conn.execute(text(f"SELECT id, version FROM {table}")).all()))
        comments = {r[0] for r in conn.execute(text("SELECT id FROM followup_entries"))}
        timeline = Counter()
        for (concern_id,) in conn.execute(
            text("SELECT concern_id FROM followup_entries WHERE kind <> 'comment'")
        ):
            timeline[concern_id] += 1
        photos = {r[0] for r in conn.execute(text("SELECT sha256 FROM photos"))}
    engine.dispose()
    unanswered = set(sent) - set(outcomes)
    problems["lost_unanswered"] = len(unanswered)
    for mid, outcome in outcomes.items():
        if mid not in logged:
            problems["lost_log"] += 1
        if outcome["status"] == "rejected" and quarantined[mid] != 1:
            problems["lost_quarantine" if not quarantined[mid] else "dup_quarantine"] += 1
    for record_id, version in expected_version.items():
        # Follow-up entries are append-only: a stored one counts as version 1.
        stored = versions.get(record_id, 1 if record_id in comments else 0)
        if stored < version:
            problems["lost_version"] += 1
        elif stored > version:
            problems["dup_version"] += 1
    for concern_id, count in transitions.items():
        if timeline[concern_id] != count:
            problems["lost_timeline" if timeline[concern_id] < count else "dup_timeline"] += 1
    uploaded = {sha for d in devices for sha in d.photos}
    for sha in uploaded:
        on_disk = (photo_dir / "original" / sha[:2] / sha[2:4] / sha).is_file()
        if sha not in photos or not on_disk:
            problems["lost_photo"] += 1
    lost = sum(n for k, n in problems.items() if k.startswith("lost"))
    duplicated = sum(n for k, n in problems.items() if k.startswith("dup"))
    applied = sum(1 for o in outcomes.values() if o["status"] in STORED)
    return {
        "mutations": len(outcomes),
        "stored": applied,
        "rejected": len(outcomes) - applied,
        "photos": len(uploaded),
        "lost": lost,
        "duplicated": duplicated,
        **{k: n for k, n in problems.items() if n},
    }
