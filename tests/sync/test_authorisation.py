"""Authorisation: district scope on push and pull, roles in the workflow, stale transitions."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sync_helpers import concern_mutation, transition_mutation, update_mutation, visit_mutation

from fieldapp.extensions import db
from fieldapp.models import Concern, QuarantinedMutation, Visit

# The data layer runs on SQLite and, when TEST_DATABASE_URL is set (always on CI), PostgreSQL.
pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def test_a_device_cannot_push_into_another_district(make_user, make_village, device):
    phone = device(make_user(districts=("6501",)))
    elsewhere = make_village("650201")
    [result] = phone.push(visit_mutation(elsewhere.id))
    assert result["status"] == "rejected"
    assert result["reason"] == "out_of_scope"
    entry = db.session.get(QuarantinedMutation, result["quarantine_id"])
    assert entry.district_code == "6502"
    assert db.session.scalars(select(Visit)).all() == []


def test_a_device_cannot_move_its_record_into_another_district(make_user, make_village, device):
    phone = device(make_user(districts=("6501",)))
    [created] = phone.push(visit_mutation(make_village("650101").id))
    elsewhere = make_village("650201")
    [moved] = phone.push(update_mutation("visit", created["record_id"], 1, village_id=elsewhere.id))
    assert moved["reason"] == "out_of_scope"
    assert db.session.get(Visit, created["record_id"]).district_code == "6501"


def test_a_device_cannot_edit_a_colleagues_record(make_user, make_village, device):
    mine, theirs = device(make_user()), device(make_user())
    [created] = theirs.push(visit_mutation(make_village().id))
    [edit] = mine.push(update_mutation("visit", created["record_id"], 1, notes="ไม่ใช่ของฉัน"))
    assert edit["reason"] == "forbidden"


def test_a_device_cannot_pull_from_another_district(make_user, make_village, device):
    far = device(make_user(districts=("6502",)))
    near = device(make_user(districts=("6501",)))
    [concern] = near.push(concern_mutation(make_village("650101").id))
    changes = far.pull()
    assert all(c["id"] != concern["record_id"] for c in changes)
    assert all(c["record"]["district_code"] == "6502" for c in changes if c["entity"] == "village")


def test_an_official_cannot_close_a_concern(make_user, make_village, device):
    official = device(make_user())
    supervisor = device(make_user(role="supervisor"))
    [concern] = official.push(concern_mutation(make_village().id))
    cid = concern["record_id"]
    supervisor.push(transition_mutation(cid, 1, "accept"))
    supervisor.push(transition_mutation(cid, 2, "start"))
    supervisor.push(transition_mutation(cid, 3, "resolve", note="เสร็จ"))
    [closing] = official.push(transition_mutation(cid, 4, "close"))
    assert closing["status"] == "rejected"
    assert closing["reason"] == "forbidden"
    assert db.session.get(QuarantinedMutation, closing["quarantine_id"]).reason == "forbidden"
    assert db.session.get(Concern, cid).status == "resolved"


def test_a_stale_transition_is_rejected_and_quarantined(make_user, make_village, device):
    official = device(make_user())
    boss_a, boss_b = device(make_user(role="supervisor")), device(make_user(role="supervisor"))
    [concern] = official.push(concern_mutation(make_village().id))
    cid = concern["record_id"]
    [first] = boss_a.push(transition_mutation(cid, 1, "reject", note="ไม่ใช่อำนาจหน้าที่"))
    assert first["status"] == "applied"
    # Boss B decided offline, from version 1, to accept it.
    [late] = boss_b.push(transition_mutation(cid, 1, "accept", from_status="new"))
    assert late["status"] == "rejected"
    assert late["reason"] == "stale_transition"
    entry = db.session.get(QuarantinedMutation, late["quarantine_id"])
    assert entry.payload["transition"]["action"] == "accept"
    assert db.session.get(Concern, cid).status == "rejected"
