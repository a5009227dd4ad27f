"""Fixtures: app, client, runner, and factories returning functions (make_user, …).

Every test gets a fresh, migrated and seeded database. Tests marked `both_databases` run
once on SQLite and once on the PostgreSQL named by TEST_DATABASE_URL; when CI is set, an
unreachable PostgreSQL fails those tests instead of skipping them.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from fieldapp import create_app
from fieldapp.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
# Tables that survive between tests: migrated reference data, reseeded never.
REFERENCE_TABLES = {
    "alembic_version",
    "districts",
    "subdistricts",
    "categories",
    "checklist_templates",
    "change_counter",
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_backend" not in metafunc.fixturenames:
        return
    backends = ["sqlite"]
    if metafunc.definition.get_closest_marker("both_databases") and (
        TEST_DATABASE_URL or os.environ.get("CI")
    ):
        backends.append("postgresql")
    metafunc.parametrize("db_backend", backends, indirect=True)


def _migrate_and_seed(database_url: str, instance: Path) -> None:
    from flask_migrate import upgrade

    from fieldapp.seed import seed_reference_data

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "TESTING": True,
            "PHOTO_DIR": str(instance / "photos"),
        }
    )
    with app.app_context():
        upgrade()
        seed_reference_data()
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("sqlite-template")
    path = base / "template.sqlite3"
    _migrate_and_seed(f"sqlite:///{path}", base)
    return path


@contextmanager
def _postgres_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of its own, migrated and seeded once, dropped at the end."""
    if not TEST_DATABASE_URL:
        pytest.fail("CI is set but TEST_DATABASE_URL is not: the PostgreSQL tests must run")
    admin_url = make_url(TEST_DATABASE_URL)
    name = f"fieldapp_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # an unreachable database is a failure, never a skip
        pytest.fail(f"PostgreSQL at {admin_url.render_as_string()} is unreachable: {exc}")
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    _migrate_and_seed(url, tmp_path_factory.mktemp("pg"))
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The PostgreSQL database of this test session."""
    with _postgres_database(tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="session")
def second_postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second one, for tests that compare two servers."""
    with _postgres_database(tmp_path_factory) as url:
        yield url


def _reset_postgres(app) -> None:
    with app.app_context():
        tables = [t.name for t in db.metadata.sorted_tables if t.name not in REFERENCE_TABLES]
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        db.session.execute(text("UPDATE change_counter SET value = 0"))
        from fieldapp.seed import seed_service_levels
        from fieldapp.syncstore.feed import publish_reference_data

        publish_reference_data()
        seed_service_levels()
        db.session.commit()


@pytest.fixture
def db_backend(request: pytest.FixtureRequest) -> str:
    return request.param


def _test_app(backend: str, database_url: str, tmp_path: Path, **config: object):
    """An app for tests on the given database; a PostgreSQL one is emptied first."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PHOTO_DIR": str(tmp_path / "photos"),
            "SECRET_KEY": "test-secret",
            "RATELIMIT_STORAGE_URI": "memory://",
            **config,
        }
    )
    if backend == "postgresql":
        _reset_postgres(app)
    return app


def _sqlite_copy(template: Path, path: Path) -> str:
    shutil.copy(template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path):
    backend = "sqlite"
    if "db_backend" in request.fixturenames:
        backend = request.getfixturevalue("db_backend")
    if backend == "postgresql":
        database_url = request.getfixturevalue("postgres_url")
    else:
        database_url = _sqlite_copy(sqlite_template, tmp_path / "fieldapp.sqlite3")
    app = _test_app(backend, database_url, tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def make_app(
    request: pytest.FixtureRequest, db_backend: str, tmp_path: Path, sqlite_template: Path
) -> Callable[..., object]:
    """Apps on fresh databases of their own, for tests that compare two servers. On SQLite each
    call copies the template; on PostgreSQL calls alternate between two databases, each
    emptied when its next app is made (so at most two apps are in use at a time)."""
    made = count()

    def make(**config: object):
        index = next(made)
        if db_backend == "postgresql":
            fixture = "postgres_url" if index % 2 == 0 else "second_postgres_url"
            database_url = request.getfixturevalue(fixture)
        else:
            database_url = _sqlite_copy(sqlite_template, tmp_path / f"server-{index}.sqlite3")
        return _test_app(db_backend, database_url, tmp_path, **config)

    return make


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app) -> Callable[..., object]:
    from fieldapp.auth.passwords import hash_password
    from fieldapp.models import District, User

    def make(
        username: str | None = None,
        *,
        role: str = "official",
        districts: tuple[str, ...] = ("6501",),
        password: str = "secret-pass",
        active: bool = True,
        display_name: str = "ผู้ทดสอบ",
    ) -> User:
        user = User(
            username=username or f"user-{uuid.uuid4().hex[:8]}",
            display_name=display_name,
            role=role,
            password_hash=hash_password(password),
            active=active,
            districts=[db.session.get(District, code) for code in districts],
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def login(client) -> Callable[..., dict[str, str]]:
    """Sign a user in through the API; returns headers carrying the bearer token."""

    def do_login(user, password: str = "secret-pass") -> dict[str, str]:
        response = client.post(
            "/api/auth/login", json={"username": user.username, "password": password}
        )
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        return {"Authorization": f"Bearer {body['token']}", "X-Device-Id": body["device_id"]}

    return do_login


@pytest.fixture
def make_village(app) -> Callable[..., object]:
    from fieldapp.changefeed import ChangeRef, record_changes
    from fieldapp.models import Subdistrict, Village

    counter = iter(range(1, 100))

    def make(
        subdistrict_code: str = "650101", moo: int | None = None, name_th: str = "บ้านทดสอบ"
    ) -> Village:
        subdistrict = db.session.get(Subdistrict, subdistrict_code)
        village = Village(
            subdistrict_code=subdistrict_code,
            district_code=subdistrict.district_code,
            moo=moo or next(counter),
            name_th=name_th,
        )
        db.session.add(village)
        db.session.flush()
        record_changes([ChangeRef("village", village.id, village.district_code)])
        db.session.commit()
        return village

    return make
