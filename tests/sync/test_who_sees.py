"""Every reader and writer follows the one visibility rule (fieldapp/auth/visibility.py):
pull, push, the workflow, photos, quarantine and conflicts agree on who sees what."""

from __future__ import annotations

import pytest
from photos.images import jpeg, sha256
from photos.tus import upload
from sqlalchemy import select
from sync_helpers import (
    concern_mutation,
    new_id,
    transition_mutation,
    update_mutation,
    visit_mutation,
)

from fieldapp.auth.visibility import actor_for, may_see, record_filter, scope_of
from fieldapp.extensions import db
from fieldapp.models import Concern, District, FollowupEntry, Inspection, Village, Visit

# The data layer runs on SQLite and, when TEST_DATABASE_URL is set (always on CI), PostgreSQL.
pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]
PHOTO = jpeg((640, 480), gps=True)
SHA = sha256(PHOTO)


def move(user, *districts: str) -> None:
    """An admin gives the user other districts (a transfer to another amphoe)."""
    user.districts = [db.session.get(District, code) for code in districts]
    db.session.commit()


def comment(concern_id: str, body: str = "ติดตามแล้ว") -> dict:
    return {
        "mutation_id": new_id(),
        "entity": "followup",
        "record_id": new_id(),
        "op": "create",
        "fields": {"concern_id": concern_id, "body": body},
    }


def inspection_mutation(village_id: str) -> dict:
    return {
        "mutation_id": new_id(),
        "entity": "inspection",
        "record_id": new_id(),
        "op": "create",
        "fields": {
            "village_id": village_id,
            "place_type": "school",
            "place_name": "โรงเรียนบ้านหนองแขม",
            "inspected_at": "2026-03-02T08:00:00+07:00",
            "template_id": 1,
            "scores": {"entrance": {"score": 5}},
        },
    }


def assign(phone, concern_id: str, version: int, assignee_id: int) -> dict:
    step = transition_mutation(concern_id, version, "assign", assignee_id=assignee_id)
    [answer] = phone.push(step)
    return answer


def photo(client, rendition: str, headers: dict):
    """Buffered, so the streamed file is read and closed as a WSGI server would."""
    return client.get(f"/api/photos/{SHA}/{rendition}", headers=headers, buffered=True)


def test_an_assignee_outside_the_district_sees_the_concern_and_its_photo(
    make_user, make_village, device, client
):
    reporter = device(make_user(districts=("6501",)))
    official = make_user(districts=("6501",))
    assignee = device(official)
    supervisor = device(make_user(role="supervisor", districts=("6501",)))
    mutation = concern_mutation(make_village("650101").id)
    mutation["photos"] = [{"sha256": SHA}]
    [concern] = reporter.push(mutation)
    assert upload(client, reporter.headers, PHOTO).status_code == 204
    cid = concern["record_id"]
    assert assign(supervisor, cid, 1, official.id)["status"] == "applied"
    move(official, "6502")  # still the assignee, no longer in the concern's district
    assignee.pull()
    assert assignee.seen[("concern", cid)]["assignee_id"] == official.id
    for rendition in ("thumb", "display"):
        response = photo(client, rendition, assignee.headers)
        assert response.status_code == 200, rendition
    # The original keeps GPS: only the uploader and supervisors or admins who see the concern.
    assert photo(client, "original", assignee.headers).status_code == 403
    assert photo(client, "original", supervisor.headers).status_code == 200


def test_a_supervisor_assigns_only_active_users_of_the_concerns_district(
    make_user, make_village, device, client
):
    reporter = device(make_user(districts=("6501",)))
    supervisor = device(make_user(role="supervisor", districts=("6501",)))
    elsewhere = make_user(districts=("6502",))
    inactive = make_user(districts=("6501",), active=False)
    near = make_user(districts=("6501", "6502"))
    [concern] = reporter.push(concern_mutation(make_village("650101").id))
    cid = concern["record_id"]
    for refused in (elsewhere, inactive):
        answer = assign(supervisor, cid, 1, refused.id)
        assert answer["status"] == "rejected", refused.username
        assert answer["reason"] == "validation"
        assert list(answer["errors"]) == ["transition.assignee_id"]
    response = client.post(
        f"/api/concerns/{cid}/transitions",
        json={"action": "assign", "assignee_id": elsewhere.id},
        headers=supervisor.headers,
    )
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["transition.assignee_id"]
    assert db.session.get(Concern, cid).assignee_id is None
    assert assign(supervisor, cid, 1, near.id)["status"] == "applied"
    assert db.session.get(Concern, cid).assignee_id == near.id


def test_supervisors_pull_their_districts_visits_and_inspections(make_user, make_village, device):
    here, there = make_village("650101"), make_village("650201")
    official_user = make_user(districts=("6501",))
    official = device(official_user)
    far_official = device(make_user(districts=("6502",)))
    [visit] = official.push(visit_mutation(here.id))
    [inspection] = official.push(inspection_mutation(here.id))
    [far_visit] = far_official.push(visit_mutation(there.id))
    [far_inspection] = far_official.push(inspection_mutation(there.id))
    supervisor = device(make_user(role="supervisor", districts=("6501",)))
    colleague = device(make_user(districts=("6501",)))
    supervisor.pull()
    colleague.pull()
    assert ("visit", visit["record_id"]) in supervisor.seen
    assert supervisor.seen[("inspection", inspection["record_id"])]["total"] == 5
    assert ("visit", far_visit["record_id"]) not in supervisor.seen
    assert ("inspection", far_inspection["record_id"]) not in supervisor.seen
    # Officials see their own visits only, not a colleague's.
    assert ("visit", visit["record_id"]) not in colleague.seen
    assert ("inspection", inspection["record_id"]) not in colleague.seen
    # A visit moved out of the supervisor's district is withdrawn from their phone.
    move(official_user, "6501", "6502")
    official.push(update_mutation("visit", visit["record_id"], 1, village_id=there.id))
    supervisor.pull()
    assert supervisor.seen[("visit", visit["record_id"])] is None


def test_a_supervisors_follow_up_reaches_the_concerns_author_in_another_district(
    make_user, make_village, device
):
    author = make_user(districts=("6501",))
    phone = device(author)
    supervisor = device(make_user(role="supervisor", districts=("6501",)))
    [concern] = phone.push(concern_mutation(make_village("650101").id))
    cid = concern["record_id"]
    move(author, "6502")  # transferred: holds no district of the concern any more
    note = comment(cid, "รับเรื่องแล้ว กำลังประสานงาน")
    [written] = supervisor.push(note)
    assert written["status"] == "applied"
    assert supervisor.push(transition_mutation(cid, 1, "accept"))[0]["status"] == "applied"
    phone.pull()
    assert phone.seen[("followup", note["record_id"])]["body"] == "รับเรื่องแล้ว กำลังประสานงาน"
    assert phone.seen[("concern", cid)]["status"] == "accepted"
    statuses = [
        r for (e, _), r in phone.seen.items() if e == "followup" and r and r["kind"] == "status"
    ]
    assert [r["to_status"] for r in statuses] == ["accepted"]


def test_a_concern_moved_to_another_district_arrives_there_with_its_timeline(
    make_user, make_village, device
):
    author = device(make_user(districts=("6501", "6502")))
    near = device(make_user(districts=("6501",)))
    far = device(make_user(districts=("6502",)))
    [concern] = author.push(concern_mutation(make_village("650101").id))
    cid = concern["record_id"]
    note = comment(cid, "ก่อนย้าย")
    author.push(note)
    near.pull()
    far.pull()
    assert ("followup", note["record_id"]) in near.seen
    assert ("concern", cid) not in far.seen
    [moved] = author.push(update_mutation("concern", cid, 1, village_id=make_village("650201").id))
    assert moved["status"] == "applied"
    far.pull()
    assert far.seen[("concern", cid)]["district_code"] == "6502"
    assert far.seen[("followup", note["record_id"])]["body"] == "ก่อนย้าย"
    near.pull()
    assert near.seen[("concern", cid)] is None
    assert near.seen[("followup", note["record_id"])] is None


def test_quarantine_and_conflict_lists_follow_the_supervisors_districts(
    make_user, make_village, device, client
):
    near_official = make_user(districts=("6501",))
    near_phone, near_tablet = device(near_official), device(near_official)
    far_phone = device(make_user(districts=("6502",)))
    near_boss = device(make_user(role="supervisor", districts=("6501",)))
    far_boss = device(make_user(role="supervisor", districts=("6502",)))
    admin = device(make_user(role="admin", districts=()))
    [near_rejected] = near_phone.push(visit_mutation(make_village("650101").id, villagers_met=-1))
    [far_rejected] = far_phone.push(visit_mutation(make_village("650201").id, villagers_met=-1))
    # The supervisor's own mutation into a district that is not theirs: listed for them.
    [own_rejected] = near_boss.push(visit_mutation(make_village("650202").id))
    assert own_rejected["reason"] == "out_of_scope"

    def listed(phone, path: str) -> set[int]:
        response = client.get(f"/api/sync/{path}", headers=phone.headers)
        assert response.status_code == 200, response.get_json()
        return {e["id"] for e in response.get_json()}

    ids = {r["quarantine_id"] for r in (near_rejected, far_rejected, own_rejected)}
    assert listed(near_boss, "quarantine") == {
        near_rejected["quarantine_id"],
        own_rejected["quarantine_id"],
    }
    # The far supervisor sees entries of their district, whoever pushed them.
    assert listed(far_boss, "quarantine") == {
        far_rejected["quarantine_id"],
        own_rejected["quarantine_id"],
    }
    assert listed(admin, "quarantine") == ids

    [created] = near_phone.push(concern_mutation(make_village("650101").id, description="เดิม"))
    cid = created["record_id"]
    near_phone.push(update_mutation("concern", cid, 1, description="ก"))
    near_tablet.push(update_mutation("concern", cid, 1, description="ข"))
    [conflict] = listed(near_boss, "conflicts")
    assert listed(far_boss, "conflicts") == set()
    assert listed(admin, "conflicts") == {conflict}
    url = f"/api/sync/conflicts/{conflict}/resolve"
    refused = client.post(url, json={"note": "ไม่ใช่เขตของฉัน"}, headers=far_boss.headers)
    assert refused.status_code == 404
    resolved = client.post(url, json={"note": "ใช้ค่า ข"}, headers=near_boss.headers)
    assert resolved.status_code == 200


RECORDS = (
    ("village", Village),
    ("visit", Visit),
    ("inspection", Inspection),
    ("concern", Concern),
    ("followup", FollowupEntry),
)


def _listed(user, device_id: str) -> set[tuple[str, str]]:
    """The live records `record_filter` (lists, queues, exports) gives the user."""
    actor = actor_for(user, device_id)
    return {
        (entity, record_id)
        for entity, model in RECORDS
        for record_id in db.session.scalars(
            select(model.id).where(
                model.deleted.is_(False), record_filter(actor, entity, model.__table__)
            )
        )
    }


def _seen_by_rule(user, device_id: str) -> set[tuple[str, str]]:
    """The live records `may_see` grants the user, over every row in the database."""
    actor = actor_for(user, device_id)
    concerns = {c.id: c for c in db.session.scalars(select(Concern))}
    seen = set()
    for entity, model in RECORDS:
        for row in db.session.scalars(select(model).where(model.deleted.is_(False))):
            concern = concerns.get(row.concern_id) if entity == "followup" else None
            if may_see(actor, scope_of(entity, row, concern)):
                seen.add((entity, row.id))
    return seen


def test_the_pull_filter_and_the_predicate_agree_on_pushed_data(make_user, make_village, device):
    """Pull as each user (the SQL form) and compare with `may_see` over all rows; lists
    (`record_filter`) give the same records."""
    people = {
        "official": make_user(districts=("6501",)),
        "colleague": make_user(districts=("6501",)),
        "far": make_user(districts=("6502",)),
        "supervisor": make_user(role="supervisor", districts=("6501",)),
        "far_supervisor": make_user(role="supervisor", districts=("6502",)),
        "admin": make_user(role="admin", districts=()),
    }
    phones = {name: device(user) for name, user in people.items()}
    here, there = make_village("650101"), make_village("650201")
    phones["official"].push(visit_mutation(here.id), inspection_mutation(here.id))
    phones["far"].push(visit_mutation(there.id), inspection_mutation(there.id))
    [mine] = phones["official"].push(concern_mutation(here.id))
    [theirs] = phones["far"].push(concern_mutation(there.id))
    [deleted] = phones["official"].push(concern_mutation(here.id))
    removal = update_mutation("concern", deleted["record_id"], 1)
    del removal["fields"]
    phones["official"].push({**removal, "op": "delete"})
    boss = phones["supervisor"]
    assert assign(boss, mine["record_id"], 1, people["colleague"].id)["status"] == "applied"
    boss.push(comment(mine["record_id"]), visit_mutation(here.id))
    phones["far"].push(comment(theirs["record_id"]))
    move(people["colleague"], "6502")  # the assignee, now outside the concern's district
    move(people["official"], "6502")  # the author, too
    for name, user in people.items():
        phone = phones[name]
        phone.pull()
        pulled = {key for key, record in phone.seen.items() if record is not None}
        pulled = {(e, i) for e, i in pulled if e not in ("category", "template")}
        expected = _seen_by_rule(user, phone.device_id)
        assert pulled == expected, name
        assert _listed(user, phone.device_id) == expected, name
