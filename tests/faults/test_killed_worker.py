"""A gunicorn worker killed with SIGKILL in the middle of a push: nothing of the push is kept,
and the device's retry of the same batch stores it, once."""

from __future__ import annotations

import os
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from e2e.server import running_app
from faults.served import Phone, paused_worker, stored_counts

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def test_a_worker_killed_before_its_push_commits_leaves_nothing_and_the_retry_stores_it_once(
    tmp_path: Path, own_database: str
):
    paused = tmp_path / "paused"
    with running_app(
        tmp_path,
        DATABASE_URL=own_database,
        FIELDAPP_FAULT_PAUSE=f"sync.push.before_commit:{paused}",
    ) as server:
        phone = Phone(server.base_url)
        batch = phone.outbox()
        with ThreadPoolExecutor(1) as pool:
            first = pool.submit(phone.push, batch)
            # The worker wrote every row of the push and stopped right before COMMIT.
            os.kill(paused_worker(paused), signal.SIGKILL)
            with pytest.raises(requests.ConnectionError):
                first.result()

        assert stored_counts(own_database, batch) == {"log": 0, "feed": 0, "records": 0}

        retry = phone.push(batch)
        assert retry.status_code == 200, retry.text
        assert [r["status"] for r in retry.json()["results"]] == ["applied"] * 3
        again = phone.push(batch)
        assert [r["status"] for r in again.json()["results"]] == ["duplicate"] * 3
        assert stored_counts(own_database, batch) == {"log": 3, "feed": 3, "records": 3}
