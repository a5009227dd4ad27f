"""Exports of 100,000 concerns: time, time to first byte and peak memory per format.

Prints, per format, the seconds, the seconds until the first bytes could be sent, the file size
and the process's peak resident memory above what it held before the export (Linux VmHWM,
reset before each run). The XLSX writer (fieldapp/reports/xlsx.py) is measured against the
baseline it replaced, xlsxwriter in constant_memory mode written to a temporary file and sent
once finished, in the same run, and the ratios are printed. Not part of the tests.

    .venv/bin/python bench/export_bench.py            # 100,000 rows, SQLite
    ROWS=20000 DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/export_bench.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade
from sqlalchemy import select

from fieldapp import create_app
from fieldapp.auth.visibility import actor_for
from fieldapp.extensions import db
from fieldapp.models import User, Village
from fieldapp.reports.exports import ExportRequest, export_chunks, export_query, stream_rows
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


def xlsxwriter_baseline(query, request: ExportRequest) -> Iterator[bytes]:
    """The writer before fieldapp/reports/xlsx.py: the whole workbook, then its bytes."""
    import xlsxwriter  # the bench's baseline only (a dev dependency)

    for header, rows in stream_rows(query):
        with tempfile.TemporaryFile() as out:
            book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_numbers": False})
            sheet = book.add_worksheet(request.entity)
            sheet.write_row(0, 0, header, book.add_format({"bold": True}))
            for index, row in enumerate(rows, start=1):
                sheet.write_row(index, 0, row)
            book.close()
            out.seek(0)
            while chunk := out.read(64 * 1024):
                yield chunk


def measure(name: str, chunks: Iterator[bytes]) -> dict[str, float]:
    _reset_peak()
    before = _kib("VmRSS")
    began = time.perf_counter()
    first = None
    size = 0
    for chunk in chunks:
        if first is None and chunk:
            first = time.perf_counter() - began
        size += len(chunk)
    seconds = time.perf_counter() - began
    peak = (_kib("VmHWM") - before) / 1024
    print(
        f"{name:18} {ROWS} rows  {seconds:6.1f} s  first byte {first:6.2f} s  "
        f"{size / 1e6:6.1f} MB  peak +{peak:.1f} MiB RSS"
    )
    return {"s": seconds, "ttfb": first or seconds, "peak": peak, "mb": size / 1e6}


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
        results = {}
        for fmt in ("csv", "geojson", "xlsx"):
            request = ExportRequest("concerns", fmt, personal=True)
            query = export_query(actor, request)
            if fmt == "xlsx":
                baseline = xlsxwriter_baseline(query, request)
                results["xlsxwriter"] = measure("xlsx (xlsxwriter)", baseline)
            results[fmt] = measure(fmt, export_chunks(query, request))
        base, new = results["xlsxwriter"], results["xlsx"]
        print(
            f"xlsx vs xlsxwriter baseline: time x{new['s'] / base['s']:.2f}, "
            f"first byte x{new['ttfb'] / base['ttfb']:.4f}, "
            f"peak memory x{new['peak'] / max(base['peak'], 0.1):.2f}"
        )
        print(
            "RESULT "
            + " ".join(
                f"{f}_s={r['s']:.1f} {f}_ttfb_s={r['ttfb']:.2f} {f}_peak_mib={r['peak']:.1f}"
                for f, r in results.items()
            )
        )


if __name__ == "__main__":
    main()
