"""A gunicorn worker killed with SIGKILL in the middle of a push: nothing of the push is kept,
and the device's retry of the same batch stores it, once."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
import requests
from faults.served import assert_retry_stores_it_once, push_paused_before_commit

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def test_a_worker_killed_before_its_push_commits_leaves_nothing_and_the_retry_stores_it_once(
    tmp_path: Path, own_database: str
):
    with push_paused_before_commit(tmp_path, own_database) as push:
        # The worker wrote every row of the push and stopped right before COMMIT.
        os.kill(push.worker_pid, signal.SIGKILL)
        with pytest.raises(requests.ConnectionError):
            push.answer.result()
        assert_retry_stores_it_once(push, own_database)
