"""The audit chain: audit-verify finds tampering; a published head stays checkable."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text

from fieldapp.audit.chain import HASHED_FIELDS, entry_hash
from fieldapp.extensions import db
from fieldapp.models import AuditEntry, record_audit

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def _write(count: int, start: int = 1) -> None:
    for n in range(start, start + count):
        record_audit("user.update", None, "user", str(n), role="official", name="สมชาย")
    db.session.commit()


def _verify(runner, *args: str):
    result = runner.invoke(args=["audit-verify", *args])
    return result.exit_code, result.output


def _entry(position: int) -> AuditEntry:
    return db.session.scalar(select(AuditEntry).where(AuditEntry.position == position))


def _rehash_from(position: int) -> None:
    """Recompute every hash from `position` on, as a forger who rewrites history would."""
    prev = _entry(position - 1).hash
    for entry in db.session.scalars(
        select(AuditEntry).where(AuditEntry.position >= position).order_by(AuditEntry.position)
    ):
        content = {name: getattr(entry, name) for name in HASHED_FIELDS}
        entry.prev_hash, entry.hash = prev, entry_hash(content, prev)
        prev = entry.hash
    db.session.commit()


def test_an_untouched_chain_verifies_and_prints_its_head(runner):
    _write(5)
    code, output = _verify(runner)
    last = _entry(5)
    assert code == 0, output
    assert output.strip() == f"ok, 5 entries, head {last.hash} at 5"
    head = runner.invoke(args=["audit-head"]).output.strip()
    assert head == f"5 {last.hash}"


def test_an_edited_entry_is_found(runner):
    _write(5)
    db.session.execute(text("UPDATE audit_log SET record_id = '99' WHERE position = 3"))
    db.session.commit()
    code, output = _verify(runner)
    assert code != 0
    assert "position 3: edited" in output


def test_a_deleted_entry_is_found(runner):
    _write(5)
    db.session.execute(text("DELETE FROM audit_log WHERE position = 3"))
    db.session.commit()
    code, output = _verify(runner)
    assert code != 0
    assert "position 3: deleted" in output


def test_a_deleted_entry_is_found_when_positions_close_the_gap(runner):
    _write(5)
    db.session.execute(text("DELETE FROM audit_log WHERE position = 3"))
    for position in (4, 5):
        db.session.execute(
            text("UPDATE audit_log SET position = :p - 1 WHERE position = :p"), {"p": position}
        )
    db.session.commit()
    code, output = _verify(runner)
    assert code != 0
    assert "position 3: deleted" in output


def test_an_inserted_entry_is_found(runner):
    _write(5)
    for position in (5, 4, 3):
        db.session.execute(
            text("UPDATE audit_log SET position = :p + 1 WHERE position = :p"), {"p": position}
        )
    before = _entry(2)
    forged = {
        "position": 3,
        "at": before.at,
        "actor_id": None,
        "action": "user.update",
        "entity": "user",
        "record_id": "42",
        "details": {"role": "admin"},
    }
    db.session.execute(
        AuditEntry.__table__.insert().values(
            **forged, prev_hash=before.hash, hash=entry_hash(forged, before.hash)
        )
    )
    db.session.commit()
    code, output = _verify(runner)
    assert code != 0
    assert "position 3: inserted" in output


def test_an_old_head_still_verifies_after_more_entries(runner):
    _write(3)
    position, digest = runner.invoke(args=["audit-head"]).output.split()
    _write(4, start=4)
    code, output = _verify(runner, "--from-head", f"{position}:{digest}")
    assert code == 0, output
    assert output.startswith("ok, 7 entries")


def test_a_rewritten_history_fails_against_an_old_head(runner):
    _write(3)
    position, digest = runner.invoke(args=["audit-head"]).output.split()
    _write(2, start=4)
    db.session.execute(text("UPDATE audit_log SET record_id = '99' WHERE position = 2"))
    db.session.commit()
    _rehash_from(2)
    assert _verify(runner)[0] == 0  # consistent in itself: only the published head shows it
    code, output = _verify(runner, "--from-head", f"{position}:{digest}")
    assert code != 0
    assert f"position {position}: edited" in output


def test_eight_concurrent_writers_leave_one_unbroken_chain(app, runner):
    _write(1)  # the head row exists before the writers race for it
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def writer(n: int) -> None:
        try:
            with app.app_context():
                start.wait()
                for i in range(5):
                    record_audit("user.update", None, "user", f"{n}-{i}", thread=n)
                    db.session.commit()
                db.session.remove()
        except BaseException as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    code, output = _verify(runner)
    assert code == 0, output
    assert output.startswith("ok, 41 entries")
