"""The villager's word on a fix (issue 13, item 5): an official records it on a later visit,
offline, as a pushed `confirm_fix` step; "not fixed" reopens the concern, "fixed" is counted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, Concern, FollowupEntry, QuarantinedMutation
from tests.sync.sync_helpers import Device, concern_mutation, transition_mutation

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


@pytest.fixture
def cast(client, login, make_user, make_village):
    """A concern its assignee reported resolved, a neighbour official of the same district,
    the district's supervisor, and an official of another district."""
    assignee = make_user("assignee")
    village = make_village()
    phone = Device(client, login(assignee))
    [created] = phone.push(concern_mutation(village.id, description="ท่อประปาแตก"))
    concern = db.session.get(Concern, created["record_id"])
    # Resolved as the workflow leaves it (how resolving is checked is not this test's business).
    concern.assignee_id, concern.status = assignee.id, "resolved"
    concern.resolution_note, concern.resolved_at = "เปลี่ยนท่อแล้ว", datetime.now(UTC)
    concern.version += 1
    db.session.commit()
    return {
        "concern_id": concern.id,
        "neighbour": Device(client, login(make_user("neighbour"))),
        "assignee": phone,
        "boss": login(make_user("boss", role="supervisor")),
        "stranger": Device(client, login(make_user("stranger", districts=("6502",)))),
    }


def _concern(cid: str) -> Concern:
    db.session.expire_all()
    return db.session.get(Concern, cid)


def _entries(cid: str) -> list[FollowupEntry]:
    return list(db.session.scalars(select(FollowupEntry).where(FollowupEntry.concern_id == cid)))


def _confirm(cid: str, answer: str, note: str | None = None, base: int = 2, **extra):
    values = {"answer": answer, **({"note": note} if note else {}), **extra}
    return transition_mutation(cid, base, "confirm_fix", **values)


def test_a_villager_who_says_fixed_is_recorded_and_counted(cast, client):
    cid = cast["concern_id"]
    [result] = cast["neighbour"].push(_confirm(cid, "fixed", "ชาวบ้านบอกว่าน้ำไหลดีแล้ว"))
    assert result["status"] == "applied", result
    assert result["record"]["villager_confirmed"] is True
    concern = _concern(cid)
    assert (concern.status, concern.villager_confirmed) == ("resolved", True)
    [entry] = _entries(cid)
    assert entry.data == {"action": "confirm_fix", "answer": "fixed"}
    assert entry.body == "ชาวบ้านบอกว่าน้ำไหลดีแล้ว"
    detail = client.get(f"/api/concerns/{cid}", headers=cast["boss"]).get_json()
    assert detail["villager_confirmed"] is True
    assert "confirm_fix" not in detail["allowed_actions"]
    figures = client.get("/api/reports/dashboard", headers=cast["boss"]).get_json()
    assert figures["concerns"]["total"][0]["villager_confirmed"] == 1
    [audit] = db.session.scalars(select(AuditEntry).where(AuditEntry.record_id == cid))
    assert (audit.action, audit.details["transition"]) == ("concern.transition", "confirm_fix")


def test_a_villager_who_says_not_fixed_reopens_the_concern(cast, client):
    cid = cast["concern_id"]
    [result] = cast["neighbour"].push(_confirm(cid, "not_fixed", "ยังรั่วอยู่ที่ข้อต่อ"))
    assert result["status"] == "applied", result
    concern = _concern(cid)
    assert (concern.status, concern.resolved_at, concern.villager_confirmed) == (
        "in_progress",
        None,
        None,
    )
    assert concern.assignee_id is not None  # the assignee takes it up again
    detail = client.get(f"/api/concerns/{cid}", headers=cast["boss"]).get_json()
    assert detail["status"] == "in_progress"
    [step] = [e for e in detail["timeline"] if e.get("data", {}).get("action") == "confirm_fix"]
    assert (step["from_status"], step["to_status"], step["body"]) == (
        "resolved",
        "in_progress",
        "ยังรั่วอยู่ที่ข้อต่อ",
    )
    assert step["data"]["answer"] == "not_fixed"
    # The assignee's phone hears of it on its next pull.
    cast["assignee"].pull()
    assert cast["assignee"].seen[("concern", cid)]["status"] == "in_progress"


def test_the_assignee_and_supervisor_may_record_it_too(cast, client):
    cid = cast["concern_id"]
    [result] = cast["assignee"].push(_confirm(cid, "not_fixed", "ยังไม่ได้"))
    assert result["status"] == "applied", result
    url = f"/api/concerns/{cid}/transitions"
    _concern(cid).status = "resolved"  # fixed again (however the second fix was checked)
    db.session.commit()
    response = client.post(
        url, json={"action": "confirm_fix", "answer": "fixed"}, headers=cast["boss"]
    )
    assert response.status_code == 200, response.get_json()
    assert _concern(cid).villager_confirmed is True


def test_a_replayed_confirmation_changes_nothing_more(cast):
    cid = cast["concern_id"]
    mutation = _confirm(cid, "not_fixed", "ยังรั่ว")
    [first] = cast["neighbour"].push(mutation)
    [again] = cast["neighbour"].push(mutation)
    assert (first["status"], again["status"]) == ("applied", "duplicate")
    assert len(_entries(cid)) == 1
    audits = select(func.count()).select_from(AuditEntry).where(AuditEntry.record_id == cid)
    assert db.session.scalar(audits) == 1
    assert _concern(cid).version == 3


def _refused(device: Device, mutation) -> dict:
    [result] = device.push(mutation)
    assert result["status"] == "rejected", result
    return result


def _codes(result: dict) -> list[tuple[str, str]]:
    return [(c["field"], c["code"]) for c in result["error_codes"]]


def test_refusals_carry_codes_and_are_kept_in_quarantine(cast):
    cid = cast["concern_id"]
    neighbour = cast["neighbour"]
    no_note = _refused(neighbour, _confirm(cid, "not_fixed"))
    assert _codes(no_note) == [("transition.note", "transition_requires")]
    no_answer = _refused(neighbour, transition_mutation(cid, 2, "confirm_fix"))
    assert _codes(no_answer) == [("transition.answer", "transition_requires")]
    bad = _refused(neighbour, _confirm(cid, "maybe"))
    assert _codes(bad) == [("transition.answer", "one_of")]
    misplaced = _refused(neighbour, transition_mutation(cid, 2, "reopen", answer="fixed"))
    assert _codes(misplaced) == [("transition.answer", "unknown_field")]
    stranger = _refused(cast["stranger"], _confirm(cid, "fixed"))
    assert (stranger["reason"], _codes(stranger)) == (
        "forbidden",
        [("transition.action", "transition_forbidden")],
    )

    [ok] = neighbour.push(_confirm(cid, "fixed"))
    assert ok["status"] == "applied"
    twice = _refused(neighbour, _confirm(cid, "not_fixed", "เปลี่ยนใจ", base=3))
    assert (twice["reason"], _codes(twice)) == (
        "invalid_transition",
        [("transition.action", "already_confirmed")],
    )
    assert _concern(cid).status == "resolved"
    quarantined = select(func.count()).select_from(QuarantinedMutation)
    assert db.session.scalar(quarantined) == 6


def test_an_open_concern_awaits_no_confirmation(cast, client, make_village):
    [created] = cast["neighbour"].push(concern_mutation(make_village().id))
    cid = created["record_id"]
    refused = _refused(cast["neighbour"], _confirm(cid, "fixed", base=1))
    assert (refused["reason"], _codes(refused)) == (
        "invalid_transition",
        [("transition.action", "confirm_not_resolved")],
    )
    response = client.post(
        f"/api/concerns/{cid}/transitions",
        json={"action": "confirm_fix", "answer": "fixed"},
        headers=cast["boss"],
    )
    assert response.status_code == 409
    assert response.get_json()["error_codes"][0]["code"] == "confirm_not_resolved"
    assert _entries(cid) == []


def test_the_public_case_page_shows_the_villagers_word(cast, client):
    cid = cast["concern_id"]
    code = _concern(cid).tracking_code
    cast["neighbour"].push(_confirm(cid, "not_fixed", "ยังรั่ว"))
    html = client.get(f"/public/case?code={code}&lang=en").get_data(as_text=True)
    assert "The villager said it is not fixed" in html
    assert 'id="case-confirmed"' not in html
    _concern(cid).status = "resolved"  # fixed again
    db.session.commit()
    cast["neighbour"].push(_confirm(cid, "fixed", base=3))
    html = client.get(f"/public/case?code={code}").get_data(as_text=True)
    assert "ชาวบ้านยืนยันว่าแก้ไขแล้ว" in html and 'id="case-confirmed"' in html
    assert "ยังรั่ว" not in html  # staff notes stay inside
