"""One concern as the workspace shows it: the record, names, timeline, personal data only for
those allowed, and exactly the steps the server would accept."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def detail(province, who: str, concern_id: str):
    return province.get(who, f"/api/concerns/{concern_id}")


def test_the_timeline_names_who_did_what(province):
    cid = province.report(
        reporter_consent=True, reporter_name="นายดำ", reporter_phone="081 234 5678"
    )
    official = province.id_of("official")
    province.step("supervisor", cid, "assign", assignee_id=official, due_date="2026-04-01")
    province.step("official", cid, "start", note="ออกไปดูแล้ว")
    body = detail(province, "supervisor", cid).get_json()
    assert body["status"] == "in_progress"
    assert body["assignee"] == {"id": official, "display_name": "สมชาย เมือง"}
    assert body["created_by"] == {"id": official, "display_name": "สมชาย เมือง"}
    assert body["village"]["name_th"] == "บ้านในเมือง"
    assert body["category_code"] == "roads" and body["category_name_en"] == "Roads and bridges"
    assert body["reporter_name"] == "นายดำ"  # a supervisor may see personal data
    assignment, start = body["timeline"]
    assert assignment["kind"] == "assignment" and assignment["to_status"] == "accepted"
    assert assignment["data"]["assignee"] == {"id": official, "display_name": "สมชาย เมือง"}
    assert assignment["data"]["due_date"] == "2026-04-01"
    assert assignment["actor"]["display_name"] == "หัวหน้า เมือง"
    assert start["body"] == "ออกไปดูแล้ว" and start["actor"]["id"] == official
    assert body["service_level_days"] == 15 and body["escalation_level"] == 0


def test_personal_data_only_for_the_author_and_allowed_roles(province):
    cid = province.report(reporter_consent=True, reporter_name="นายดำ", reporter_phone="0812345678")
    assert detail(province, "official", cid).get_json()["reporter_phone"] == "0812345678"
    colleague = detail(province, "colleague", cid).get_json()
    assert "reporter_name" not in colleague and "reporter_phone" not in colleague


ROLE_ACTIONS = {
    "supervisor": ["accept", "assign", "reject", "mark_duplicate", "correct"],
    "admin": ["accept", "assign", "reject", "mark_duplicate", "correct"],
    "official": [],
    "colleague": [],
}


def test_allowed_actions_are_what_the_server_accepts(province):
    cid = province.report()
    for who, expected in ROLE_ACTIONS.items():
        assert detail(province, who, cid).get_json()["allowed_actions"] == expected, who
    province.step("supervisor", cid, "assign", assignee_id=province.id_of("colleague"))
    body = detail(province, "colleague", cid).get_json()
    assert body["allowed_actions"] == ["start", "resolve"]
    # Every action offered is accepted, every other one refused (dry run through the route).
    values = {"resolve": {"note": "แล้ว"}, "reject": {"note": "ไม่ใช่"}}
    for action in ("accept", "close", "reopen", "start"):
        response = province.post(
            "colleague", f"/api/concerns/{cid}/transitions", {"action": action}
        )
        assert (response.status_code == 200) == (action in body["allowed_actions"]), action
    after = detail(province, "colleague", cid).get_json()
    assert after["status"] == "in_progress" and after["allowed_actions"] == ["resolve"]
    assert values  # resolve needs a note: offered, and refused without one
    refused = province.post("colleague", f"/api/concerns/{cid}/transitions", {"action": "resolve"})
    assert refused.status_code == 422


def test_may_edit_and_delete_follow_the_change_rule(province):
    cid = province.report()
    expected = {"official": True, "supervisor": True, "admin": True, "colleague": False}
    for who, allowed in expected.items():
        body = detail(province, who, cid).get_json()
        assert body["may_edit"] is allowed and body["may_delete"] is allowed, who


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_supervisor", 404), ("official2", 404), ("anonymous", 401), ("deactivated", 401)],
)
def test_who_may_not_see_it(province, who, status):
    cid = province.report()
    response = detail(province, who, cid)
    assert response.status_code == status
    assert response.status_code == 401 or response.get_json()["code"] == "concern.not_found"


def test_nearby_lists_the_closest_first(province):
    here = {"lat": 16.8211, "lon": 100.2659}
    cid = province.report(**here)
    close = province.report(lat=16.8220, lon=100.2659)  # ~100 m north
    farther = province.report(lat=16.8240, lon=100.2659)  # ~320 m
    province.report(lat=16.8400, lon=100.2659)  # ~2 km: outside 500 m
    province.report(category_code="water", lat=16.8212, lon=100.2659)  # another category
    elsewhere = province.report("official2", "nakhon_thai", lat=16.8213, lon=100.2659)
    body = province.get("supervisor", f"/api/concerns/{cid}/nearby").get_json()
    assert [item["id"] for item in body] == [close, farther]
    assert 90 < body[0]["distance_m"] < 110
    anything = province.get("admin", f"/api/concerns/{cid}/nearby?same_category=false").get_json()
    assert elsewhere in [item["id"] for item in anything]
    assert province.get("supervisor", f"/api/concerns/{cid}/nearby?radius_m=0").status_code == 422
