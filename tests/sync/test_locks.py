"""What may change when (issue 13, item 2): every lock is a rejected mutation with its code,
quarantined, and changes nothing."""

from __future__ import annotations

import pytest
from sync_helpers import (
    concern_mutation,
    inspection_mutation,
    new_id,
    transition_mutation,
    update_mutation,
)

from fieldapp.extensions import db
from fieldapp.models import Concern, Inspection, QuarantinedMutation, RecordHistory

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


@pytest.fixture
def field(make_user, make_village, device):
    """An official's phone, their supervisor's, and a village of their district."""
    official = make_user()
    supervisor = make_user(role="supervisor")
    return device(official), device(supervisor), make_village()


def _report(phone, village, **fields) -> str:
    [created] = phone.push(concern_mutation(village.id, **fields))
    assert created["status"] == "applied", created
    return created["record_id"]


def _step(phone, concern_id: str, action: str, **extra) -> None:
    version = db.session.get(Concern, concern_id).version
    db.session.expire_all()
    [result] = phone.push(transition_mutation(concern_id, version, action, **extra))
    assert result["status"] == "applied", result


def _delete(entity: str, record_id: str, base: int) -> dict:
    return {
        "mutation_id": new_id(),
        "entity": entity,
        "record_id": record_id,
        "op": "delete",
        "base_version": base,
    }


def _refused(result: dict, code: str, field: str) -> None:
    assert result["status"] == "rejected", result
    assert result["reason"] == "locked"
    assert {"field": field, "code": code, "params": {}} in result["error_codes"]
    entry = db.session.get(QuarantinedMutation, result["quarantine_id"])
    assert entry is not None and entry.reason == "locked"


def test_a_new_concern_is_still_the_officials_to_change(field):
    phone, _, village = field
    cid = _report(phone, village)
    [result] = phone.push(update_mutation("concern", cid, 1, description="ถนนชำรุดยาว 30 เมตร"))
    assert result["status"] == "applied"


@pytest.mark.parametrize(
    "fields",
    [
        {"description": "เขียนใหม่"},
        {"category_code": "water"},
        {"lat": 16.9, "lon": 100.3},
        {"reported_at": "2026-02-01T10:00:00+07:00"},
        {"reporter_consent": True, "reporter_name": "นายสมชาย", "reporter_phone": "0812345678"},
    ],
)
def test_what_the_citizen_reported_is_locked_once_accepted(field, fields):
    phone, boss, village = field
    cid = _report(phone, village)
    _step(boss, cid, "accept")
    [result] = phone.push(update_mutation("concern", cid, 2, **fields))
    for name in fields:
        _refused(result, "reported_fields_locked", name)
    db.session.expire_all()
    assert db.session.get(Concern, cid).description == "ถนนชำรุด"
    # the supervisor's plain update is refused just the same: they correct instead
    [by_boss] = boss.push(update_mutation("concern", cid, 2, **fields))
    _refused(by_boss, "reported_fields_locked", next(iter(fields)))


def test_an_accepted_concern_still_takes_what_is_not_reported(field):
    phone, boss, village = field
    cid = _report(phone, village)
    _step(boss, cid, "accept")
    # the urgency, and the reported values sent unchanged, are not a change of the report
    [result] = phone.push(update_mutation("concern", cid, 2, urgency="high", description="ถนนชำรุด"))
    assert result["status"] == "applied", result


@pytest.mark.parametrize("end", ["closed", "rejected", "duplicate"])
def test_a_finished_concern_is_read_only_until_reopened(field, end):
    phone, boss, village = field
    cid = _report(phone, village)
    other = _report(phone, village)
    if end == "closed":
        _step(boss, cid, "accept")
        _step(boss, cid, "resolve", note="ซ่อมแล้ว")
        # its after-photo's bytes never came: the evidence checks are pending (docs/evidence.md)
        _step(boss, cid, "close", override_reason="ตรวจหน้างานแล้ว")
    elif end == "rejected":
        _step(boss, cid, "reject", note="ไม่ใช่ปัญหา")
    else:
        _step(boss, cid, "mark_duplicate", duplicate_of_id=other)
    version = db.session.get(Concern, cid).version
    for phone_ in (phone, boss):
        [result] = phone_.push(update_mutation("concern", cid, version, urgency="high"))
        _refused(result, "record_read_only", "op")
    # nor may a supervisor correct it while it is finished
    [correction] = boss.push(
        transition_mutation(cid, version, "correct", note="x", corrections={"lat": 16.8})
    )
    assert correction["status"] == "rejected" and correction["reason"] == "invalid_transition"
    _step(boss, cid, "reopen")
    [after] = phone.push(update_mutation("concern", cid, version + 1, urgency="high"))
    assert after["status"] == "applied", after


@pytest.mark.parametrize("status", ["accepted", "closed", "duplicate"])
def test_an_accepted_concern_is_never_deleted(field, status):
    phone, boss, village = field
    cid = _report(phone, village)
    if status == "duplicate":
        _step(boss, cid, "mark_duplicate", duplicate_of_id=_report(phone, village))
    else:
        _step(boss, cid, "accept")
    if status == "closed":
        _step(boss, cid, "resolve", note="แล้ว")
        _step(boss, cid, "close", override_reason="ตรวจหน้างานแล้ว")  # checks pending
    version = db.session.get(Concern, cid).version
    for phone_ in (phone, boss):
        [result] = phone_.push(_delete("concern", cid, version))
        _refused(result, "concern_not_deletable", "op")
    db.session.expire_all()
    assert not db.session.get(Concern, cid).deleted


def test_a_new_concern_may_still_be_deleted_by_its_author(field):
    phone, _, village = field
    cid = _report(phone, village)
    [result] = phone.push(_delete("concern", cid, 1))
    assert result["status"] == "applied"


def _inspection(phone, village) -> str:
    [created] = phone.push(inspection_mutation(village.id))
    assert created["status"] == "applied", created
    return created["record_id"]


def test_an_approved_inspection_is_never_deleted(field, client):
    phone, boss, village = field
    approved, pending = _inspection(phone, village), _inspection(phone, village)
    response = client.post(
        f"/api/inspections/{approved}/review", json={"action": "approve"}, headers=boss.headers
    )
    assert response.status_code == 200, response.get_json()
    [refused, deleted] = phone.push(
        _delete("inspection", approved, 2), _delete("inspection", pending, 1)
    )
    _refused(refused, "inspection_not_deletable", "op")
    assert deleted["status"] == "applied"
    db.session.expire_all()
    assert not db.session.get(Inspection, approved).deleted


def test_a_refused_batch_writes_no_history(field):
    phone, boss, village = field
    cid = _report(phone, village)
    _step(boss, cid, "accept")
    before = db.session.query(RecordHistory).count()
    [result] = phone.push(update_mutation("concern", cid, 2, description="เขียนใหม่"))
    assert result["status"] == "rejected"
    assert db.session.query(RecordHistory).count() == before
