"""Sync throughput over HTTP against gunicorn, beside the floor of raw sqlite3 in one process.

Pushes 10,000 realistic visits (Thai text, about 1 KB each) in batches of 200 over one
keep-alive connection, then pulls them all in pages of 500. The floor, measured in the same
run: Python's sqlite3 `executemany` inserting the same rows into a table shaped like `visits`
in one transaction, and reading them back with their JSON columns parsed.

A second floor shows where push's time goes: raw sqlite3 doing exactly the writes push makes
(the record, its mutation-log entry and its change-feed entry, in the real schema, committed
per batch of 200), with no validation, merge or HTTP.

The machine may be shared and its speed drifts, so the floor and the server are measured
alternately REPEATS times (default 5) on fresh databases, the floor right before and right
after each server run; the round with the median push ratio is reported. Runs on SQLite, and
once on PostgreSQL too when TEST_DATABASE_URL (or the local default) is reachable. The last
line is machine-readable (the SQLite figures):
push_rps=… pull_rps=… push_floor_ratio=… pull_floor_ratio=…
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RECORDS = 10_000
BATCH = 200
PAGE = 500
REPEATS = int(os.environ.get("REPEATS", "5"))
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

WORDS = [
    "ชาวบ้าน",
    "ผู้ใหญ่บ้าน",
    "กำนัน",
    "ประชุม",
    "ศาลาประชาคม",
    "ปัญหา",
    "น้ำประปา",
    "ถนน",
    "ไฟฟ้า",
    "ขยะ",
    "ผักปลอดภัย",
    "วิสาหกิจชุมชน",
    "หมอกควัน",
    "ไฟป่า",
    "สุขภาพ",
    "ภัยพิบัติ",
    "โครงการ",
    "ความสะอาด",
    "ต่อต้านการทุจริต",
    "อาสาสมัคร",
    "โรงเรียน",
    "วัด",
    "ตลาด",
    "เกษตรกร",
    "ข้าว",
    "มะม่วง",
    "ชลประทาน",
    "งบประมาณ",
    "ติดตาม",
]
TOPICS = ["clean_tidy", "safe_vegetables", "haze", "disaster", "health", "general"]


def thai_text(rng: random.Random, chars: int) -> str:
    words: list[str] = []
    length = 0
    while length < chars:
        word = rng.choice(WORDS)
        words.append(word)
        length += len(word) + 1
    return " ".join(words)


def make_records(village_id: str) -> list[dict]:
    """10,000 visits of about 1 KB of JSON each (UTF-8)."""
    rng = random.Random(65)
    records = []
    for i in range(RECORDS):
        records.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "village_id": village_id,
                "visited_at": f"2026-03-{1 + i % 28:02d}T{8 + i % 9:02d}:30:00+07:00",
                "companions": [thai_text(rng, 12), thai_text(rng, 12)],
                "topics": rng.sample(TOPICS, 2),
                "villagers_met": rng.randint(5, 120),
                "notes": thai_text(rng, 290),
                "lat": 16.8 + rng.random() / 10,
                "lon": 100.2 + rng.random() / 10,
                "gps_accuracy_m": round(rng.uniform(3, 40), 1),
            }
        )
    return records


# -- the floor ---------------------------------------------------------------------------------

FLOOR_TABLE = """
CREATE TABLE visits (
  id VARCHAR(36) PRIMARY KEY, version INTEGER NOT NULL, field_versions JSON NOT NULL,
  deleted BOOLEAN NOT NULL, device_id VARCHAR(64), observed_at DATETIME,
  created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, created_by_id INTEGER,
  village_id VARCHAR(36) NOT NULL, district_code VARCHAR(4) NOT NULL,
  lat FLOAT, lon FLOAT, gps_accuracy_m FLOAT, visited_at DATETIME NOT NULL,
  companions JSON NOT NULL, topics JSON NOT NULL, villagers_met INTEGER, notes TEXT NOT NULL
);
CREATE INDEX ix_visits_village_id ON visits (village_id);
CREATE INDEX ix_visits_district_code ON visits (district_code);
CREATE INDEX ix_visits_created_by_id ON visits (created_by_id);
"""


def floor(records: list[dict], directory: Path) -> dict[str, float]:
    """Records per second (wall and CPU): executemany in one transaction, and read back with
    the JSON columns parsed."""
    con = sqlite3.connect(directory / "floor.sqlite3")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")  # the server's durability: on disk at commit
    con.executescript(FLOOR_TABLE)
    now = "2026-03-01 00:00:00.000000"
    rows = [
        (
            r["id"],
            1,
            "{}",
            0,
            "bench",
            None,
            now,
            now,
            1,
            r["village_id"],
            "6501",
            r["lat"],
            r["lon"],
            r["gps_accuracy_m"],
            r["visited_at"],
            json.dumps(r["companions"], ensure_ascii=False),
            json.dumps(r["topics"]),
            r["villagers_met"],
            r["notes"],
        )
        for r in records
    ]
    wall, cpu = time.perf_counter(), time.process_time()  # the rows are ready: insert alone
    with con:
        con.executemany(f"INSERT INTO visits VALUES ({','.join('?' * 19)})", rows)
    out = {
        "push_wall": len(records) / (time.perf_counter() - wall),
        "push_cpu": len(records) / (time.process_time() - cpu),
    }
    con.row_factory = sqlite3.Row
    wall, cpu = time.perf_counter(), time.process_time()
    parsed = []
    for row in con.execute("SELECT * FROM visits"):
        item = dict(row)
        item["companions"] = json.loads(item["companions"])
        item["topics"] = json.loads(item["topics"])
        item["field_versions"] = json.loads(item["field_versions"])
        parsed.append(item)
    out["pull_wall"] = len(parsed) / (time.perf_counter() - wall)
    out["pull_cpu"] = len(parsed) / (time.process_time() - cpu)
    con.close()
    assert len(parsed) == len(records)
    return out


def same_writes(records: list[dict], database: Path) -> float:
    """Records per CPU-second for raw sqlite3 making exactly push's writes, in the real schema
    (migrated and seeded): per record the visit row, its mutation-log entry and its change-feed
    entry; per batch of 200 the feed counter and a commit. No validation, merge or HTTP."""
    con = sqlite3.connect(database, isolation_level=None)
    for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=FULL"):
        con.execute(f"PRAGMA {pragma}")
    village_id, district = con.execute("SELECT id, district_code FROM villages LIMIT 1").fetchone()
    (user_id,) = con.execute("SELECT id FROM users WHERE username = 'demo-official'").fetchone()
    device_id, now = str(uuid.uuid4()), "2026-03-01 00:00:00.000000"
    visits, log, feed = [], [], []
    (last,) = con.execute("SELECT value FROM change_counter WHERE id = 1").fetchone()
    for seq, r in enumerate(records, start=last + 1):
        mutation_id = str(uuid.uuid4())
        writer = json.dumps({"~w": {"*": [user_id, device_id, mutation_id]}})
        outcome = {"status": "applied", "entity": "visit", "record_id": r["id"], "version": 1}
        visits.append(
            (
                village_id,
                district,
                r["visited_at"].replace("T", " "),
                json.dumps(r["companions"], ensure_ascii=False),
                json.dumps(r["topics"]),
                r["villagers_met"],
                r["notes"],
                r["id"],
                1,
                writer,
                0,
                device_id,
                None,
                now,
                now,
                user_id,
                r["lat"],
                r["lon"],
                r["gps_accuracy_m"],
            )
        )
        log.append((mutation_id, device_id, user_id, json.dumps(outcome), now))
        feed.append((seq, "visit", r["id"], district, user_id, None, now))
    columns = (
        "village_id, district_code, visited_at, companions, topics, villagers_met, notes, id, "
        "version, field_versions, deleted, device_id, observed_at, created_at, updated_at, "
        "created_by_id, lat, lon, gps_accuracy_m"
    )
    cpu = time.process_time()
    for start in range(0, len(records), BATCH):
        end = start + BATCH
        con.execute("BEGIN IMMEDIATE")
        con.executemany(
            f"INSERT INTO visits ({columns}) VALUES ({','.join('?' * 19)})", visits[start:end]
        )
        con.executemany("INSERT INTO applied_mutations VALUES (?, ?, ?, ?, ?)", log[start:end])
        con.execute("UPDATE change_counter SET value = value + ? WHERE id = 1", (BATCH,))
        con.executemany(
            "INSERT INTO changes (seq, entity, record_id, district_code, owner_id, assignee_id,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            feed[start:end],
        )
        con.execute("COMMIT")
    rate = len(records) / (time.process_time() - cpu)
    con.close()
    return rate


# -- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(database_url: str, directory: Path, copy_to: Path | None = None, tree: Path = ROOT):
    """gunicorn serving `tree`'s code (another checkout's, for bench/history_bench.py)."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),  # the tree's fieldapp, not the shared venv's editable one
        "DATABASE_URL": database_url,
        "FIELDAPP_INSTANCE": str(directory),
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "FLASK_APP": "fieldapp",
        "FIELDAPP_DEMO": "1",
    }
    for command in (["db", "upgrade"], ["seed"]):
        subprocess.run(
            [str(BIN / "flask"), *command], env=env, cwd=tree, check=True, capture_output=True
        )
    if copy_to is not None:  # the migrated, seeded database, untouched, for same_writes()
        source = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        source.execute(f"VACUUM INTO '{copy_to}'")
        source.close()
    log = open(directory / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "fieldapp:create_app()"],
        env=env,
        cwd=tree,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                probe = Client(base)
                ready = probe.request("GET", "/healthz")[0] == 200
                probe.connection.close()
                if ready:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn did not start; see {directory / 'gunicorn.log'}")
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children that are still running."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1] is the parent pid
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


class Clock:
    """Wall time, and the CPU time of this client plus the gunicorn processes serving it.

    The machine may be shared: CPU seconds count only the work done for these requests, so
    the rates stay comparable from run to run; wall-clock rates are printed beside them."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid

    def __enter__(self) -> Clock:
        self.wall = time.perf_counter()
        self.cpu = time.process_time() + _cpu_seconds(self.server_pid)
        return self

    def __exit__(self, *_: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() + _cpu_seconds(self.server_pid) - self.cpu


class Client:
    """One keep-alive HTTP/1.1 connection, as a phone's fetch() keeps one: the standard
    library's http.client, so the client's own CPU stays small beside the server's."""

    def __init__(self, base: str) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=60)
        self.headers: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        return response.status, response.read()

    def json(self, method: str, path: str, body: object = None) -> object:
        data = None if body is None else orjson.dumps(body)
        status, content = self.request(method, path, data)
        if status >= 300:
            raise RuntimeError(f"{method} {path}: HTTP {status}: {content[:300]!r}")
        return orjson.loads(content)


def push_batches(records: list[dict], device_id: str) -> list[bytes]:
    batches = []
    for start in range(0, RECORDS, BATCH):
        mutations = []
        for record in records[start : start + BATCH]:
            fields = {k: v for k, v in record.items() if k != "id"}
            mutations.append(
                {
                    "mutation_id": str(uuid.uuid4()),
                    "entity": "visit",
                    "record_id": record["id"],
                    "op": "create",
                    "fields": fields,
                }
            )
        # As the PWA sends it: JSON.stringify writes Thai as UTF-8, not as \\u escapes.
        body = json.dumps({"device_id": device_id, "mutations": mutations}, ensure_ascii=False)
        batches.append(body.encode())
    return batches


def run_http(base: str, server_pid: int) -> dict[str, float]:
    client = Client(base)
    login = client.json(
        "POST",
        "/api/auth/login",
        {"username": "demo-official", "password": "demo-pass-2026", "device_name": "bench"},
    )
    client.headers["Authorization"] = f"Bearer {login['token']}"
    villages = client.json("GET", "/api/villages")
    batches = push_batches(make_records(villages[0]["id"]), login["device_id"])
    with Clock(server_pid) as push_clock:
        for body in batches:
            status, content = client.request("POST", "/api/sync/push", body)
            if status != 200:
                raise RuntimeError(f"push: HTTP {status}: {content[:300]!r}")
            statuses = {r["status"] for r in orjson.loads(content)["results"]}
            assert statuses == {"applied"}, statuses

    cursor, pulled = "0", 0
    with Clock(server_pid) as pull_clock:
        for _ in range(RECORDS // PAGE + 50):
            data = client.json("GET", f"/api/sync/pull?cursor={cursor}&limit={PAGE}")
            pulled += sum(1 for c in data["changes"] if c["entity"] == "visit")
            cursor = data["cursor"]
            if not data["has_more"]:
                break
    assert pulled == RECORDS, pulled
    return {
        "push_wall": RECORDS / push_clock.wall,
        "push_cpu": RECORDS / push_clock.cpu,
        "pull_wall": pulled / pull_clock.wall,
        "pull_cpu": pulled / pull_clock.cpu,
    }


def postgres_database() -> str | None:
    """A fresh database on the local PostgreSQL, or None when it is not reachable."""
    try:
        from sqlalchemy import create_engine, make_url, text

        admin = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
        name = f"fieldapp_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    except Exception as exc:
        print(f"postgresql: not reachable ({type(exc).__name__}), skipped")
        return None


def drop_postgres(url: str) -> None:
    from sqlalchemy import create_engine, make_url, text

    admin = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def _rates(name: str, r: dict[str, float]) -> str:
    return (
        f"{name}: push {r['push_wall']:,.0f} rec/s wall, {r['push_cpu']:,.0f} per CPU-second; "
        f"pull {r['pull_wall']:,.0f} rec/s wall, {r['pull_cpu']:,.0f} per CPU-second"
    )


def measure_sqlite(directory: Path) -> dict[str, float]:
    """One round: the floor, the server over HTTP, and push's own writes, back to back."""
    records = make_records(str(uuid.uuid4()))
    (directory / "before").mkdir()
    (directory / "after").mkdir()
    before = floor(records, directory / "before")
    writes = directory / "writes.sqlite3"
    database = f"sqlite:///{directory / 'fieldapp.sqlite3'}"
    with server(database, directory, copy_to=writes) as (base, pid):
        http = run_http(base, pid)
    after = floor(records, directory / "after")
    # The floor right before and right after the server's run: the machine's speed drifts.
    rates = {f"floor_{k}": (before[k] + after[k]) / 2 for k in before}
    rates.update(http)
    with sqlite3.connect(writes) as con:
        village_id = con.execute("SELECT id FROM villages LIMIT 1").fetchone()[0]
    rates["writes_cpu"] = same_writes(make_records(village_id), writes)
    rates["push_ratio"] = rates["push_cpu"] / rates["floor_push_cpu"]
    rates["pull_ratio"] = rates["pull_cpu"] / rates["floor_pull_cpu"]
    return rates


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="fieldapp-bench-") as tmp:
        directory = Path(tmp)
        rounds = []
        for index in range(REPEATS):
            round_dir = directory / f"sqlite-{index}"
            round_dir.mkdir()
            rates = measure_sqlite(round_dir)
            rounds.append(rates)
            print(
                f"round {index + 1}: push {rates['push_cpu']:,.0f} rec/s per CPU-second "
                f"({rates['push_ratio']:.3f} of the floor), pull {rates['pull_cpu']:,.0f} "
                f"({rates['pull_ratio']:.3f})"
            )
        # The median round for push, and (separately) the median round for pull.
        rates = sorted(rounds, key=lambda r: r["push_ratio"])[len(rounds) // 2]
        pulls = sorted(rounds, key=lambda r: r["pull_ratio"])[len(rounds) // 2]
        print(f"median of {REPEATS} rounds (push; pull from its own median round):")
        pull_keys = ("pull_wall", "pull_cpu", "pull_ratio", "floor_pull_wall", "floor_pull_cpu")
        rates = {**rates, **{key: pulls[key] for key in pull_keys}}
        floor_rates = {
            k.removeprefix("floor_"): v for k, v in rates.items() if k.startswith("floor_")
        }
        print(_rates("floor (sqlite3 executemany; read + JSON parse)", floor_rates))
        print(_rates("sqlite over HTTP", rates))
        print(
            f"push's own writes in raw sqlite3 (3 rows a record, commit per 200): "
            f"{rates['writes_cpu']:,.0f} rec/s per CPU-second = "
            f"{rates['writes_cpu'] / floor_rates['push_cpu']:.2f} of the floor; "
            f"push reaches {rates['push_cpu'] / rates['writes_cpu']:.3f} of it"
        )
        url = postgres_database()
        if url:
            pg_dir = directory / "pg"
            pg_dir.mkdir()
            try:
                with server(url, pg_dir) as (base, pid):
                    # PostgreSQL's own server processes are not counted in CPU-seconds here.
                    print(_rates("postgresql over HTTP", run_http(base, pid)))
            finally:
                drop_postgres(url)
        print("for scale: pouchdb-server about 5,000 rec/s push and 9,500 pull on this machine")
        # Rates per CPU-second on both sides: the floor and the server measured alike, and
        # unaffected by whatever else the machine runs. On an idle machine wall ~ CPU.
        push_ratio, pull_ratio = rates["push_ratio"], rates["pull_ratio"]
        wall_push = rates["push_wall"] / floor_rates["push_wall"]
        wall_pull = rates["pull_wall"] / floor_rates["pull_wall"]
        print(
            f"targets: push >= 0.25 of the floor ({push_ratio:.3f}; wall clock {wall_push:.3f}), "
            f"pull >= 0.25 ({pull_ratio:.3f}; wall clock {wall_pull:.3f}); "
            ">= 10,000 push and 19,000 pull rec/s"
        )
        print(
            f"push_rps={rates['push_cpu']:.0f} pull_rps={rates['pull_cpu']:.0f} "
            f"push_floor_ratio={push_ratio:.3f} pull_floor_ratio={pull_ratio:.3f}"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
