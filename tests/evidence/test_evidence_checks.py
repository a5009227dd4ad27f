"""Evidence that a fix is real: real JPEGs with EXIF time and GPS, each check passed or failed
with its figures, closing over a failed check only with a reason (docs/evidence.md)."""

from __future__ import annotations

from datetime import datetime

import pytest
from photos.evidence_images import CONCERN_LAT, CONCERN_LON, photo, resized_copy, sha256
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, Concern, FollowupEntry

pytestmark = pytest.mark.both_databases


def results(checks: dict) -> dict[str, str]:
    return {name: check["result"] for name, check in checks.items()}


def test_a_fresh_photo_of_the_fix_passes_every_check(desk):
    cid = desk.report(before=[photo(seed=1)])
    answer = desk.resolve(cid, [photo(seed=2)])
    assert answer["status"] == "applied" and answer["record"]["status"] == "resolved"
    evidence = desk.evidence(cid)
    assert evidence["result"] == "passed" and evidence["open_checks"] == []
    [after] = evidence["photos"]
    assert (after["time_source"], after["position_source"]) == ("exif", "exif")
    checks = after["checks"]
    assert results(checks) == dict.fromkeys(("time", "distance", "reuse", "phash"), "passed")
    assert checks["time"]["minutes"] == 90  # 09:30, reported 08:00
    assert checks["distance"]["metres"] == pytest.approx(33, abs=2)
    assert checks["distance"]["limit_metres"] == 200
    closed = desk.step(cid, "close")
    assert closed.status_code == 200, closed.get_json()


def test_a_photo_taken_before_the_report_fails_with_its_minutes(desk):
    cid = desk.report()
    desk.resolve(cid, [photo(seed=3, taken=datetime(2025, 3, 10, 9, 0))])
    checks = desk.checks(cid)
    assert checks["time"]["result"] == "failed"
    assert checks["time"]["minutes"] == -(369 * 24 * 60 - 60)  # a year and four days early
    assert results(checks) | {"time": "passed"} == dict.fromkeys(checks, "passed")


def test_a_photo_taken_far_away_fails_with_its_metres(desk):
    cid = desk.report()
    bangkok = (13.7563, 100.5018)  # ~340 km south
    desk.resolve(cid, [photo(seed=4, gps=bangkok)])
    checks = desk.checks(cid)
    assert checks["distance"]["result"] == "failed"
    assert checks["distance"]["metres"] == pytest.approx(341_000, rel=0.01)
    assert checks["time"]["result"] == "passed"


def test_the_same_photo_as_evidence_of_another_concern_fails_both_copy_checks(desk):
    shared = photo(seed=5)
    first, second = desk.report(), desk.report()
    desk.resolve(first, [shared])
    desk.resolve(second, [shared])
    assert results(desk.checks(first))["reuse"] == "passed"
    checks = desk.checks(second)
    assert checks["reuse"] == {"result": "failed", "concern_id": first, "concern_withheld": False}
    assert checks["phash"]["result"] == "failed" and checks["phash"]["bits"] == 0
    assert checks["phash"]["concern_id"] == first


def test_a_resized_re_encoded_copy_of_an_earlier_photo_is_caught(desk):
    old = photo(seed=6, taken=datetime(2025, 11, 2, 15, 0))
    earlier = desk.report(before=[old])
    cid = desk.report()
    # the copy claims to be fresh: new EXIF time and place, other bytes, another SHA-256
    copy = resized_copy(old, taken=datetime(2026, 3, 14, 10, 0), gps=(CONCERN_LAT, CONCERN_LON))
    assert sha256(copy) != sha256(old)
    desk.resolve(cid, [copy])
    checks = desk.checks(cid)
    assert (checks["time"]["result"], checks["distance"]["result"]) == ("passed", "passed")
    assert checks["reuse"]["result"] == "passed"
    phash = checks["phash"]
    assert phash["result"] == "failed" and phash["bits"] <= 6
    assert (phash["sha256"], phash["concern_id"], phash["kind"]) == (
        sha256(old),
        earlier,
        "earlier_photo",
    )


def test_a_copy_of_the_concerns_own_before_photo_is_caught(desk):
    before = photo(seed=7, taken=datetime(2026, 3, 14, 7, 50))
    cid = desk.report(before=[before])
    desk.resolve(cid, [resized_copy(before, scale=0.8, taken=datetime(2026, 3, 14, 11, 0))])
    phash = desk.checks(cid)["phash"]
    assert (phash["result"], phash["kind"], phash["concern_id"]) == ("failed", "before_photo", cid)


def test_no_gps_and_no_time_are_unknown_never_passed(desk):
    cid = desk.report()
    desk.resolve(cid, [photo(seed=8, gps=None, taken=None)])
    checks = desk.checks(cid)
    assert checks["distance"] == {"result": "unknown", "metres": None, "limit_metres": 200}
    assert checks["time"] == {"result": "unknown", "minutes": None}
    evidence = desk.evidence(cid)
    assert evidence["result"] == "unknown" and evidence["open_checks"] == []


def test_checks_needing_the_bytes_are_pending_until_they_arrive(desk):
    cid = desk.report()
    late = photo(seed=9)
    desk.resolve(cid, [late], upload=False)
    pending = desk.evidence(cid)
    assert results(pending["photos"][0]["checks"]) == {
        "time": "pending",
        "distance": "pending",
        "reuse": "passed",
        "phash": "pending",
    }
    assert pending["open_checks"] == ["time", "distance", "phash"]
    refused = desk.step(cid, "close")
    assert refused.status_code == 422
    assert refused.get_json()["error_codes"][0]["code"] == "evidence_override_required"
    desk.upload(late)
    assert results(desk.checks(cid)) == dict.fromkeys(
        ("time", "distance", "reuse", "phash"), "passed"
    )


def test_the_phones_provenance_decides_when_the_resized_bytes_carry_none(desk):
    cid = desk.report()
    resized = resized_copy(photo(seed=10), scale=0.5)  # no EXIF left, like the app's resize
    ref = {
        "sha256": sha256(resized),
        "role": "after",
        "exif": {
            "taken_at": "2026-03-14T09:45:00+07:00",
            "gps_lat": None,
            "gps_lon": None,
            "make": "Apple",
            "model": "iPhone 12",
        },
        "attached": {
            "at": "2026-03-14T09:47:00+07:00",
            "lat": CONCERN_LAT + 0.0009,
            "lon": CONCERN_LON,
            "accuracy_m": 12,
        },
    }
    desk.resolve(cid, [ref])
    desk.upload(resized)
    [after] = desk.evidence(cid)["photos"]
    assert (after["time_source"], after["position_source"]) == ("exif", "device")
    assert after["checks"]["time"]["minutes"] == 105
    assert after["checks"]["distance"]["metres"] == pytest.approx(100, abs=2)
    assert results(after["checks"]) == dict.fromkeys(
        ("time", "distance", "reuse", "phash"), "passed"
    )


def test_an_old_gallery_photo_does_not_borrow_the_phones_position(desk):
    cid = desk.report()
    ref = {
        "sha256": sha256(data := resized_copy(photo(seed=11), scale=0.5)),
        "role": "after",
        "exif": {"taken_at": "2026-03-14T08:30:00+07:00"},
        "attached": {
            "at": "2026-03-14T12:00:00+07:00",
            "lat": CONCERN_LAT,
            "lon": CONCERN_LON,
            "accuracy_m": 10,
        },
    }
    desk.resolve(cid, [ref])
    desk.upload(data)
    checks = desk.checks(cid)
    assert checks["distance"]["result"] == "unknown"


def test_resolving_needs_a_note_and_an_after_photo(desk):
    cid = desk.report()
    answer = desk.resolve(cid, [])
    assert answer["status"] == "rejected"
    assert answer["error_codes"] == [{"field": "photos", "code": "needs_after_photo", "params": {}}]
    no_note = desk.resolve(cid, [photo(seed=12)], note="")
    assert no_note["status"] == "rejected"
    assert db.session.get(Concern, cid).status == "accepted"


def test_closing_over_a_failed_check_needs_a_reason_that_is_audited(desk):
    shared = photo(seed=13)
    desk.resolve(desk.report(), [shared])
    cid = desk.report()
    desk.resolve(cid, [shared])
    refused = desk.step(cid, "close")
    assert refused.status_code == 422
    [problem] = refused.get_json()["error_codes"]
    assert problem == {
        "field": "transition.override_reason",
        "code": "evidence_override_required",
        "params": {"checks": ["reuse", "phash"]},
    }
    reason = "ซ่อมจุดเดียวกันทั้งสองเรื่อง ตรวจหน้างานแล้ว"
    closed = desk.step(cid, "close", override_reason=reason)
    assert closed.status_code == 200, closed.get_json()
    [entry] = db.session.scalars(
        select(FollowupEntry).where(
            FollowupEntry.concern_id == cid, FollowupEntry.to_status == "closed"
        )
    ).all()
    assert entry.data["override_reason"] == reason and entry.data["overridden"] == [
        "reuse",
        "phash",
    ]
    [audit] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "concern.evidence_override")
    ).all()
    assert (audit.record_id, audit.details["reason"]) == (cid, reason)
    assert audit.details["checks"] == ["reuse", "phash"]


def test_a_reason_is_not_needed_when_every_check_passed_or_is_unknown(desk):
    cid = desk.report()
    desk.resolve(cid, [photo(seed=14, gps=None)])
    assert desk.step(cid, "close").status_code == 200


def test_a_bad_provenance_is_refused_field_by_field_and_nothing_is_applied(desk):
    cid = desk.report()
    ref = {
        "sha256": sha256(photo(seed=15)),
        "role": "after",
        "attached": {"lat": 123, "accuracy_m": -1},
    }
    mutation = {
        "mutation_id": "5b0c3f4e-0000-4000-8000-000000000015",
        "entity": "concern",
        "record_id": cid,
        "op": "transition",
        "base_version": desk.detail(cid)["version"],
        "transition": {"action": "resolve", "note": "ซ่อมแล้ว"},
        "photos": [ref],
    }
    body = {"device_id": desk.official["X-Device-Id"], "mutations": [mutation]}
    response = desk.client.post("/api/sync/push", json=body, headers=desk.official)
    assert response.status_code == 400
    fields = {c["field"]: c["code"] for c in response.get_json()["error_codes"]}
    assert fields == {
        "mutations.0.photos.0.attached.lat": "out_of_range",
        "mutations.0.photos.0.attached.accuracy_m": "out_of_range",
    }
    assert db.session.get(Concern, cid).status == "accepted"
