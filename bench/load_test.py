"""A province syncing at the end of the day: 200 devices against `make run`'s gunicorn.

Each simulated device signs in, then, round after round, pushes a batch of 50 mutations of
every kind (visits naming a photo, inspections, concern creates and updates, follow-up
comments; supervisor devices add workflow transitions on their district's concerns), uploads
the photo by tus (a small real JPEG) and pulls to the end of the feed. Some batches are sent
twice, as a phone does when an answer is lost. It runs for `--seconds` (default 120) on
SQLite, then on a PostgreSQL database it creates and drops, 127.0.0.1 only.

200 devices share a bounded pool of client threads (`--concurrency`, default 16): on a
2-core machine the devices take turns, as phones coming back to signal do. At the end the
database is read directly: every mutation answered must be stored exactly once (mutation log,
records' versions, quarantine, timeline entries), every uploaded photo must be stored, and no
request may have answered 5xx.

Not part of `make test`. The last line is machine-readable (PostgreSQL's run, the last):
rps=… p50_ms=… p95_ms=… p99_ms=… lost=… duplicated=… errors_5xx=…
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadkit import Device, Stats, check_store, create_users, server_for

DEVICES = 200
SUPERVISOR_SHARE = 10  # one device in ten is a supervisor's


def run(database: str, seconds: float, devices: int, concurrency: int) -> dict[str, float]:
    """One timed run against a fresh database; returns the summary figures."""
    # Kept when the run fails, for its gunicorn.log; removed when it passes.
    tmp = tempfile.mkdtemp(prefix=f"load-{database}-", dir=os.environ.get("BENCH_TMP"))
    supervisors = devices // SUPERVISOR_SHARE
    with server_for(
        database, Path(tmp), seed_users=lambda url: create_users(url, devices, supervisors)
    ) as (base, url, photo_dir):
        stats = Stats()
        phones = [Device(base, f"load-{i:03d}", stats) for i in range(devices)]
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(Device.sign_in, phones))
        stop = time.monotonic() + seconds
        queue = list(phones)
        lock = threading.Lock()

        def worker() -> None:
            while time.monotonic() < stop:
                with lock:  # round robin: the device that waited longest goes next
                    device = queue.pop(0)
                try:
                    device.sync_round()
                finally:
                    with lock:
                        queue.append(device)

        started = time.monotonic()
        with ThreadPoolExecutor(concurrency) as pool:
            for future in [pool.submit(worker) for _ in range(concurrency)]:
                future.result()
        elapsed = time.monotonic() - started
        verdict = check_store(url, photo_dir, phones)
    summary = stats.report(database, elapsed, verdict)
    if not (summary["lost"] or summary["duplicated"] or summary["errors_5xx"]):
        shutil.rmtree(tmp)
    else:
        print(f"server log and data kept in {tmp}")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--devices", type=int, default=DEVICES)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    summaries = []
    for database in args.databases.split(","):
        summaries.append(run(database, args.seconds, args.devices, args.concurrency))
    last = summaries[-1]
    print(
        " ".join(
            f"{k}={last[k]}"
            for k in ("rps", "p50_ms", "p95_ms", "p99_ms", "lost", "duplicated", "errors_5xx")
        )
    )
    failed = any(s["lost"] or s["duplicated"] or s["errors_5xx"] for s in summaries)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
