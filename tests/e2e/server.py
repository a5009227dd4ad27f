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
from dataclasses import dataclass, field
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
    env: dict[str, str] = field(default_factory=dict, repr=False)
    process: subprocess.Popen | None = field(default=None, repr=False)
    log: Path | None = field(default=None, repr=False)

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

    def flask(self, *args: str) -> str:
        """Run a `flask` command (e.g. escalate-overdue) on this app's data and clock."""
        done = subprocess.run(
            [*FLASK, *args], env=self.env, cwd=ROOT, check=True, capture_output=True, text=True
        )
        return done.stdout

    def restart(self, **env: str) -> None:
        """Serve again on the same address (same origin for the browser) with changed settings,
        e.g. FIELDAPP_FAKE_NOW to move the server's clock past a due date."""
        self.stop()
        self.env.update(env)
        self.process = _serve(self.env, self.log)
        _wait_healthy(self.base_url, self.process)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.process = None


FLASK = [sys.executable, "-m", "flask", "--app", "fieldapp"]


def _serve(env: dict[str, str], log: Path) -> subprocess.Popen:
    gunicorn = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
    with log.open("ab") as out:
        return subprocess.Popen(
            [*gunicorn, "fieldapp:create_app()"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


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
    for command in (["db", "upgrade"], ["seed"]):
        subprocess.run([*FLASK, *command], env=env, cwd=ROOT, check=True, capture_output=True)
    port = _free_port()
    env.update(HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY="2", GUNICORN_THREADS="4")
    log = base / "server.log"
    url = f"http://127.0.0.1:{port}"
    server = Server(url, database, base / "photos", env=env, process=_serve(env, log), log=log)
    try:
        _wait_healthy(url, server.process)
        yield server
    finally:
        server.stop()
