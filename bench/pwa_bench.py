"""PWA budgets: initial JS and precache size from static/dist, offline start and photo resize
measured in Chromium. Prints figures; asserts nothing.

Budgets (issue 5): initial JS ≤ 60 KB gzipped; precache ≤ 400 KB without icons; offline cold
start to an interactive home screen < 1 s; resizing a 12-megapixel photo < 1.5 s.
The last line is machine-readable:
    initial_js_kb_gz=… precache_kb=… offline_start_ms=… resize_12mp_ms=…

Run: .venv/bin/python bench/pwa_bench.py   (after `make pwa`; needs /usr/bin/chromium)
"""

from __future__ import annotations

import gzip
import io
import re
import statistics
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, DEMO_PASSWORD, DIST, running_app  # noqa: E402

RUNS = 5


class _InitialScripts(HTMLParser):
    """The scripts index.html loads before the first screen: the entry and its preloads."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("type") == "module" and a.get("src"):
            self.paths.append(a["src"])
        if tag == "link" and a.get("rel") == "modulepreload" and a.get("href"):
            self.paths.append(a["href"])


def initial_js_kb_gz() -> float:
    parser = _InitialScripts()
    parser.feed((DIST / "index.html").read_text())
    total = sum(len(gzip.compress((DIST / p.lstrip("/")).read_bytes(), 9)) for p in parser.paths)
    return total / 1024


def precache_kb() -> tuple[float, int]:
    """Bytes of every precache entry injected into sw.js, icons left out."""
    urls = re.findall(r'"?url"?:"([^"]+)"', (DIST / "sw.js").read_text())
    files = [u for u in urls if not u.startswith("icons/")]
    return sum((DIST / u).stat().st_size for u in files) / 1024, len(urls)


def twelve_megapixels() -> bytes:
    """A 4000×3000 camera-like JPEG with enough detail to cost a real decode."""
    image = Image.new("RGB", (4000, 3000), (70, 120, 60))
    draw = ImageDraw.Draw(image)
    for x in range(0, 4000, 23):
        draw.line([(x, 0), (4000 - x, 3000)], fill=(x % 256, (x * 3) % 256, 120), width=7)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _sign_in(page, base_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base_url}/app")
    page.get_by_label("ชื่อผู้ใช้").fill("demo-official")
    page.get_by_label("รหัสผ่าน").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.locator("html")).to_have_attribute("data-sync", "done", timeout=30_000)
    page.evaluate("navigator.serviceWorker.ready.then((r) => Boolean(r.active))")


def measure_browser(base_url: str, photo: bytes) -> tuple[float, float]:
    """Median offline cold start (browser restarted, offline) and median 12 MP resize, in ms."""
    from playwright.sync_api import expect, sync_playwright

    starts: list[float] = []
    resizes: list[float] = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        launch = {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}
        context = playwright.chromium.launch_persistent_context(profile, **launch)
        _sign_in(context.new_page(), base_url)
        context.close()
        for _ in range(RUNS):
            # A cold start: a new browser process on the same profile, with no network at all.
            context = playwright.chromium.launch_persistent_context(profile, offline=True, **launch)
            page = context.new_page()
            page.goto(f"{base_url}/app")
            expect(page.locator("#sync-button")).to_be_visible()
            starts.append(
                page.evaluate("performance.getEntriesByName('fieldapp-home-ready')[0].startTime")
            )
            page.goto(f"{base_url}/app/visit/new")
            field = page.locator("input[type=file][data-item-key='']")
            field.set_input_files(
                files=[{"name": "IMG_12MP.jpg", "mimeType": "image/jpeg", "buffer": photo}]
            )
            expect(field.locator("xpath=..").locator("li")).to_have_count(1, timeout=30_000)
            resizes.append(
                page.evaluate(
                    "performance.getEntriesByName('fieldapp-photo-resize').at(-1).duration"
                )
            )
            context.close()
    return statistics.median(starts), statistics.median(resizes)


def main() -> None:
    if not (DIST / "sw.js").exists():
        sys.exit("static/dist is not built: run `make pwa` first")
    js = initial_js_kb_gz()
    precache, entries = precache_kb()
    print(f"initial JavaScript (entry + modulepreloads), gzip -9: {js:.1f} KB (budget 60)")
    print(f"precache without icons: {precache:.1f} KB in {entries} entries (budget 400)")
    photo = twelve_megapixels()
    with tempfile.TemporaryDirectory() as base, running_app(Path(base)) as app:
        start_ms, resize_ms = measure_browser(app.base_url, photo)
    print(f"offline cold start to interactive home, median of {RUNS}: {start_ms:.0f} ms (< 1000)")
    print(f"12 MP photo resize in the worker, median of {RUNS}: {resize_ms:.0f} ms (< 1500)")
    print(
        f"initial_js_kb_gz={js:.1f} precache_kb={precache:.1f} "
        f"offline_start_ms={start_ms:.0f} resize_12mp_ms={resize_ms:.0f}"
    )


if __name__ == "__main__":
    main()
