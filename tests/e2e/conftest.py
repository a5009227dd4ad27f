"""Browser tests: the real app under gunicorn, the built PWA, and Debian's Chromium.

The server runs in a subprocess on a free 127.0.0.1 port (a secure context, so the service
worker registers) with a fresh SQLite database and photo directory of its own.
"""

from __future__ import annotations

import io
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "static" / "dist"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "demo-pass-2026"


def pytest_configure(config: pytest.Config) -> None:
    from playwright.sync_api import expect

    # A sync with photo uploads on a slow CI machine takes longer than Playwright's 5 s default.
    expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@dataclass
class Server:
    """The running app: where it listens and where its data lives."""

    base_url: str
    database: Path
    photo_dir: Path

    def query(self, sql: str, *params: object) -> list[tuple]:
        """Read the server's database directly (what is really stored)."""
        with sqlite3.connect(self.database) as conn:
            return conn.execute(sql, params).fetchall()

    def login(self, username: str) -> dict[str, str]:
        """Bearer headers for an API client acting beside the browser."""
        response = requests.post(
            f"{self.base_url}/api/auth/login",
            json={"username": username, "password": DEMO_PASSWORD, "device_name": "e2e"},
            timeout=10,
        )
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['token']}"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with {process.returncode}")
        try:
            if requests.get(f"{url}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)  # polling a server that is starting; there is nothing to await
    raise RuntimeError("the app did not become healthy")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not (DIST / "index.html").exists() or not (DIST / "sw.js").exists():
        pytest.fail("static/dist is not built: run `make pwa` (cd static && npm run build)")
    base = tmp_path_factory.mktemp("e2e-app")
    database = base / "fieldapp.sqlite3"
    env = {
        **os.environ,
        "FIELDAPP_INSTANCE": str(base / "instance"),
        "DATABASE_URL": f"sqlite:///{database}",
        "PHOTO_DIR": str(base / "photos"),
        "SECRET_KEY": "e2e-secret",
        "FIELDAPP_ENV": "development",
        "FIELDAPP_DEMO": "1",
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "FLASK_APP": "fieldapp",
    }
    env.pop("REDIS_URL", None)
    flask = [sys.executable, "-m", "flask", "--app", "fieldapp"]
    for command in (["db", "upgrade"], ["seed"]):
        subprocess.run([*flask, *command], env=env, cwd=ROOT, check=True, capture_output=True)
    port = _free_port()
    env.update(HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY="2", GUNICORN_THREADS="4")
    log = (base / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "fieldapp:create_app()"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield Server(url, database, base / "photos")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser, server: Server):
    """A fresh browser profile: no service worker, no IndexedDB, nothing cached."""
    context = browser.new_context(base_url=server.base_url, locale="th-TH", service_workers="allow")
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


def camera_jpeg(seed: int, size: tuple[int, int] = (2400, 1800)) -> bytes:
    """A camera-like JPEG, bigger than the 1600 px the phone uploads; each seed differs."""
    width, height = size
    image = Image.new("RGB", size, (90, 140 - seed * 20 % 140, 60))
    draw = ImageDraw.Draw(image)
    for i in range(0, width, 60):
        top = (i * (7 + seed)) % height
        colour = (i % 255, 80 + seed * 30 % 175, 200 - i % 200)
        draw.rectangle([i, top, i + 40, top + 300], fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture(scope="session")
def photos() -> list[bytes]:
    """Three different photos (one per record: the same bytes would be one photo)."""
    return [camera_jpeg(seed) for seed in range(3)]
