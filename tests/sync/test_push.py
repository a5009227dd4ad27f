"""Push: one outcome per mutation, exactly once, field-level merge, conflicts kept."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sync_helpers import (
    concern_mutation,
    new_id,
    transition_mutation,
    update_mutation,
    visit_mutation,
)

from fieldapp.extensions import db
from fieldapp.models import (
    AppliedMutation,
    Conflict,
    FollowupEntry,
    Inspection,
    PhotoLink,
    QuarantinedMutation,
    Visit,
)

# The data layer runs on SQLite and, when TEST_DATABASE_URL is set (always on CI), PostgreSQL.
pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_create_is_applied_and_the_pull_brings_what_the_server_added(
    make_user, make_village, device
):
    phone = device(make_user())
    village = make_village()
    [result] = phone.push(visit_mutation(village.id, notes="พบผู้ใหญ่บ้าน"))
    assert result["status"] == "applied"
    assert result["version"] == 1
    assert "record" not in result  # the device's copy is the server's
    assert db.session.get(Visit, result["record_id"]).notes == "พบผู้ใหญ่บ้าน"
    phone.pull()
    pulled = phone.seen[("visit", result["record_id"])]
    assert pulled["notes"] == "พบผู้ใหญ่บ้าน"
    assert pulled["district_code"] == "6501"
    assert pulled["visited_at"] == "2026-03-01T02:30:00+00:00"


def test_a_lost_response_is_answered_with_the_first_outcome_on_retry(
    make_user, make_village, device
):
    phone = device(make_user())
    village = make_village()
    batch = [visit_mutation(village.id), visit_mutation(village.id)]
    phone.push(*batch)  # the server committed; the phone never saw this answer
    retry = phone.push(*batch)
    assert [r["status"] for r in retry] == ["duplicate", "duplicate"]
    assert [r["original"]["status"] for r in retry] == ["applied", "applied"]
    assert retry[0]["original"]["version"] == 1
    assert count(Visit) == 2
    assert count(AppliedMutation) == 2


def test_a_mutation_repeated_in_one_batch_is_applied_once(make_user, make_village, device):
    phone = device(make_user())
    mutation = visit_mutation(make_village().id)
    first, second = phone.push(mutation, mutation)
    assert (first["status"], second["status"]) == ("applied", "duplicate")
    assert second["original"]["status"] == "applied"
    assert count(Visit) == 1


def test_edits_of_different_fields_merge(make_user, make_village, device):
    official = make_user()
    phone_a, phone_b = device(official), device(official)
    [created] = phone_a.push(visit_mutation(make_village().id, notes="เดิม", villagers_met=10))
    vid = created["record_id"]
    [a] = phone_a.push(update_mutation("visit", vid, 1, notes="แก้ที่เครื่อง A"))
    [b] = phone_b.push(update_mutation("visit", vid, 1, villagers_met=25))
    assert a["status"] == "applied"
    assert b["status"] == "merged"
    assert b["record"]["notes"] == "แก้ที่เครื่อง A"
    assert b["record"]["villagers_met"] == 25
    assert b["version"] == 3
    assert count(Conflict) == 0


def test_the_same_field_edited_twice_keeps_both_values(make_user, make_village, device):
    official = make_user()
    phone_a, phone_b = device(official), device(official)
    [created] = phone_a.push(visit_mutation(make_village().id, notes="เดิม"))
    vid = created["record_id"]
    first = update_mutation("visit", vid, 1, notes="ค่าจากเครื่อง A")
    phone_a.push(first)
    second = update_mutation("visit", vid, 1, notes="ค่าจากเครื่อง B")
    [b] = phone_b.push(second)
    assert b["status"] == "conflict"
    assert b["record"]["notes"] == "ค่าจากเครื่อง B"  # the later arrival wins
    [conflict] = b["conflicts"]
    assert conflict["field"] == "notes"
    assert conflict["lost_value"] == "ค่าจากเครื่อง A"
    assert conflict["kept_value"] == "ค่าจากเครื่อง B"
    assert conflict["lost_mutation_id"] == first["mutation_id"]
    assert b["record"]["conflicts"][0]["lost_value"] == "ค่าจากเครื่อง A"
    stored = db.session.scalars(select(Conflict)).one()
    assert (stored.lost_value, stored.kept_mutation_id) == ("ค่าจากเครื่อง A", second["mutation_id"])
    # Visible to the other side too: phone A pulls the record with its conflict.
    phone_a.pull()
    assert phone_a.seen[("visit", vid)]["conflicts"][0]["lost_value"] == "ค่าจากเครื่อง A"


def test_a_conflict_beside_plain_applies_still_shows_its_open_conflict(
    make_user, make_village, device
):
    official, village = make_user(), make_village()
    phone_a, phone_b = device(official), device(official)
    [created] = phone_a.push(visit_mutation(village.id, notes="เดิม"))
    vid = created["record_id"]
    phone_a.push(update_mutation("visit", vid, 1, notes="ค่าจากเครื่อง A"))
    plain, edited = phone_b.push(
        visit_mutation(village.id), update_mutation("visit", vid, 1, notes="ค่าจากเครื่อง B")
    )
    assert plain["status"] == "applied" and "record" not in plain
    assert plain["missing_photos"] == []
    assert edited["status"] == "conflict"
    assert edited["record"]["conflicts"][0]["lost_value"] == "ค่าจากเครื่อง A"


def test_a_devices_own_later_edit_is_not_a_conflict(make_user, make_village, device):
    phone = device(make_user())
    [created] = phone.push(visit_mutation(make_village().id, notes="1"))
    vid = created["record_id"]
    # Offline, the phone edits the same field twice; both edits start from version 1.
    first, second = phone.push(
        update_mutation("visit", vid, 1, notes="2"), update_mutation("visit", vid, 1, notes="3")
    )
    assert first["status"] == "applied"
    assert second["status"] == "merged"
    assert second["record"]["notes"] == "3"
    assert count(Conflict) == 0


def test_a_bad_mutation_is_quarantined_and_blocks_nothing(make_user, make_village, device):
    phone = device(make_user())
    village = make_village()
    good1 = visit_mutation(village.id)
    bad = visit_mutation(village.id, villagers_met="many", visited_at="yesterday")
    good2 = visit_mutation(village.id)
    results = phone.push(good1, bad, good2)
    assert [r["status"] for r in results] == ["applied", "rejected", "applied"]
    rejected = results[1]
    assert rejected["reason"] == "validation"
    assert set(rejected["errors"]) == {"villagers_met", "visited_at"}
    entry = db.session.get(QuarantinedMutation, rejected["quarantine_id"])
    assert entry.payload == bad  # verbatim
    assert entry.reason == "validation"
    assert count(Visit) == 2
    # A retry of the rejected mutation answers the same rejection, with no second entry.
    [again] = phone.push(bad)
    assert again["status"] == "duplicate"
    assert again["original"]["quarantine_id"] == rejected["quarantine_id"]
    assert count(QuarantinedMutation) == 1


def test_devices_cannot_set_workflow_fields(make_user, make_village, device):
    phone = device(make_user())
    village = make_village()
    [result] = phone.push(concern_mutation(village.id, status="closed", priority=1))
    assert result["status"] == "rejected"
    assert result["reason"] == "validation"
    assert "workflow field" in result["errors"]["status"][0]
    assert "priority" in result["errors"]
    [created] = phone.push(concern_mutation(village.id))
    [update] = phone.push(update_mutation("concern", created["record_id"], 1, assignee_id=1))
    assert update["status"] == "rejected"
    assert "assignee_id" in update["errors"]


def test_the_server_computes_an_inspections_total_and_grade(make_user, make_village, device):
    phone = device(make_user())
    village = make_village()
    scores = {key: {"score": 5} for key in ("entrance", "waste_sorting", "drainage", "greenery")}
    scores.update({k: {"score": 4, "note": "พอใช้"} for k in ("toilets", "mosquito", "storage")})
    scores.update({k: {"score": 5} for k in ("signage", "road_front", "participation")})
    mutation = {
        "mutation_id": new_id(),
        "entity": "inspection",
        "record_id": new_id(),
        "op": "create",
        "fields": {
            "village_id": village.id,
            "place_type": "school",
            "place_name": "โรงเรียนบ้านหนองแขม",
            "inspected_at": "2026-03-02T08:00:00+07:00",
            "template_id": 1,
            "scores": scores,
        },
    }
    [result] = phone.push(mutation)
    assert result["status"] == "applied", result
    stored = db.session.get(Inspection, result["record_id"])
    assert (stored.total, stored.max_total, stored.grade) == (47, 50, "A")
    # An update sends only the items it changes; null takes an item's score away.
    [update] = phone.push(
        update_mutation(
            "inspection",
            result["record_id"],
            1,
            scores={"entrance": {"score": 1}, "signage": None},
        )
    )
    assert update["status"] == "applied"
    phone.pull()
    pulled = phone.seen[("inspection", result["record_id"])]
    assert (pulled["total"], pulled["grade"]) == (38, "B")  # 47 - 5 + 1 - 5
    assert pulled["scores"]["entrance"]["score"] == 1
    assert "signage" not in pulled["scores"]
    assert pulled["scores"]["toilets"] == {"score": 4, "note": "พอใช้"}  # untouched
    [bad] = phone.push(
        update_mutation("inspection", result["record_id"], 2, scores={"entrance": {"score": 9}})
    )
    assert bad["status"] == "rejected"
    assert "scores.entrance.score" in bad["errors"]
    [forged] = phone.push(update_mutation("inspection", result["record_id"], 2, total=50))
    assert "total" in forged["errors"]
    assert db.session.get(Inspection, result["record_id"]).total == 38


def _scored_inspection(phone, village_id: str) -> str:
    scores = {key: {"score": 3} for key in ("entrance", "toilets", "drainage")}
    [created] = phone.push(
        {
            "mutation_id": new_id(),
            "entity": "inspection",
            "record_id": new_id(),
            "op": "create",
            "fields": {
                "village_id": village_id,
                "place_type": "market",
                "place_name": "ตลาดสดเทศบาล",
                "inspected_at": "2026-03-02T08:00:00+07:00",
                "template_id": 1,
                "scores": scores,
            },
        }
    )
    assert created["status"] == "applied", created
    return created["record_id"]


def test_scoring_different_items_on_two_phones_offline_keeps_both_scores(
    make_user, make_village, device
):
    village = make_village()
    inspector = make_user()
    first, second = device(inspector), device(inspector)  # a phone and a tablet
    inspection_id = _scored_inspection(first, village.id)
    # Both start from version 1; each scores another item while offline.
    [one] = first.push(
        update_mutation("inspection", inspection_id, 1, scores={"entrance": {"score": 5}})
    )
    [two] = second.push(
        update_mutation(
            "inspection", inspection_id, 1, scores={"toilets": {"score": 1, "note": "ไม่มีสบู่"}}
        )
    )
    assert one["status"] == "applied"
    assert two["status"] == "merged", two.get("conflicts")  # nothing lost
    assert "conflicts" not in two
    stored = db.session.get(Inspection, inspection_id)
    assert {key: item["score"] for key, item in stored.scores.items()} == {
        "entrance": 5,
        "toilets": 1,
        "drainage": 3,
    }
    assert stored.scores["toilets"]["note"] == "ไม่มีสบู่"
    assert stored.total == 9
    assert count(Conflict) == 0


def test_scoring_the_same_item_on_two_phones_keeps_both_values_on_record(
    make_user, make_village, device
):
    village = make_village()
    inspector = make_user()
    first, second = device(inspector), device(inspector)
    inspection_id = _scored_inspection(first, village.id)
    first.push(update_mutation("inspection", inspection_id, 1, scores={"entrance": {"score": 5}}))
    [late] = second.push(
        update_mutation(
            "inspection",
            inspection_id,
            1,
            scores={"entrance": {"score": 2}, "drainage": {"score": 4}},
        )
    )
    assert late["status"] == "conflict"
    [note] = late["conflicts"]
    assert note["field"] == "scores.entrance"
    assert (note["kept_value"]["score"], note["lost_value"]["score"]) == (2, 5)
    stored = db.session.get(Inspection, inspection_id)
    assert stored.scores["entrance"]["score"] == 2
    assert stored.scores["drainage"]["score"] == 4  # the other item merged without a note
    [conflict] = db.session.scalars(select(Conflict)).all()
    assert conflict.field == "scores.entrance"


def test_update_and_delete_of_unknown_or_deleted_records_are_rejected(
    make_user, make_village, device
):
    phone = device(make_user())
    [missing] = phone.push(update_mutation("visit", new_id(), 1, notes="x"))
    assert missing["reason"] == "not_found"
    [created] = phone.push(visit_mutation(make_village().id))
    vid = created["record_id"]
    delete = {
        "mutation_id": new_id(),
        "entity": "visit",
        "record_id": vid,
        "op": "delete",
        "base_version": 1,
    }
    [deleted] = phone.push(delete)
    assert (deleted["status"], deleted["version"]) == ("applied", 2)
    [late] = phone.push(update_mutation("visit", vid, 1, notes="หลังลบ"))
    assert late["reason"] == "deleted"
    assert db.session.get(Visit, vid).deleted is True


def test_followups_are_appended_by_devices_and_never_rewritten(make_user, make_village, device):
    phone = device(make_user())
    [concern] = phone.push(concern_mutation(make_village().id))
    comment = {
        "mutation_id": new_id(),
        "entity": "followup",
        "record_id": new_id(),
        "op": "create",
        "fields": {"concern_id": concern["record_id"], "body": "ชาวบ้านแจ้งเพิ่มเติม"},
    }
    [added] = phone.push(comment)
    assert added["status"] == "applied"
    entry = db.session.get(FollowupEntry, comment["record_id"])
    assert (entry.kind, entry.district_code) == ("comment", "6501")
    [edit] = phone.push(update_mutation("followup", comment["record_id"], 1, body="แก้"))
    assert edit["reason"] == "append_only"
    assert db.session.get(FollowupEntry, comment["record_id"]).body == "ชาวบ้านแจ้งเพิ่มเติม"


def test_photos_are_linked_and_reported_missing(make_user, make_village, device):
    phone = device(make_user())
    sha = "ab" * 32
    mutation = visit_mutation(make_village().id)
    mutation["photos"] = [{"sha256": sha, "caption": "ศาลา", "position": 1}]
    [result] = phone.push(mutation)
    assert result["missing_photos"] == [sha]
    phone.pull()
    pulled = phone.seen[("visit", mutation["record_id"])]
    assert pulled["missing_photos"] == [sha]
    assert (pulled["photos"][0]["caption"], pulled["photos"][0]["present"]) == ("ศาลา", False)
    link = db.session.scalars(select(PhotoLink)).one()
    assert (link.entity, link.record_id, link.sha256) == ("visit", mutation["record_id"], sha)
    remove = update_mutation("visit", mutation["record_id"], 1)
    remove["photos"] = [{"sha256": sha, "remove": True}]
    [removed] = phone.push(remove)
    assert removed["missing_photos"] == []
    assert count(PhotoLink) == 0


def test_reporter_details_need_consent_and_are_shown_only_to_allowed_roles(
    make_user, make_village, device
):
    author = device(make_user())
    colleague = device(make_user())
    supervisor = device(make_user(role="supervisor"))
    village = make_village()
    [refused] = author.push(concern_mutation(village.id, reporter_name="นางสมศรี"))
    assert refused["status"] == "rejected"
    assert "reporter_name" in refused["errors"]
    [ok] = author.push(
        concern_mutation(
            village.id, reporter_consent=True, reporter_name="นางสมศรี", reporter_phone="0812345678"
        )
    )
    author.pull()
    assert author.seen[("concern", ok["record_id"])]["reporter_name"] == "นางสมศรี"
    colleague.pull()
    seen = colleague.seen[("concern", ok["record_id"])]
    assert "reporter_name" not in seen and "reporter_phone" not in seen
    supervisor.pull()
    assert supervisor.seen[("concern", ok["record_id"])]["reporter_phone"] == "0812345678"


def test_a_transition_is_pushed_like_any_other_change(make_user, make_village, device):
    official = device(make_user())
    boss = make_user(role="supervisor")
    supervisor = device(boss)
    [concern] = official.push(concern_mutation(make_village().id))
    cid = concern["record_id"]
    [accepted] = supervisor.push(transition_mutation(cid, 1, "accept", from_status="new"))
    assert accepted["status"] == "applied"
    assert accepted["record"]["status"] == "accepted"
    entry = db.session.scalars(select(FollowupEntry)).one()
    assert (entry.kind, entry.from_status, entry.to_status) == ("status", "new", "accepted")


def test_a_mutation_id_another_account_used_is_refused_without_leaking(
    make_user, make_village, device
):
    mine, theirs = device(make_user()), device(make_user())
    mutation = visit_mutation(make_village().id)
    theirs.push(mutation)
    copy = {**mutation, "record_id": new_id()}
    [answer] = mine.push(copy)
    assert answer["status"] == "duplicate"
    assert answer["original"]["reason"] == "mutation_id_taken"
    assert answer["record_id"] == copy["record_id"]
    assert "version" not in answer["original"]
    assert count(Visit) == 1


def test_a_photo_added_or_removed_is_a_new_version(make_user, make_village, device):
    phone = device(make_user())
    sha = "cd" * 32
    [created] = phone.push(visit_mutation(make_village().id))
    vid = created["record_id"]
    add = update_mutation("visit", vid, 1)
    add["photos"] = [{"sha256": sha, "caption": "ศาลา"}]
    [added] = phone.push(add)
    assert (added["status"], added["version"]) == ("applied", 2)
    phone.pull()
    assert phone.seen[("visit", vid)]["version"] == 2
    assert phone.seen[("visit", vid)]["missing_photos"] == [sha]
    remove = update_mutation("visit", vid, 2)
    remove["photos"] = [{"sha256": sha, "remove": True}]
    [removed] = phone.push(remove)
    assert (removed["status"], removed["version"]) == ("applied", 3)
    changes = [c for c in phone.pull() if c["id"] == vid]
    assert [(c["record"]["version"], c["record"]["photos"]) for c in changes] == [(3, [])]


def test_each_outcome_shows_the_record_as_its_own_mutation_left_it(make_user, make_village, device):
    official = device(make_user())
    supervisor = device(make_user(role="supervisor"))
    [concern] = official.push(concern_mutation(make_village().id))
    cid = concern["record_id"]
    results = supervisor.push(
        transition_mutation(cid, 1, "accept"),
        transition_mutation(cid, 2, "start"),
        transition_mutation(cid, 3, "resolve", note="ซ่อมแล้ว"),
    )
    shown = [(r["version"], r["record"]["version"], r["record"]["status"]) for r in results]
    assert shown == [(2, 2, "accepted"), (3, 3, "in_progress"), (4, 4, "resolved")]


def test_two_merges_of_one_record_in_a_batch_each_show_their_own_merge(
    make_user, make_village, device
):
    official = make_user()
    phone_a, phone_b = device(official), device(official)
    [created] = phone_a.push(visit_mutation(make_village().id, villagers_met=10))
    vid = created["record_id"]
    phone_a.push(update_mutation("visit", vid, 1, villagers_met=30))
    results = phone_b.push(
        update_mutation("visit", vid, 1, notes="หนึ่ง"),
        update_mutation("visit", vid, 1, gps_accuracy_m=5.0),
    )
    assert [r["status"] for r in results] == ["merged", "merged"]
    first, second = (r["record"] for r in results)
    assert (first["version"], first["notes"], first["gps_accuracy_m"]) == (3, "หนึ่ง", None)
    assert (second["version"], second["notes"], second["gps_accuracy_m"]) == (4, "หนึ่ง", 5.0)
