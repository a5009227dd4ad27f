"""Exports of 100,000 concerns: time and peak memory per format (streamed, bounded).

Prints, per format, the seconds, the file size and the process's peak resident memory above
what it held before the export (Linux VmHWM, reset before each run). Not part of the tests.

    .venv/bin/python bench/export_bench.py            # 100,000 rows, SQLite
    ROWS=20000 DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/export_bench.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade
from sqlalchemy import select

from fieldapp import create_app
from fieldapp.auth.visibility import actor_for
from fieldapp.extensions import db
from fieldapp.models import User, Village
from fieldapp.reports.exports import ExportRequest, export_chunks, export_query
from fieldapp.reports.filters import ReportFilter
from fieldapp.seed import seed_demo
from tests.reports.test_export_memory import add_concerns

ROWS = int(os.environ.get("ROWS", "100000"))


def _kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := current RSS


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="export-bench-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PHOTO_DIR": str(folder / "photos")})
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        village = db.session.scalars(select(Village).limit(1)).one()
        for start in range(0, ROWS, 10_000):
            add_concerns(village, min(10_000, ROWS - start), start=start)
        admin = db.session.scalars(select(User).where(User.role == "admin")).first()
        actor = actor_for(admin, "bench")
        results = []
        for fmt in ("csv", "geojson", "xlsx"):
            request = ExportRequest("concerns", fmt, ReportFilter(), personal=True)
            _reset_peak()
            before = _kib("VmRSS")
            began = time.perf_counter()
            size = sum(len(c) for c in export_chunks(export_query(actor, request), request))
            seconds = time.perf_counter() - began
            peak = _kib("VmHWM") - before
            results.append((fmt, seconds, size, peak))
            print(
                f"{fmt:8} {ROWS} rows  {seconds:6.1f} s  {size / 1e6:6.1f} MB  "
                f"peak +{peak / 1024:.1f} MiB RSS"
            )
        print(
            "RESULT "
            + " ".join(f"{f}_s={s:.1f} {f}_peak_mib={p / 1024:.1f}" for f, s, _, p in results)
        )


if __name__ == "__main__":
    main()
