"""A device talking to the real gunicorn server over HTTP, and a look at what it stored."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from e2e.server import DEMO_PASSWORD, running_app
from sqlalchemy import create_engine, text


class Phone:
    """A signed-in device: pushes the same batch again on every retry, as the PWA does."""

    def __init__(self, base_url: str, username: str = "demo-official") -> None:
        self.base_url = base_url
        login = requests.post(
            f"{base_url}/api/auth/login",
            json={"username": username, "password": DEMO_PASSWORD, "device_name": "fault"},
            timeout=30,
        )
        login.raise_for_status()
        self.device_id = login.json()["device_id"]
        self.headers = {"Authorization": f"Bearer {login.json()['token']}"}
        villages = requests.get(f"{base_url}/api/villages", headers=self.headers, timeout=30)
        self.village_id = villages.json()[0]["id"]

    def outbox(self) -> list[dict[str, Any]]:
        """A visit, a concern raised during it and a comment on the concern."""
        visit, concern = str(uuid.uuid4()), str(uuid.uuid4())

        def mutation(entity: str, record_id: str, fields: dict[str, Any]) -> dict[str, Any]:
            return {
                "mutation_id": str(uuid.uuid4()),
                "entity": entity,
                "record_id": record_id,
                "op": "create",
                "fields": fields,
            }

        return [
            mutation(
                "visit",
                visit,
                {"village_id": self.village_id, "visited_at": "2026-03-01T09:30:00+07:00"},
            ),
            mutation(
                "concern",
                concern,
                {
                    "village_id": self.village_id,
                    "category_code": "roads",
                    "description": "ถนนชำรุด",
                    "reported_at": "2026-03-01T10:00:00+07:00",
                    "visit_id": visit,
                },
            ),
            mutation("followup", str(uuid.uuid4()), {"concern_id": concern, "body": "ติดตาม"}),
        ]

    def push(self, mutations: list[dict[str, Any]], timeout: float = 60) -> requests.Response:
        return requests.post(
            f"{self.base_url}/api/sync/push",
            json={"device_id": self.device_id, "mutations": mutations},
            headers=self.headers,
            timeout=timeout,
        )


def stored_counts(database_url: str, mutations: list[dict[str, Any]]) -> dict[str, int]:
    """How many times the server stored each part of the batch (read from the database)."""
    mutation_ids = [m["mutation_id"] for m in mutations]
    record_ids = [m["record_id"] for m in mutations]
    engine = create_engine(database_url)
    counts = {}
    with engine.connect() as conn:
        for name, sql, ids in (
            ("log", "SELECT count(*) FROM applied_mutations WHERE mutation_id = :id", mutation_ids),
            ("feed", "SELECT count(*) FROM changes WHERE record_id = :id", record_ids),
        ):
            counts[name] = sum(conn.execute(text(sql), {"id": i}).scalar_one() for i in ids)
        counts["records"] = sum(
            conn.execute(text(f"SELECT count(*) FROM {table} WHERE id = :id"), {"id": i}).scalar()
            for table, i in zip(("visits", "concerns", "followup_entries"), record_ids, strict=True)
        )
    engine.dispose()
    return counts


def paused_worker(signal: Path, timeout: float = 60) -> int:
    """The pid a fault point wrote once a worker stopped there."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if signal.exists() and signal.read_text():
            return int(signal.read_text())
        time.sleep(0.05)  # another process writes the file: there is nothing to await
    raise AssertionError("no worker reached the fault point")


@dataclass
class PausedPush:
    """A push sent from `phone` whose worker stopped right before its COMMIT."""

    phone: Phone
    batch: list[dict[str, Any]]
    answer: Future
    worker_pid: int
    resume: Path  # touch it to let the worker go on


@contextmanager
def push_paused_before_commit(tmp_path: Path, database_url: str) -> Iterator[PausedPush]:
    """gunicorn on `database_url` with one push held at the fault point before its COMMIT."""
    paused = tmp_path / "paused"
    with (
        running_app(
            tmp_path,
            DATABASE_URL=database_url,
            FIELDAPP_FAULT_PAUSE=f"sync.push.before_commit:{paused}",
        ) as server,
        ThreadPoolExecutor(1) as pool,
    ):
        phone = Phone(server.base_url)
        batch = phone.outbox()
        answer = pool.submit(phone.push, batch)
        yield PausedPush(phone, batch, answer, paused_worker(paused), Path(f"{paused}.resume"))


def assert_retry_stores_it_once(push: PausedPush, database_url: str) -> None:
    """Nothing of the interrupted push was kept; its retry applies it, a replay changes nothing."""
    assert stored_counts(database_url, push.batch) == {"log": 0, "feed": 0, "records": 0}
    retry = push.phone.push(push.batch)
    assert retry.status_code == 200, retry.text
    assert [r["status"] for r in retry.json()["results"]] == ["applied"] * 3
    again = push.phone.push(push.batch)
    assert [r["status"] for r in again.json()["results"]] == ["duplicate"] * 3
    assert stored_counts(database_url, push.batch) == {"log": 3, "feed": 3, "records": 3}
