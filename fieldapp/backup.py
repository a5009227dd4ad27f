"""Backups of a running instance and restores from them: the database, then the photos it names.

The database is copied from one consistent snapshot (SQLite's online backup API; pg_dump with
an exported snapshot on PostgreSQL); the photos that snapshot names are copied after it.
Photos are content-addressed and immutable, so a copy taken after the snapshot is exact, and a
photo that arrives in between is only a file the next backup carries.

A restore moves the change feed forward past every sequence number devices may already hold
(a FeedRestore row records the void), so no number is handed out twice with other content and
a device holding a cursor from after the backup is told to reset (docs/operations.md).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, make_url, select, text, update
from sqlalchemy.engine import URL

from fieldapp.extensions import db
from fieldapp.models import ChangeCounter, FeedRestore
from fieldapp.models.base import utcnow
from fieldapp.photos.storage import LocalPhotoStore, Rendition

MANIFEST = "manifest.json"
SQLITE_FILE = "fieldapp.sqlite3"
POSTGRES_FILE = "fieldapp.dump"
PHOTOS = "photos"
SEQUENCE_ROW = 1
# A restore onto a new machine cannot know how far devices got after the backup: the feed
# resumes this far ahead (a billion changes; cursors stay exact in JavaScript numbers).
UNKNOWN_GAP = 1_000_000_000


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def _url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database)


def _postgres_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client tools of the server's "
            f"major version (Debian: apt-get install postgresql-client)"
        )
    return found


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq URL for pg_dump/pg_restore, the password passed in the environment."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(), env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[:2000]}")


# -- backup -------------------------------------------------------------------------------------


def backup(target: Path) -> dict[str, Any]:
    """Write a backup of the database and the photos it names into the empty folder `target`."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: back up into a new folder")
    target.mkdir(parents=True, exist_ok=True)
    url = _url()
    if url.get_backend_name() == "sqlite":
        named, sequence = _sqlite_snapshot(_sqlite_path(url), target / SQLITE_FILE)
    else:
        named, sequence = _postgres_snapshot(url, target / POSTGRES_FILE)
    copied, missing = copy_photos(
        LocalPhotoStore(current_app.config["PHOTO_DIR"]), LocalPhotoStore(target / PHOTOS), named
    )
    manifest = {
        "format": 1,
        "database": url.get_backend_name(),
        "sequence": sequence,
        "photos": copied,
        "photos_missing": missing,
        "created_at": utcnow().isoformat(),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def _sqlite_snapshot(source: Path, copy: Path) -> tuple[list[str], int]:
    """SQLite's online backup API: a consistent copy while the server keeps writing."""
    with sqlite3.connect(source) as live, sqlite3.connect(copy) as snapshot:
        live.backup(snapshot)
        named = [row[0] for row in snapshot.execute("SELECT sha256 FROM photos")]
        row = snapshot.execute(
            "SELECT value FROM change_counter WHERE id = ?", (SEQUENCE_ROW,)
        ).fetchone()
    live.close()
    snapshot.close()
    return named, int(row[0]) if row else 0


def _postgres_snapshot(url: URL, dump: Path) -> tuple[list[str], int]:
    """pg_dump of an exported snapshot; the photo list is read from that same snapshot."""
    pg_dump = _postgres_tool("pg_dump")
    libpq, env = _libpq(url)
    engine = create_engine(url)
    try:
        options = {"isolation_level": "REPEATABLE READ"}
        with engine.connect().execution_options(**options) as conn, conn.begin():
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            named = list(conn.scalars(text("SELECT sha256 FROM photos")))
            sequence = conn.scalar(
                text("SELECT value FROM change_counter WHERE id = :id"), {"id": SEQUENCE_ROW}
            )
            command = [pg_dump, "--format=custom", "--no-owner", f"--snapshot={snapshot}"]
            _run([*command, "--file", str(dump), libpq], env)
    finally:
        engine.dispose()
    return named, int(sequence or 0)


def copy_photos(source: LocalPhotoStore, target: LocalPhotoStore, named: list[str]):
    """Copy every rendition of the named photos; returns (photos copied, originals missing)."""
    copied = missing = 0
    for sha256 in named:
        if not source.exists(Rendition.ORIGINAL, sha256):
            missing += 1
            continue
        for rendition in Rendition:
            origin, copy = source.path(rendition, sha256), target.path(rendition, sha256)
            if origin.is_file() and not copy.is_file():
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, copy)
        copied += 1
    return copied, missing


# -- restore ------------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict[str, Any]:
    try:
        return json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError):
        problem = f"{source} holds no fieldapp backup ({MANIFEST} missing or unreadable)"
        raise BackupError(problem) from None


def restore(source: Path, force: bool) -> dict[str, Any]:
    """Replace the database with the backup's, add its photos, and move the feed past the
    sequence numbers devices may hold. Stop the server first."""
    manifest = read_manifest(source)
    url = _url()
    if manifest.get("database") != url.get_backend_name():
        raise BackupError(
            f"this is a backup of a {manifest.get('database')} database; "
            f"DATABASE_URL names a {url.get_backend_name()} one"
        )
    previous = _sequence_if_any()
    if previous is not None and not force:
        raise BackupError(
            "the database already holds an instance: pass --force to replace it "
            "(stop the server first; devices keep their unsent work)"
        )
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        _restore_sqlite(source / SQLITE_FILE, _sqlite_path(url))
    else:
        _restore_postgres(source / POSTGRES_FILE, url)
    upgrade()  # a backup of an older release gets this release's schema
    store = LocalPhotoStore(current_app.config["PHOTO_DIR"])
    backed_up = LocalPhotoStore(source / PHOTOS)
    copied, _ = copy_photos(backed_up, store, [sha for sha, _ in backed_up.stored_photos()])
    restored, resumed = _resume_feed(previous)
    return {"restored_seq": restored, "resumed_seq": resumed, "photos": copied}


def _sequence_if_any() -> int | None:
    """The feed's sequence in the database about to be replaced; None when there is none."""
    if not inspect(db.engine).has_table(ChangeCounter.__tablename__):
        return None
    value = db.session.scalar(select(ChangeCounter.value).where(ChangeCounter.id == SEQUENCE_ROW))
    db.session.rollback()
    return int(value or 0)


def _restore_sqlite(backup_file: Path, target: Path) -> None:
    if not backup_file.is_file():
        raise BackupError(f"{backup_file} is missing: the backup is incomplete")
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(backup_file) as saved, sqlite3.connect(target) as live:
        saved.backup(live)
    saved.close()
    live.close()


def _restore_postgres(dump: Path, url: URL) -> None:
    if not dump.is_file():
        raise BackupError(f"{dump} is missing: the backup is incomplete")
    pg_restore = _postgres_tool("pg_restore")
    libpq, env = _libpq(url)
    flags = ["--clean", "--if-exists", "--no-owner", "--single-transaction"]
    _run([pg_restore, *flags, "--dbname", libpq, str(dump)], env)


def _resume_feed(previous: int | None) -> tuple[int, int]:
    """Move the counter past every number devices may hold; record the void for pull."""
    restored = int(db.session.get(ChangeCounter, SEQUENCE_ROW).value)
    # A database behind the backup (a new machine, freshly seeded) says nothing about how far
    # devices got: leave a gap. One ahead of it is where this instance's devices stopped.
    known = previous is not None and previous >= restored
    # One past the last number devices may hold: the counter's own value is a cursor the
    # server hands out itself (a pull that reached the end), so it must lie outside the void.
    resumed = (previous if known else restored + UNKNOWN_GAP) + 1
    db.session.execute(
        update(ChangeCounter).where(ChangeCounter.id == SEQUENCE_ROW).values(value=resumed)
    )
    db.session.add(FeedRestore(restored_seq=restored, resumed_seq=resumed))
    db.session.commit()
    return restored, resumed
