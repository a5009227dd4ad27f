"""PostgreSQL cuts the connection of a push in flight (pg_terminate_backend, on this test's
own database): the device is told to retry (503), and its retry stores the batch once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from e2e.server import running_app
from faults.served import Phone, paused_worker, stored_counts
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.usefixtures("postgres_only")


def _terminate_open_transactions(database_url: str) -> int:
    """Cut every backend of this database that sits inside a transaction (the paused push)."""
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        cut = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND state = 'idle in transaction'"
            )
        ).scalar_one()
    engine.dispose()
    return cut


def test_a_push_whose_database_connection_is_cut_answers_503_and_the_retry_stores_it_once(
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
            paused_worker(paused)
            assert _terminate_open_transactions(own_database) == 1
            Path(f"{paused}.resume").touch()
            answer = first.result()

        assert answer.status_code == 503, answer.text
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert answer.headers["Retry-After"]
        assert answer.json()["code"] == "db.unavailable"
        assert stored_counts(own_database, batch) == {"log": 0, "feed": 0, "records": 0}

        retry = phone.push(batch)
        assert [r["status"] for r in retry.json()["results"]] == ["applied"] * 3
        again = phone.push(batch)
        assert [r["status"] for r in again.json()["results"]] == ["duplicate"] * 3
        assert stored_counts(own_database, batch) == {"log": 3, "feed": 3, "records": 3}
