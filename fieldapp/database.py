"""Engine set-up and the one commit point per request."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from fieldapp.errors import database_unavailable
from fieldapp.extensions import db
from fieldapp.faults import pause_point

log = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # 16 KiB pages (a new database only; an existing one keeps its size): a push writes its
    # records, mutation log and feed in fewer, fuller pages, ~15% less work per record than
    # 4 KiB (bench/sync_bench.py).
    cursor.execute("PRAGMA page_size=16384")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # The busy timeout is the driver's `timeout` (config.engine_options, SQLITE_BUSY_TIMEOUT).
    # FULL: every commit is on disk before the request answers (docs/architecture.md,
    # invariant 2: the device drops a mutation from its outbox once confirmed). NORMAL in WAL
    # mode may lose the last commits to a power cut or an OS crash.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _configure_engine(engine: Engine) -> None:
    if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _sqlite_pragmas):
        event.listen(engine, "connect", _sqlite_pragmas)


def keep_writes_on_error() -> None:
    """Let this request's commit point commit although it answers with an error.

    For refusals that must stick, e.g. a rejected upload whose record is deleted.
    """
    g.commit_despite_error = True


def init_app(app: Flask) -> None:
    with app.app_context():
        _configure_engine(db.engine)

    @app.after_request
    def commit_or_roll_back(response: Response) -> Response:
        """Commit once, before the answer leaves: what the server accepted is durable."""
        if response.status_code < 400 or g.pop("commit_despite_error", False):
            pause_point(f"{request.endpoint}.before_commit")
            try:
                db.session.commit()
            except OperationalError as exc:  # locked past the busy timeout, connection cut
                db.session.rollback()
                log.warning("commit failed on %s %s: %s", request.method, request.path, exc.orig)
                return database_unavailable()
        else:
            db.session.rollback()
        return response
