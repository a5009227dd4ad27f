"""PostgreSQL cuts the connection of a push in flight (pg_terminate_backend, on this test's
own database): the device is told to retry (503), and its retry stores the batch once."""

from __future__ import annotations

from pathlib import Path

import pytest
from faults.served import assert_retry_stores_it_once, push_paused_before_commit
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
    with push_paused_before_commit(tmp_path, own_database) as push:
        assert _terminate_open_transactions(own_database) == 1
        push.resume.touch()
        answer = push.answer.result()
        assert answer.status_code == 503, answer.text
        assert answer.headers["Content-Type"] == "application/problem+json"
        assert answer.headers["Retry-After"]
        assert answer.json()["code"] == "db.unavailable"
        assert_retry_stores_it_once(push, own_database)
