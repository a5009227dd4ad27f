"""Fixtures for the fault tests: a database of the test's own, on SQLite or PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


@pytest.fixture
def postgres_only() -> str:
    """For faults only PostgreSQL has (a cut connection): runs where the PostgreSQL tests do."""
    if not (TEST_DATABASE_URL or os.environ.get("CI")):
        pytest.skip("PostgreSQL only: set TEST_DATABASE_URL")
    return "postgresql"


@pytest.fixture
def own_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for a database nothing else uses: a SQLite file, or a PostgreSQL database made
    for this test and dropped after it (never the server itself: others use it)."""
    names = request.fixturenames
    backend = request.getfixturevalue("db_backend" if "db_backend" in names else "postgres_only")
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'fieldapp.sqlite3'}"
        return
    admin_url = make_url(TEST_DATABASE_URL)
    name = f"fieldapp_fault_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
