"""How far one machine goes: PostgreSQL push throughput and latency with 1, 8 and 32 devices.

Every write takes the change feed's counter row (fieldapp/changefeed.py) inside its
transaction, so concurrent pushes queue on that one row lock. This measures what that costs:
N devices push batches of 50 visits as fast as the server answers, for `--seconds` per level,
against `make run`'s gunicorn (2 workers × 4 threads by default) on a PostgreSQL database it
creates and drops. Not part of `make test`. The last line is machine-readable:
devices=1 rps=… p95_ms=… devices=8 … devices=32 …  (rps: mutations stored per second)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadkit import Device, Stats, create_users, percentile, server_for

BATCH = 50


def level(base: str, devices: list[Device], seconds: float) -> tuple[float, float, float]:
    """Each device pushes visit batches back to back; returns (mutations/s, p50, p95)."""
    stats = Stats()
    for device in devices:
        device.stats = stats
    stop = time.monotonic() + seconds

    def run(device: Device) -> int:
        stored = 0
        while time.monotonic() < stop:
            batch = [device.visit() for _ in range(BATCH)]
            device.push(batch, retry=False)
            stored += BATCH
        return stored

    started = time.monotonic()
    with ThreadPoolExecutor(len(devices)) as pool:
        stored = sum(pool.map(run, devices))
    elapsed = time.monotonic() - started
    pushes = sorted(stats.latencies["push"])
    return stored / elapsed, percentile(pushes, 50), percentile(pushes, 95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--levels", default="1,8,32")
    parser.add_argument("--database", default="postgresql")
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]
    most = max(levels)
    figures = []
    with (
        tempfile.TemporaryDirectory(prefix="scale-") as tmp,
        server_for(args.database, Path(tmp), seed_users=lambda url: create_users(url, most, 0)) as (
            base,
            _url,
            _photos,
        ),
    ):
        phones = [Device(base, f"load-{i:03d}", Stats()) for i in range(most)]
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(Device.sign_in, phones))
        print(f"{'devices':>8}{'mutations/s':>13}{'push p50 ms':>13}{'push p95 ms':>13}")
        for n in levels:
            rate, p50, p95 = level(base, phones[:n], args.seconds)
            print(f"{n:>8}{rate:>13.0f}{p50:>13.0f}{p95:>13.0f}")
            figures.append(f"devices={n} rps={rate:.0f} p95_ms={p95:.0f}")
    print(" ".join(figures))


if __name__ == "__main__":
    main()
