"""Who a concern may go to, the home screen's numbers, service levels and the due date they
set when a concern is taken on."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, Concern

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]

FROZEN = "2026-03-20T23:30:00+07:00"  # 16:30 UTC: Bangkok is already on the 20th


def test_assignable_users_are_the_districts_active_people(province, make_user):
    make_user("retired", active=False)
    cid = province.report()
    body = province.get("supervisor", f"/api/users/assignable?concern={cid}").get_json()
    names = {u["display_name"] for u in body}
    assert names == {"สมชาย เมือง", "มานี เมือง", "หัวหน้า เมือง"}  # not 6502, not inactive
    assert all(u["role"] in ("official", "supervisor") and "6501" in u["district_codes"]
               for u in body)  # fmt: skip
    admin = province.get("admin", f"/api/users/assignable?concern={cid}").get_json()
    assert admin == body


@pytest.mark.parametrize(
    ("who", "status"),
    [("official", 403), ("other_supervisor", 404), ("anonymous", 401), ("deactivated", 401)],
)
def test_only_the_districts_supervisors_ask_who_may_take_it(province, who, status):
    cid = province.report()
    assert province.get(who, f"/api/users/assignable?concern={cid}").status_code == status


def test_assignable_needs_a_concern(province):
    response = province.get("supervisor", "/api/users/assignable")
    assert response.status_code == 422 and "concern" in response.get_json()["errors"]


def test_the_home_summary_counts_what_waits(app, province):
    app.config["FIELDAPP_FAKE_NOW"] = FROZEN
    official = province.id_of("official")
    first, second, third = (province.report() for _ in range(3))
    province.step("supervisor", first, "assign", assignee_id=official, due_date="2026-03-19")
    province.step("supervisor", second, "assign", assignee_id=official, due_date="2026-03-20")
    province.report("official2", "nakhon_thai")
    mine = province.get("official", "/api/me/summary").get_json()
    assert mine == {
        "role": "official",
        "overdue": 1,
        "new": 1,
        "assigned_to_me": 2,
        "assigned_to_me_overdue": 1,
        "reinspections_requested": 0,
        "inspections_to_review": 0,
    }
    boss = province.get("supervisor", "/api/me/summary").get_json()
    assert (boss["overdue"], boss["new"], boss["assigned_to_me"]) == (1, 1, 0)
    admin = province.get("admin", "/api/me/summary").get_json()
    assert (admin["overdue"], admin["new"]) == (1, 2)
    assert third and province.get("anonymous", "/api/me/summary").status_code == 401


def test_service_levels_are_listed_to_all_and_changed_by_admins(province):
    levels = province.get("official", "/api/service-levels").get_json()
    assert {"category_code": "roads", "urgency": "critical", "days": 3} in levels
    assert len(levels) == 44  # 11 categories × 4 urgencies
    change = [{"category_code": "roads", "urgency": "normal", "days": 10}]
    for who, status in (("supervisor", 403), ("official", 403), ("anonymous", 401)):
        assert province.send("PUT", who, "/api/service-levels", change).status_code == status
    response = province.send("PUT", "admin", "/api/service-levels", change)
    assert response.status_code == 200
    assert {"category_code": "roads", "urgency": "normal", "days": 10} in response.get_json()
    [audit] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "service_levels.update")
    ).all()
    assert audit.actor_id == province.id_of("admin")
    assert audit.details["changes"] == [{**change[0], "before": 15}]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ([{"category_code": "roads", "urgency": "normal", "days": 0}], "days"),
        ([{"category_code": "roads", "urgency": "soon", "days": 3}], "urgency"),
        ([{"category_code": "unicorns", "urgency": "low", "days": 3}], "category_code"),
        ([{"category_code": "roads", "urgency": "low", "days": "3"}], "days"),
    ],
)
def test_bad_service_levels_are_refused_and_change_nothing(province, body, field):
    response = province.send("PUT", "admin", "/api/service-levels", body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["0"]
    levels = province.get("admin", "/api/service-levels").get_json()
    assert {"category_code": "roads", "urgency": "low", "days": 30} in levels


def test_taking_a_concern_on_sets_its_due_date_from_the_service_level(app, province):
    app.config["FIELDAPP_FAKE_NOW"] = FROZEN
    urgent = province.report(urgency="critical")
    water = province.report(category_code="water")  # water, normal: 7 days
    dated = province.report()
    province.step("supervisor", urgent, "accept")
    province.step("supervisor", water, "assign", assignee_id=province.id_of("official"))
    province.step("supervisor", dated, "assign", due_date="2026-05-01")
    assert str(db.session.get(Concern, urgent).due_date) == "2026-03-23"
    assert str(db.session.get(Concern, water).due_date) == "2026-03-27"
    assert str(db.session.get(Concern, dated).due_date) == "2026-05-01"
    detail = province.get("supervisor", f"/api/concerns/{urgent}").get_json()
    assert detail["timeline"][0]["data"]["due_date"] == "2026-03-23"
    assert detail["timeline"][0]["data"]["due_date_from"] == "service_level"


def test_a_pushed_acceptance_gets_the_same_due_date(app, province):
    app.config["FIELDAPP_FAKE_NOW"] = FROZEN
    cid = province.report(urgency="high")
    [result] = province.push(
        "supervisor",
        [
            {
                "mutation_id": str(uuid.uuid4()),
                "entity": "concern",
                "record_id": cid,
                "op": "transition",
                "base_version": 1,
                "transition": {"action": "accept"},
            }
        ],
    )
    assert result["status"] == "applied", result
    assert result["record"]["due_date"] == "2026-03-27"
