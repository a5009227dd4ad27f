"""Push throughput with and without the record history: this tree against a baseline tree.

The record history writes one row per applied write, in the push's own transaction
(docs/architecture.md, Record history). This measures what that costs: the same push workload
over HTTP against gunicorn serving this tree and serving a baseline checkout (by default the
main worktree, `BASELINE=/path/to/checkout`), on fresh SQLite databases, alternately REPEATS
times (default 3) so the machine's drift falls on both alike. The workload: RECORDS concerns
created in batches of 200, then each updated once (two fields) in batches of 200.

Rates are records per CPU-second of the client plus the gunicorn processes (sync_bench.Clock);
the last line is machine-readable (medians of the rounds; the ratio is the median of each
round's ratio, its two runs measured back to back):
history_push_rps=… baseline_push_rps=… history_ratio=…
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

import orjson
from sync_bench import ROOT, Client, Clock, server

BASELINE = Path(os.environ.get("BASELINE", "/work/main"))
RECORDS = int(os.environ.get("RECORDS", "2000"))
BATCH = 200
REPEATS = int(os.environ.get("REPEATS", "3"))


def batches(village_id: str, device_id: str) -> list[bytes]:
    ids = [str(uuid.uuid4()) for _ in range(RECORDS)]
    out = []
    for op in ("create", "update"):
        for start in range(0, RECORDS, BATCH):
            mutations = []
            for n, record_id in enumerate(ids[start : start + BATCH], start):
                fields = (
                    {
                        "village_id": village_id,
                        "category_code": "roads",
                        "description": f"ถนนชำรุดเป็นหลุมลึก หน้าบ้านเลขที่ {n} ชาวบ้านสัญจรลำบาก",
                        "urgency": "normal",
                        "reported_at": "2026-03-01T10:00:00+07:00",
                        "lat": 16.82,
                        "lon": 100.26,
                    }
                    if op == "create"
                    else {"description": f"ถนนชำรุดเป็นหลุมลึก ยาว {n % 50} เมตร", "urgency": "high"}
                )
                mutations.append(
                    {"mutation_id": str(uuid.uuid4()), "entity": "concern", "record_id": record_id,
                     "op": op, "base_version": 0 if op == "create" else 1, "fields": fields}
                )  # fmt: skip
            body = {"device_id": device_id, "mutations": mutations}
            out.append(json.dumps(body, ensure_ascii=False).encode())
    return out


def push_rate(tree: Path, directory: Path) -> float:
    database = f"sqlite:///{directory / 'fieldapp.sqlite3'}"
    with server(database, directory, tree=tree) as (base, pid):
        client = Client(base)
        login = client.json(
            "POST", "/api/auth/login",
            {"username": "demo-official", "password": "demo-pass-2026", "device_name": "bench"},
        )  # fmt: skip
        client.headers["Authorization"] = f"Bearer {login['token']}"
        villages = client.json("GET", "/api/villages")
        bodies = batches(villages[0]["id"], login["device_id"])
        with Clock(pid) as clock:
            for body in bodies:
                status, content = client.request("POST", "/api/sync/push", body)
                if status != 200:
                    raise RuntimeError(f"push: HTTP {status}: {content[:300]!r}")
                results = orjson.loads(content)["results"]
                assert {r["status"] for r in results} == {"applied"}, results[0]
    return 2 * RECORDS / clock.cpu


def main() -> None:
    ours, theirs = [], []
    with tempfile.TemporaryDirectory(prefix="fieldapp-history-bench-") as tmp:
        for index in range(REPEATS):
            for tree, rates, name in ((BASELINE, theirs, "baseline"), (ROOT, ours, "history")):
                directory = Path(tmp) / f"{name}-{index}"
                directory.mkdir()
                rates.append(push_rate(tree, directory))
            print(f"round {index + 1}: baseline {theirs[-1]:,.0f}, history {ours[-1]:,.0f} "
                  f"rec/s per CPU-second ({ours[-1] / theirs[-1]:.3f})")  # fmt: skip
    mine, base = statistics.median(ours), statistics.median(theirs)
    # each round's pair ran back to back: the median of their ratios drifts least
    ratio = statistics.median(o / t for o, t in zip(ours, theirs, strict=True))
    print(f"{RECORDS} concern creates + {RECORDS} updates, batches of {BATCH}; "
          f"baseline tree {BASELINE}, this tree {ROOT}")  # fmt: skip
    print(f"history_push_rps={mine:.0f} baseline_push_rps={base:.0f} history_ratio={ratio:.3f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
