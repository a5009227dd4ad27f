"""docs/sync-protocol.md is the contract a client is written from: its examples and its error
table are checked here against what the server really answers, so the two cannot drift.

Examples use "…" for values (and a `"…": "…"` key for "more fields"); only the keys are
compared: exactly, except where the example says there is more.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
from sqlalchemy.exc import OperationalError
from sync_helpers import (
    concern_mutation,
    new_id,
    transition_mutation,
    update_mutation,
    visit_mutation,
)

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]

DOC = (Path(__file__).resolve().parents[2] / "docs" / "sync-protocol.md").read_text()
MORE = "…"


def _section(heading: str) -> str:
    """The text under a heading, up to the next heading of any level."""
    match = re.search(rf"^#+ {re.escape(heading)}\n(.*?)(?=^#+ |\Z)", DOC, re.M | re.S)
    assert match, f"docs/sync-protocol.md has no section {heading!r}"
    return match.group(1)


def _examples(heading: str) -> list[Any]:
    return [
        json.loads(block) for block in re.findall(r"```json\n(.*?)```", _section(heading), re.S)
    ]


def _same_keys(documented: dict[str, Any], real: dict[str, Any], where: str) -> None:
    """The documented keys are the real ones; with a "…" key, the real ones include them."""
    keys = set(documented) - {MORE}
    if MORE in documented:
        assert keys <= set(real), f"{where}: documented {sorted(keys - set(real))} not sent"
    else:
        assert keys == set(real), f"{where}: documented {sorted(keys)}, sent {sorted(real)}"


def _check(documented: dict[str, Any], real: dict[str, Any], where: str) -> None:
    """Keys at the top level and one level down (record, original, conflicts' entries)."""
    _same_keys(documented, real, where)
    for name, value in documented.items():
        if isinstance(value, dict) and isinstance(real.get(name), dict):
            _same_keys(value, real[name], f"{where}.{name}")
        elif isinstance(value, list) and value and isinstance(value[0], dict) and real.get(name):
            _same_keys(value[0], real[name][0], f"{where}.{name}[0]")


def documented_rejection(village_id: str) -> dict[str, Any]:
    """The rejected example: a workflow field set, and personal data without consent."""
    return concern_mutation(village_id, status="closed", reporter_name="สมหญิง")


@pytest.fixture
def official_user(make_user):
    return make_user(districts=("6501",))


@pytest.fixture
def official(official_user, device):
    return device(official_user)


@pytest.fixture
def supervisor(make_user, device):
    return device(make_user(role="supervisor", districts=("6501",)))


def test_the_push_example_is_a_valid_push(official, make_village):
    [request] = _examples("Push")
    [mutation] = request["mutations"]
    mutation["mutation_id"], mutation["record_id"] = new_id(), new_id()
    mutation["fields"]["village_id"] = make_village().id
    mutation["photos"][0]["sha256"] = "9f86d081884c7d65" * 4
    [result] = official.push(mutation)
    _check(_examples("`applied`")[0], result, "applied")
    assert result["missing_photos"] == ["9f86d081884c7d65" * 4]


def test_every_outcome_has_the_keys_the_protocol_documents(
    official, official_user, supervisor, device, make_village
):
    village = make_village().id
    applied_visit, applied_transition = _examples("`applied`")
    [created] = official.push(visit_mutation(village))
    _check(applied_visit, created, "applied")

    [concern] = official.push(concern_mutation(village))
    cid = concern["record_id"]
    [accepted] = supervisor.push(transition_mutation(cid, 1, "accept"))
    _check(applied_transition, accepted, "applied transition")

    [merged_example] = _examples("`merged`")
    vid = created["record_id"]
    official.push(update_mutation("visit", vid, 1, notes="เครื่องหนึ่ง"))
    [merged] = official.push(update_mutation("visit", vid, 1, villagers_met=30))
    assert merged["status"] == "merged"
    _check(merged_example, merged, "merged")

    [conflict_example] = _examples("`conflict`")
    # The documented conflict: one official's two phones edit a concern's description.
    mine = official.push(concern_mutation(village))[0]["record_id"]
    official.push(update_mutation("concern", mine, 1, description="ถนนชำรุดยาว 20 เมตร"))
    second_phone = device(official_user)
    [conflict] = second_phone.push(
        update_mutation("concern", mine, 1, description="ถนนชำรุดยาว 30 เมตร")
    )
    assert conflict["status"] == "conflict"
    _check(conflict_example, conflict, "conflict")

    [rejected_example] = _examples("`rejected`")
    [rejected] = official.push(documented_rejection(village))
    assert rejected["status"] == "rejected"
    assert set(rejected["errors"]) == {"status", "reporter_name"}  # every problem at once
    _check(rejected_example, rejected, "rejected")

    [duplicate_example] = _examples("`duplicate`")
    again = visit_mutation(village)
    official.push(again)
    [duplicate] = official.push(again)
    assert duplicate["status"] == "duplicate"
    _check(duplicate_example, duplicate, "duplicate")


def test_pull_and_reset_answers_have_the_documented_keys(official, supervisor, make_village):
    village = make_village().id
    [concern] = official.push(concern_mutation(village))
    supervisor.push(transition_mutation(concern["record_id"], 1, "accept"))  # a follow-up entry
    [visit] = official.push(visit_mutation(village))
    official.push(
        {**update_mutation("visit", visit["record_id"], 1), "op": "delete", "fields": {}}
    )  # a tombstone
    [page_example] = _examples("Pull")
    page = official.pull_page(limit=5)
    assert page["has_more"]  # the example is a page with more to come
    _check(page_example, page, "pull page")
    changes = {c["entity"]: c for c in page["changes"] + official.pull()}
    for change in page_example["changes"]:
        real = changes[change["entity"]]
        assert real["deleted"] == change["deleted"], real
        _check(change, real, f"pull change {change['entity']}")

    [reset_example] = _examples("Reset")
    reset = official.pull_page(cursor=str(10**12))  # a cursor from a database since restored
    _check(reset_example, reset, "reset")
    assert reset["reason"] == "cursor_ahead"


def test_a_quarantine_entry_has_the_documented_keys(
    official, client, make_user, login, make_village
):
    official.push(documented_rejection(make_village().id))
    entry_example, _ = _examples("Listings")
    admin = login(make_user(role="admin", districts=()))
    response = client.get("/api/sync/quarantine", headers=admin)
    assert response.status_code == 200
    [entry] = response.get_json()
    _check(entry_example, entry, "quarantine entry")


def _error_table() -> list[tuple[int, str]]:
    rows = []
    for status, codes in re.findall(r"^\| (\d{3}) \| (.+?) \|", _section("Errors"), re.M):
        for code in re.findall(r"`([a-z_.]+)`", codes):
            rows.append((int(status), code))
    return rows


def _provoke(code: str, client, headers: dict[str, str], device_id: str, app) -> Any:
    """A request that the table says answers `code`."""
    push = "/api/sync/push"

    def body(mutations: list[Any], device: str = device_id) -> dict[str, Any]:
        return {"device_id": device, "mutations": mutations}

    if code == "request.invalid_json":
        return client.post(
            push, data=b"{not json", headers=headers, content_type="application/json"
        )
    if code == "request.bad_encoding":
        gzipped = {**headers, "Content-Encoding": "gzip"}
        return client.post(
            push, data=b"\x1f\x8b\x08", headers=gzipped, content_type="application/json"
        )
    if code == "request.unsupported_encoding":
        brotli = {**headers, "Content-Encoding": "br"}
        return client.post(push, data=b"{}", headers=brotli, content_type="application/json")
    if code == "request.too_deep":
        deep = "[" * 40 + "]" * 40
        return client.post(push, data=deep, headers=headers, content_type="application/json")
    if code == "sync.invalid_request":
        return client.post(push, json=body([{"entity": "visit"}]), headers=headers)
    if code == "sync.invalid_cursor":
        return client.get("/api/sync/pull?cursor=abc", headers=headers)
    if code == "auth.missing_token":
        return client.post(push, json=body([]))
    if code == "auth.invalid_token":
        return client.post(push, json=body([]), headers={"Authorization": "Bearer nope"})
    if code == "auth.forbidden":  # an official may not read the quarantine of the district
        return client.get("/api/sync/quarantine", headers=headers)
    if code == "sync.device_mismatch":
        return client.post(push, json=body([visit_mutation(new_id())], new_id()), headers=headers)
    if code == "sync.too_many_mutations":
        many = [visit_mutation(new_id()) for _ in range(app.config["SYNC_MAX_MUTATIONS"] + 1)]
        return client.post(push, json=body(many), headers=headers)
    if code == "request.too_large":
        app.config["MAX_CONTENT_LENGTH"] = 2048
        return client.post(
            push, json=body([visit_mutation(new_id(), notes="ก" * 2000)]), headers=headers
        )
    if code == "request.not_json":
        return client.post(push, data="x", headers=headers, content_type="text/plain")
    if code == "http.not_found":
        return client.get("/api/sync/pul", headers=headers)
    if code == "http.method_not_allowed":
        return client.get(push, headers=headers)
    if code == "http.too_many_requests":
        wrong = {"username": "nobody", "password": "wrong-password"}
        for _ in range(100):
            response = client.post("/api/auth/login", json=wrong)
            if response.status_code == 429:
                return response
        raise AssertionError("sign-in was never limited")
    if code == "db.unavailable":  # the real lock and cut connection: tests/faults/
        locked = OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))
        with patch("fieldapp.syncstore.push.begin_write", side_effect=locked):
            return client.post(push, json=body([visit_mutation(new_id())]), headers=headers)
    raise AssertionError(f"the error table names {code}: add a way to provoke it here")


@pytest.mark.parametrize(("status", "code"), _error_table())
def test_every_documented_error_is_answered_as_documented(
    status, code, app, client, make_user, login
):
    headers = login(make_user())
    device_id = headers["X-Device-Id"]
    response = _provoke(code, client, headers, device_id, app)
    assert response.status_code == status, response.get_json()
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["code"] == code
    assert problem["status"] == status
    if status == 413:
        [example] = _examples("Errors")
        _check(example, problem, code)


def test_the_error_table_covers_the_sync_routes_codes():
    """Every problem code the sync routes raise is in the table (and the table is not empty)."""
    table = {code for _, code in _error_table()}
    assert len(table) >= 10
    source = (Path(__file__).resolve().parents[2] / "fieldapp" / "api" / "sync.py").read_text()
    raised = set(re.findall(r'code="(sync\.[a-z_]+)"', source))
    assert raised <= table, raised - table


def test_the_transition_example_resolves_a_concern(official, supervisor, make_village):
    [concern] = official.push(concern_mutation(make_village().id))
    cid = concern["record_id"]
    supervisor.push(transition_mutation(cid, 1, "accept"))
    [started] = supervisor.push(transition_mutation(cid, 2, "start"))
    [example] = _examples("Transitions")
    example.update(mutation_id=new_id(), record_id=cid, base_version=started["version"])
    example["photos"][0]["sha256"] = "ab12" * 16
    [resolved] = supervisor.push(example)
    assert resolved["status"] == "applied", resolved
    assert resolved["record"]["status"] == "resolved"
    assert resolved["record"]["resolution_note"] == example["transition"]["note"]
    assert resolved["missing_photos"] == ["ab12" * 16]


def test_the_login_example_signs_in_and_every_sign_in_is_a_new_device(client, make_user):
    [request, answer] = _examples("Authentication")
    make_user(request["username"], password=request["password"])
    first = client.post("/api/auth/login", json=request)
    assert first.status_code == 201
    _check(answer, first.get_json(), "login")
    second = client.post("/api/auth/login", json=request).get_json()
    assert second["device_id"] != first.get_json()["device_id"]
    assert second["token"] != first.get_json()["token"]


def test_a_devices_own_two_edits_of_a_field_are_not_a_conflict(official, make_village):
    [created] = official.push(visit_mutation(make_village().id))
    vid = created["record_id"]
    first, second = official.push(
        update_mutation("visit", vid, 1, notes="หนึ่ง"), update_mutation("visit", vid, 1, notes="สอง")
    )
    assert (first["status"], second["status"]) == ("applied", "merged")
    assert second["record"]["notes"] == "สอง" and second["record"]["conflicts"] == []


def test_the_conflict_and_reapply_examples_have_the_real_keys(
    official, official_user, device, client, make_user, login, make_village
):
    village = make_village().id
    mine = official.push(concern_mutation(village))[0]["record_id"]
    official.push(update_mutation("concern", mine, 1, description="ถนนชำรุดยาว 20 เมตร"))
    device(official_user).push(update_mutation("concern", mine, 1, description="ยาว 30 เมตร"))
    admin = login(make_user(role="admin", districts=()))
    [conflict] = client.get("/api/sync/conflicts", headers=admin).get_json()
    _, conflict_example = _examples("Listings")
    _check(conflict_example, conflict, "conflict")

    official.push(documented_rejection(village))
    [entry] = client.get("/api/sync/quarantine", headers=admin).get_json()
    [reapply_example] = _examples("Re-apply, dismiss, resolve")
    fixed = {"fields": concern_mutation(village)["fields"]}
    response = client.post(f"/api/sync/quarantine/{entry['id']}/reapply", json=fixed, headers=admin)
    assert response.status_code == 200
    answer = response.get_json()
    _check(reapply_example, answer, "reapply")
    assert answer["quarantine"]["state"] == "reapplied"
    again = client.post(f"/api/sync/quarantine/{entry['id']}/dismiss", json={}, headers=admin)
    assert again.status_code == 409 and again.get_json()["code"] == "quarantine.closed"


def _route_table() -> list[tuple[int, str]]:
    section = _section("The browser route: `POST /api/concerns/<id>/transitions`")
    rows = []
    for status, codes in re.findall(r"^\| (\d{3}) \| (.+?) \|", section, re.M):
        rows += [(int(status), code) for code in re.findall(r"`(concern\.[a-z_]+)`", codes)]
    return rows


@pytest.mark.parametrize(("status", "code"), _route_table())
def test_the_browser_route_answers_its_codes(
    status, code, official, supervisor, client, make_village
):
    [concern] = official.push(concern_mutation(make_village().id))
    cid = concern["record_id"]
    bodies = {
        "concern.forbidden": (official, {"action": "accept"}),
        "concern.not_found": (supervisor, {"action": "accept"}),
        "concern.invalid_transition": (supervisor, {"action": "close"}),
        "concern.stale_transition": (supervisor, {"action": "accept", "from_status": "accepted"}),
        "concern.invalid_base_version": (supervisor, {"action": "accept", "base_version": 9}),
        "concern.validation": (supervisor, {"action": "reject"}),
    }
    who, body = bodies[code]
    target = new_id() if code == "concern.not_found" else cid
    response = client.post(f"/api/concerns/{target}/transitions", json=body, headers=who.headers)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["code"] == code


def test_the_grade_example_is_how_the_server_grades(official, make_village):
    template = 1  # the seeded Clean & Tidy checklist: 10 items of at most 5
    keys = ["entrance", "waste_sorting", "drainage", "greenery", "toilets", "mosquito",
            "storage", "signage", "road_front", "participation"]  # fmt: skip
    for total, grade in ((38, "B"), (37, "C")):
        scores = {key: {"score": min(5, total - 5 * i)} for i, key in enumerate(keys)}
        scores = {k: v for k, v in scores.items() if v["score"] > 0}
        mutation = {
            "mutation_id": new_id(),
            "entity": "inspection",
            "record_id": new_id(),
            "op": "create",
            "fields": {
                "village_id": make_village().id,
                "place_type": "school",
                "place_name": "โรงเรียน",
                "inspected_at": "2026-03-01T09:30:00+07:00",
                "template_id": template,
                "scores": scores,
            },
        }
        [applied] = official.push(mutation)
        assert applied["status"] == "applied", applied
        pulled = {c["id"]: c["record"] for c in official.pull()}[mutation["record_id"]]
        assert (pulled["total"], pulled["max_total"], pulled["grade"]) == (total, 50, grade)
    assert "a `total` of 38 is 76 %: grade `B`; 37 is 74 %: `C`" in DOC.replace("\n", " ")


def test_the_correction_and_history_examples_are_what_the_server_does(
    official, supervisor, make_village, client
):
    """docs/sync-protocol.md, Correcting what the citizen reported; Record history."""
    [concern] = official.push(concern_mutation(make_village().id))
    cid = concern["record_id"]
    supervisor.push(transition_mutation(cid, 1, "accept"))
    [correction] = _examples("Correcting what the citizen reported")
    response = client.post(
        f"/api/concerns/{cid}/transitions", json=correction, headers=supervisor.headers
    )
    assert response.status_code == 200, response.get_json()
    record = response.get_json()["record"]
    assert record["description"] == correction["corrections"]["description"]
    [documented] = _examples("Record history")
    real = client.get(f"/api/records/concern/{cid}/history", headers=supervisor.headers)
    answer = real.get_json()
    _check(documented, answer, "history")
    for index in (0, -1):
        _check(documented["items"][index], answer["items"][index], f"history.items[{index}]")
    assert answer["items"][-1]["reason"] == correction["note"]
