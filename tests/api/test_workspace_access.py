"""Every workspace endpoint × every kind of caller: the status each one gets."""

from __future__ import annotations

import pytest

from tests.api.test_fieldwork import record_inspection, record_visit

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]

WHO = ("official", "supervisor", "other_supervisor", "admin", "anonymous", "deactivated")
# endpoint -> the status of official, supervisor of the district, supervisor of another
# district, admin (anonymous and deactivated: always 401). The records are the official's,
# in the supervisor's district.
MATRIX = {
    ("GET", "/api/concerns"): (403, 200, 200, 200),
    ("GET", "/api/concerns?assignee=me"): (200, 200, 200, 200),
    ("GET", "/api/concerns/{concern}"): (200, 200, 404, 200),
    ("GET", "/api/concerns/{concern}/nearby"): (200, 200, 404, 200),
    ("GET", "/api/users/assignable?concern={concern}"): (403, 200, 404, 200),
    ("GET", "/api/me/summary"): (200, 200, 200, 200),
    ("GET", "/api/service-levels"): (200, 200, 200, 200),
    ("PUT", "/api/service-levels"): (403, 403, 403, 200),
    ("GET", "/api/visits"): (200, 200, 200, 200),
    ("GET", "/api/visits/{visit}"): (200, 200, 404, 200),
    ("GET", "/api/inspections"): (200, 200, 200, 200),
    ("GET", "/api/inspections/{inspection}"): (200, 200, 404, 200),
    ("POST", "/api/inspections/{inspection}/review"): (403, 200, 404, 200),
    ("GET", "/api/villages/{village}/clean-tidy"): (200, 200, 404, 200),
    ("GET", "/api/admin/users"): (403, 403, 403, 200),
    ("POST", "/api/admin/users"): (403, 403, 403, 201),
    ("PATCH", "/api/admin/users/{colleague}"): (403, 403, 403, 200),
    ("POST", "/api/admin/users/{colleague}/reset-password"): (403, 403, 403, 200),
    ("GET", "/api/admin/devices"): (403, 403, 403, 200),
    ("POST", "/api/admin/devices/{device}/revoke"): (403, 403, 403, 200),
}
BODIES = {
    "PUT /api/service-levels": [{"category_code": "roads", "urgency": "low", "days": 20}],
    "POST /api/inspections/{inspection}/review": {"action": "approve"},
    "POST /api/admin/users": {
        "username": "new-one",
        "display_name": "ใหม่",
        "role": "official",
        "district_codes": ["6501"],
        "password": "a-long-password",
    },
    "PATCH /api/admin/users/{colleague}": {"display_name": "มานี"},
    "POST /api/admin/users/{colleague}/reset-password": {"password": "a-long-password"},
}


@pytest.mark.parametrize("who", WHO)
def test_every_endpoint_answers_each_caller_as_the_rules_say(province, who):
    names = {
        "concern": province.report(lat=16.82, lon=100.26),
        "visit": record_visit(province),
        "inspection": record_inspection(province),
        "village": province.villages["mueang"].id,
        "colleague": province.id_of("colleague"),
        "device": province.headers["colleague"]["X-Device-Id"],
    }
    answers = {}
    for (method, url), statuses in MATRIX.items():
        body = BODIES.get(f"{method} {url}")
        expected = 401 if who in ("anonymous", "deactivated") else statuses[WHO.index(who)]
        response = province.send(method, who, url.format(**names), body)
        answers[(method, url)] = (response.status_code, expected)
    assert {k: v for k, v in answers.items() if v[0] != v[1]} == {}
