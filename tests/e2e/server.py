"""Run the real app (gunicorn, the built PWA) on a free 127.0.0.1 port with its own data.

Used by the browser tests and by bench/pwa_bench.py. 127.0.0.1 is a secure context, so the
service worker registers over plain HTTP.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "static" / "dist"
DEMO_PASSWORD = "demo-pass-2026"
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


@contextmanager
def running_app(base: Path, **extra_env: str) -> Iterator[Server]:
    """Migrate and seed a fresh SQLite database under `base`, serve it, stop it afterwards."""
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
        **extra_env,
    }
    env.pop("REDIS_URL", None)
    flask = [sys.executable, "-m", "flask", "--app", "fieldapp"]
    for command in (["db", "upgrade"], ["seed"]):
        subprocess.run([*flask, *command], env=env, cwd=ROOT, check=True, capture_output=True)
    port = _free_port()
    env.update(HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY="2", GUNICORN_THREADS="4")
    with (base / "server.log").open("wb") as log:
        gunicorn = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
        process = subprocess.Popen(
            [*gunicorn, "fieldapp:create_app()"],
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
                process.wait()
