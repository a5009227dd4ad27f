"""Pull: what a user may see, after a cursor, once per page, with tombstones and resets."""

from __future__ import annotations

import pytest
from sync_helpers import concern_mutation, new_id, update_mutation, visit_mutation

from fieldapp.extensions import db
from fieldapp.models import District
from fieldapp.syncstore.feed import compact_feed


def comment(concern_id: str, body: str) -> dict:
    return {
        "mutation_id": new_id(),
        "entity": "followup",
        "record_id": new_id(),
        "op": "create",
        "fields": {"concern_id": concern_id, "body": body},
    }


# The data layer runs on SQLite and, when TEST_DATABASE_URL is set (always on CI), PostgreSQL.
pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def test_a_first_pull_brings_reference_data_and_villages_of_my_districts(
    make_user, make_village, device
):
    mine = make_village("650101")
    theirs = make_village("650201")  # Nakhon Thai
    phone = device(make_user(districts=("6501",)))
    changes = phone.pull()
    kinds = {(c["entity"], c["id"]) for c in changes}
    assert ("village", mine.id) in kinds
    assert ("village", theirs.id) not in kinds
    categories = [c for c in changes if c["entity"] == "category"]
    assert len(categories) == 11
    assert {c["record"]["code"] for c in categories} >= {"roads", "water", "haze"}
    [template] = [c for c in changes if c["entity"] == "template"]
    assert template["record"]["max_total"] == 50
    assert template["record"]["items"][0]["key"] == "entrance"


def test_records_of_others_and_other_districts_stay_out(make_user, make_village, device):
    me = device(make_user(districts=("6501",)))
    colleague = device(make_user(districts=("6501",)))
    faraway = device(make_user(districts=("6502",)))
    here, there = make_village("650101"), make_village("650201")
    [my_visit] = me.push(visit_mutation(here.id))
    [their_visit] = colleague.push(visit_mutation(here.id))
    [their_concern] = colleague.push(concern_mutation(here.id))
    [far_concern] = faraway.push(concern_mutation(there.id))
    me.pull()
    assert ("visit", my_visit["record_id"]) in me.seen
    assert ("visit", their_visit["record_id"]) not in me.seen
    assert ("concern", their_concern["record_id"]) in me.seen  # concerns of my districts
    assert ("concern", far_concern["record_id"]) not in me.seen


def test_a_record_changed_many_times_appears_once_per_page(make_user, make_village, device):
    phone = device(make_user())
    phone.pull()
    [created] = phone.push(visit_mutation(make_village().id))
    vid = created["record_id"]
    for version in range(1, 5):
        phone.push(update_mutation("visit", vid, version, notes=f"รอบที่ {version}"))
    page = phone.pull_page()
    mine = [c for c in page["changes"] if c["id"] == vid]
    assert len(mine) == 1
    assert mine[0]["record"]["version"] == 5
    assert mine[0]["seq"] == max(c["seq"] for c in page["changes"])


def test_pages_follow_the_cursor_without_gaps_or_repeats(make_user, make_village, device):
    phone = device(make_user())
    village = make_village()
    ids = [r["record_id"] for r in phone.push(*[visit_mutation(village.id) for _ in range(7)])]
    received = phone.pull(limit=3)
    seqs = [c["seq"] for c in received]
    assert seqs == sorted(set(seqs))
    assert [c["id"] for c in received if c["entity"] == "visit"] == ids
    assert phone.pull_page()["changes"] == []  # caught up


def test_tombstones_reach_the_device(make_user, make_village, device):
    phone = device(make_user())
    [created] = phone.push(visit_mutation(make_village().id))
    phone.pull()
    vid = created["record_id"]
    phone.push(
        {
            "mutation_id": new_id(),
            "entity": "visit",
            "record_id": vid,
            "op": "delete",
            "base_version": 1,
        }
    )
    [change] = [c for c in phone.pull() if c["id"] == vid]
    assert change["deleted"] is True
    assert change["record"] is None


def test_a_cursor_the_server_cannot_serve_gets_a_reset(make_user, make_village, device):
    phone = device(make_user())
    page = phone.pull_page(cursor="999999")
    assert page["reset"] is True
    assert page["reason"] == "cursor_ahead"
    assert page["cursor"] == "0"
    village = make_village()
    phone.push(visit_mutation(village.id))
    phone.pull()
    stale = phone.cursor
    phone.push(visit_mutation(village.id), visit_mutation(village.id))
    compact_feed()
    db.session.commit()
    assert phone.pull_page(cursor="1")["reason"] == "cursor_expired"
    assert phone.pull_page(cursor=stale).get("reset") is True
    fresh = phone.pull_page(cursor="0")  # a full pull still works after compaction
    assert not fresh.get("reset")


def test_bad_cursors_and_limits_are_problems(make_user, client, login):
    headers = login(make_user())
    for query in ("cursor=abc", "cursor=-1", "limit=0", "limit=ten"):
        response = client.get(f"/api/sync/pull?{query}", headers=headers)
        assert response.status_code == 400, query
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["code"] == "sync.invalid_cursor"


@pytest.mark.parametrize(
    "cursor",
    ["๑๒", "١٢", "１２", "1" * 19, "12 ", "+12"],
    ids=["thai", "arabic-indic", "fullwidth", "19-digits", "space", "plus"],
)
def test_a_cursor_is_1_to_18_ascii_digits(make_user, client, login, cursor):
    """int() reads Thai and other scripts' digits; a cursor the server never gave is refused."""
    headers = login(make_user())
    response = client.get("/api/sync/pull", query_string={"cursor": cursor}, headers=headers)
    assert response.status_code == 400
    assert response.get_json()["code"] == "sync.invalid_cursor"
    assert response.get_json()["errors"]["cursor"]
    longest = client.get("/api/sync/pull", query_string={"cursor": "9" * 18}, headers=headers)
    assert longest.get_json()["reason"] == "cursor_ahead"


def test_a_limit_above_the_maximum_is_lowered(app, make_user, make_village, device):
    app.config["SYNC_MAX_PULL"] = 2
    phone = device(make_user())
    page = phone.pull_page(limit=900)
    assert len(page["changes"]) <= 2
    assert page["has_more"] is True


def test_a_concern_assigned_to_me_stays_with_me_in_another_district_with_its_timeline(
    make_user, make_village, device, client
):
    official = make_user(districts=("6501",))
    mine = device(official)
    reporter = device(make_user(districts=("6501",)))
    supervisor = device(make_user(role="supervisor", districts=("6501",)))
    [concern] = reporter.push(concern_mutation(make_village("650101").id))
    cid = concern["record_id"]
    before = comment(cid, "ก่อนมอบหมาย")
    reporter.push(before)
    response = client.post(
        f"/api/concerns/{cid}/transitions",
        json={"action": "assign", "assignee_id": official.id, "due_date": "2026-04-01"},
        headers=supervisor.headers,
    )
    assert response.status_code == 200, response.get_json()
    # Transferred to another district: the concern assigned to me stays with me.
    official.districts = [db.session.get(District, "6502")]
    db.session.commit()
    after = comment(cid, "หลังย้าย")
    reporter.push(after)
    mine.pull()
    assert mine.seen[("concern", cid)]["assignee_id"] == official.id
    assert mine.seen[("followup", before["record_id"])]["body"] == "ก่อนมอบหมาย"
    assert mine.seen[("followup", after["record_id"])]["body"] == "หลังย้าย"
    timeline = [r for (e, _), r in mine.seen.items() if e == "followup" and r["kind"] != "comment"]
    assert timeline[0]["kind"] == "assignment"
    # Reassigned to someone else: my copy is withdrawn, with its timeline.
    other = make_user(districts=("6501",))
    response = client.post(
        f"/api/concerns/{cid}/transitions",
        json={"action": "assign", "assignee_id": other.id},
        headers=supervisor.headers,
    )
    assert response.status_code == 200
    withdrawn = [c for c in mine.pull() if c["id"] == cid]
    assert withdrawn[-1]["deleted"] is True
    assert withdrawn[-1]["out_of_scope"] is True
    assert mine.seen[("followup", before["record_id"])] is None
    assert mine.seen[("followup", after["record_id"])] is None


def test_the_compaction_command_reports_its_horizon(runner, make_user, make_village, device):
    phone = device(make_user())
    [created] = phone.push(visit_mutation(make_village().id))
    phone.push(update_mutation("visit", created["record_id"], 1, notes="ใหม่"))
    result = runner.invoke(args=["sync-compact"])
    assert result.exit_code == 0, result.output
    assert "removed 1 superseded" in result.output
    changes = phone.pull()
    assert [c["record"]["notes"] for c in changes if c["entity"] == "visit"] == ["ใหม่"]


def test_pulled_lists_come_back_exactly_as_pushed(make_user, make_village, device):
    phone = device(make_user())
    companions = ["ผู้ใหญ่บ้าน สมชาย", 'อสม. "แดง"', "emoji 🌾 \\ slash"]
    [created] = phone.push(
        visit_mutation(make_village().id, companions=companions, topics=["haze", "health"])
    )
    phone.pull()
    record = phone.seen[("visit", created["record_id"])]
    assert record["companions"] == companions
    assert record["topics"] == ["haze", "health"]


def test_a_record_changed_after_a_later_record_is_pulled_once_at_its_latest_change(
    make_user, make_village, device
):
    phone = device(make_user())
    village = make_village()
    phone.pull()
    before = phone.cursor
    [x] = phone.push(visit_mutation(village.id))
    [y] = phone.push(visit_mutation(village.id))
    phone.push(update_mutation("visit", x["record_id"], 1, notes="แก้ไข"))
    phone.cursor = before
    received = [(c["id"], c["record"]["version"]) for c in phone.pull(limit=1)]
    assert received == [(y["record_id"], 1), (x["record_id"], 2)]


def test_a_supervisor_who_sees_both_scopes_gets_a_reassigned_concern_once(
    make_user, make_village, device, client
):
    reporter = device(make_user(districts=("6501",)))
    supervisor = device(make_user(role="supervisor", districts=("6501",)))
    supervisor.pull()
    before = supervisor.cursor
    [concern] = reporter.push(concern_mutation(make_village("650101").id))
    [other] = reporter.push(concern_mutation(make_village("650101").id))
    cid = concern["record_id"]
    response = client.post(
        f"/api/concerns/{cid}/transitions",
        json={"action": "assign", "assignee_id": make_user(districts=("6501",)).id},
        headers=supervisor.headers,
    )
    assert response.status_code == 200, response.get_json()
    supervisor.cursor = before
    received = [c for c in supervisor.pull(limit=1) if c["entity"] == "concern"]
    assert [(c["id"], c["record"]["version"]) for c in received] == [
        (other["record_id"], 1),
        (cid, 2),
    ]
