"""The history of every record (issue 13, item 1): each applied change keeps, per field, the
value before and after, who, from which device, by which mutation, when — written with the
change; a refused one writes none; a citizen's first words stay retrievable."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sync_helpers import (
    concern_mutation,
    inspection_mutation,
    new_id,
    transition_mutation,
    update_mutation,
)

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, Concern, FollowupEntry, RecordHistory

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


@pytest.fixture
def field(make_user, make_village, device):
    official = make_user(display_name="สมชาย")
    supervisor = make_user(role="supervisor", display_name="หัวหน้า")
    return device(official), device(supervisor), make_village(), official, supervisor


def rows(record_id: str) -> list[RecordHistory]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(RecordHistory)
            .where(RecordHistory.record_id == record_id)
            .order_by(RecordHistory.id)
        )
    )


def api_history(client, phone, entity: str, record_id: str):
    return client.get(f"/api/records/{entity}/{record_id}/history", headers=phone.headers)


def test_a_create_keeps_every_first_value(field):
    phone, _, village, official, _ = field
    mutation = concern_mutation(village.id, reporter_consent=True, reporter_name="นางมา")
    [created] = phone.push(mutation)
    [row] = rows(created["record_id"])
    assert (row.op, row.status, row.version) == ("create", "applied", 1)
    assert (row.user_id, row.device_id, row.mutation_id) == (
        official.id,
        phone.device_id,
        mutation["mutation_id"],
    )
    assert row.changes["description"] == [None, "ถนนชำรุด"]
    assert row.changes["reporter_name"] == [None, "นางมา"]
    assert row.changes["reported_at"] == [None, "2026-03-01T03:00:00+00:00"]
    assert "tracking_code" not in row.changes


def test_an_update_and_a_delete_keep_before_and_after(field):
    phone, _, village, _, _ = field
    [created] = phone.push(concern_mutation(village.id))
    cid = created["record_id"]
    update = update_mutation("concern", cid, 1, description="ถนนชำรุดยาว 30 เมตร", urgency="high")
    phone.push(update)
    phone.push(
        {
            "mutation_id": new_id(),
            "entity": "concern",
            "record_id": cid,
            "op": "delete",
            "base_version": 2,
        }
    )
    _, edited, deleted = rows(cid)
    assert edited.op == "update" and edited.mutation_id == update["mutation_id"]
    assert edited.changes == {
        "description": ["ถนนชำรุด", "ถนนชำรุดยาว 30 เมตร"],
        "urgency": ["normal", "high"],
    }
    assert (deleted.op, deleted.version, deleted.changes) == (
        "delete",
        3,
        {"deleted": [False, True]},
    )


def test_merged_and_conflicting_edits_keep_both_sides(field, device):
    phone, _, village, official, _ = field
    [created] = phone.push(concern_mutation(village.id))
    cid = created["record_id"]
    other = device(official)  # the same official's second phone
    phone.push(update_mutation("concern", cid, 1, urgency="high"))
    # another phone, from version 1: a different field merges, the same field conflicts
    [merged, conflict] = other.push(
        update_mutation("concern", cid, 1, lat=16.82),
        update_mutation("concern", cid, 1, urgency="low"),
    )
    assert (merged["status"], conflict["status"]) == ("merged", "conflict")
    history = rows(cid)
    assert [(r.status, r.changes) for r in history[2:]] == [
        ("merged", {"lat": [None, 16.82]}),
        ("conflict", {"urgency": ["high", "low"]}),
    ]
    assert {r.device_id for r in history[2:]} == {other.device_id}


def test_a_transition_and_its_timeline_entry(field):
    phone, boss, village, _, supervisor = field
    [created] = phone.push(concern_mutation(village.id))
    cid = created["record_id"]
    boss.push(transition_mutation(cid, 1, "reject", note="ไม่ใช่ปัญหาของจังหวัด"))
    _, step = rows(cid)
    assert (step.op, step.action, step.user_id) == ("transition", "reject", supervisor.id)
    assert step.changes == {"status": ["new", "rejected"]}
    assert step.reason == "ไม่ใช่ปัญหาของจังหวัด"
    entry = db.session.scalars(select(FollowupEntry).where(FollowupEntry.concern_id == cid)).one()
    [made] = rows(entry.id)
    assert (made.op, made.action, made.changes["kind"]) == (
        "transition",
        "reject",
        [None, "status"],
    )


def correct(client, boss, cid: str, **body):
    return client.post(
        f"/api/concerns/{cid}/transitions", json={"action": "correct", **body}, headers=boss.headers
    )


def test_a_supervisors_correction_keeps_the_citizens_words(field, client):
    phone, boss, village, _, supervisor = field
    [created] = phone.push(concern_mutation(village.id, description="น้ำท่วมขัง หน้าวัด"))
    cid = created["record_id"]
    boss.push(transition_mutation(cid, 1, "accept"))
    response = correct(
        client,
        boss,
        cid,
        note="พิมพ์ผิด: เป็นหน้าโรงเรียน",
        corrections={"description": "น้ำท่วมขัง หน้าโรงเรียน", "category_code": "water"},
    )
    assert response.status_code == 200, response.get_json()
    record = response.get_json()["record"]
    assert (record["description"], record["category_code"], record["status"]) == (
        "น้ำท่วมขัง หน้าโรงเรียน",
        "water",
        "accepted",
    )
    fix = rows(cid)[-1]
    assert (fix.op, fix.action, fix.user_id) == ("transition", "correct", supervisor.id)
    assert fix.changes == {
        "description": ["น้ำท่วมขัง หน้าวัด", "น้ำท่วมขัง หน้าโรงเรียน"],
        "category_code": ["roads", "water"],
    }
    assert fix.reason == "พิมพ์ผิด: เป็นหน้าโรงเรียน"
    # the detail shows the original text; the timeline names the fields and the reason
    detail = client.get(f"/api/concerns/{cid}", headers=boss.headers).get_json()
    assert detail["original_description"] == "น้ำท่วมขัง หน้าวัด"
    entry = detail["timeline"][-1]
    assert (entry["kind"], entry["body"]) == ("correction", "พิมพ์ผิด: เป็นหน้าโรงเรียน")
    assert entry["data"]["fields"] == ["category_code", "description"]
    # audited: which fields and why, not the values
    audit = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "concern.correct")
    ).one()
    assert audit.details["fields"] == ["category_code", "description"]
    assert audit.details["reason"] == "พิมพ์ผิด: เป็นหน้าโรงเรียน"
    assert "หน้าวัด" not in str(audit.details)
    # through the history API, oldest first
    items = api_history(client, boss, "concern", cid).get_json()["items"]
    assert items[0]["changes"][0]["before"] is None
    first = {c["field"]: c["after"] for c in items[0]["changes"]}
    assert first["description"] == "น้ำท่วมขัง หน้าวัด"
    assert items[-1]["action"] == "correct" and items[-1]["user"]["display_name"] == "หัวหน้า"


def test_a_correction_needs_a_reason_and_checks_its_values(field, client):
    phone, boss, village, _, _ = field
    [created] = phone.push(concern_mutation(village.id))
    cid = created["record_id"]
    before = len(rows(cid))
    cases = [
        ({"corrections": {"description": "x"}}, "transition.note", "transition_requires"),
        ({"note": "why"}, "transition.corrections", "transition_requires"),
        (
            {"note": "why", "corrections": {"urgency": "high"}},
            "transition.corrections.urgency",
            "not_correctable",
        ),
        (
            {"note": "why", "corrections": {"category_code": "nope"}},
            "transition.corrections.category_code",
            "unknown_category",
        ),
        (
            {"note": "why", "corrections": {"description": ""}},
            "transition.corrections.description",
            "length_between",
        ),
    ]
    for body, field_name, code in cases:
        response = correct(client, boss, cid, **body)
        assert response.status_code == 422, (body, response.get_json())
        codes = {(c["field"], c["code"]) for c in response.get_json()["error_codes"]}
        assert (field_name, code) in codes, (body, codes)
    # an official may not correct
    refused = correct(client, phone, cid, note="why", corrections={"description": "x"})
    assert refused.status_code == 403
    assert len(rows(cid)) == before  # nothing refused left a history row


def test_a_corrected_village_moves_the_concern_only_within_the_supervisors_districts(
    field, client, make_village
):
    phone, boss, village, _, _ = field
    [created] = phone.push(concern_mutation(village.id))
    cid = created["record_id"]
    elsewhere = make_village("650201")
    response = correct(client, boss, cid, note="ผิดหมู่บ้าน", corrections={"village_id": elsewhere.id})
    assert response.status_code == 404  # out_of_scope, as the route answers it
    nearby = make_village()
    response = correct(client, boss, cid, note="ผิดหมู่บ้าน", corrections={"village_id": nearby.id})
    assert response.status_code == 200, response.get_json()
    assert rows(cid)[-1].changes == {"village_id": [village.id, nearby.id]}


def test_server_writes_keep_history(field, client, app, runner):
    phone, boss, village, _, supervisor = field
    inspection = inspection_mutation(village.id, place_type="temple", place_name="วัดใหญ่")
    phone.push(inspection)
    review = client.post(
        f"/api/inspections/{inspection['record_id']}/review",
        json={"action": "approve"},
        headers=boss.headers,
    )
    assert review.status_code == 200
    approved = rows(inspection["record_id"])[-1]
    assert (approved.op, approved.action, approved.user_id) == ("server", "approve", supervisor.id)
    assert approved.changes["review_status"] == ["pending", "approved"]
    [created] = phone.push(concern_mutation(village.id))
    cid = created["record_id"]
    boss.push(transition_mutation(cid, 1, "assign", due_date="2026-03-10"))
    app.config["FIELDAPP_FAKE_NOW"] = "2026-03-12T09:00:00+07:00"
    assert runner.invoke(args=["escalate-overdue"]).exit_code == 0
    raised = rows(cid)[-1]
    assert (raised.op, raised.action, raised.user_id, raised.device_id) == (
        "server",
        "escalate",
        None,
        "server",
    )
    assert raised.changes == {"escalation_level": [0, 1]}


def test_the_history_api_is_for_the_districts_supervisors(field, client, make_user, device):
    phone, boss, village, _, _ = field
    [created] = phone.push(
        concern_mutation(village.id, reporter_consent=True, reporter_phone="0812345678")
    )
    cid = created["record_id"]
    assert api_history(client, boss, "concern", cid).status_code == 200
    assert api_history(client, phone, "concern", cid).status_code == 403  # officials: no
    stranger = device(make_user(role="supervisor", districts=("6502",)))
    assert api_history(client, stranger, "concern", cid).status_code == 404
    assert api_history(client, boss, "visit", cid).status_code == 404
    assert api_history(client, boss, "nothing", cid).status_code == 404
    shown = api_history(client, boss, "concern", cid).get_json()["items"][0]["changes"]
    assert {
        "field": "reporter_phone",
        "before": None,
        "after": "0812345678",
        "withheld": False,
    } in shown


def test_a_refused_browser_step_writes_no_history(field, client):
    phone, boss, village, _, _ = field
    [created] = phone.push(concern_mutation(village.id))
    cid = created["record_id"]
    response = client.post(
        f"/api/concerns/{cid}/transitions", json={"action": "close"}, headers=boss.headers
    )
    assert response.status_code == 409
    assert len(rows(cid)) == 1
    assert db.session.get(Concern, cid).version == 1


def test_a_batch_refused_whole_writes_no_history(field):
    phone, _, village, _, _ = field
    good = concern_mutation(village.id)
    response = phone.push_raw([good, {**concern_mutation(village.id), "op": "fly"}])
    assert response.status_code == 400
    assert rows(good["record_id"]) == []
    assert db.session.scalar(select(RecordHistory.id).limit(1)) is None


def test_history_is_written_with_the_change_or_not_at_all(field, monkeypatch):
    """A push that fails after its history rows were written (here: the change feed) leaves
    neither the records nor their history."""
    phone, _, village, _, _ = field
    import fieldapp.syncstore.write as write

    def feed_down(refs):
        raise RuntimeError("the change feed failed")

    monkeypatch.setattr(write, "record_changes", feed_down)
    good = concern_mutation(village.id)
    response = phone.push_raw([good])
    assert response.status_code == 500
    monkeypatch.undo()
    assert rows(good["record_id"]) == []
    assert db.session.get(Concern, good["record_id"]) is None
