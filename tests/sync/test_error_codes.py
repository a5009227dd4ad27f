"""Every refusal names each of its per-field problems by a code the PWA words in both languages.

The PWA shows a refused record's messages beside its fields and in its banner, in the chosen
language, from the refusal's `error_codes` and its own catalogue (`code.*` in
static/src/i18n-th.js and i18n-en.js). This provokes every kind of refusal the server makes —
pushed mutations, malformed envelopes, the other routes' 400 and 422 answers, the quarantine
listings — and checks that each message of `errors` has its coded twin and that both
catalogues word every code, so a new rule cannot reach officials as an English sentence.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sync_helpers import (
    concern_mutation,
    new_id,
    transition_mutation,
    update_mutation,
    visit_mutation,
)

from fieldapp.extensions import db
from fieldapp.models import ChecklistTemplate

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]

SOURCES = Path(__file__).resolve().parents[2] / "static" / "src"
# codes that must really be provoked below (the server's own rules; marshmallow's alike)
PROVOKED = {
    "required",
    "null",
    "unknown_field",
    "invalid",
    "too_long",
    "too_short",
    "length_between",
    "out_of_range",
    "one_of",
    "pattern",
    "naive_datetime",
    "workflow_field",
    "server_field",
    "unknown_village",
    "unknown_category",
    "unknown_visit",
    "unknown_inspection",
    "unknown_concern",
    "unknown_template",
    "template_retired",
    "not_template_item",
    "score_too_high",
    "needs_consent",
    "no_transitions",
    "not_assignable",
    "not_another_concern",
    "transition_requires",
    "needs_one_of",
    "invalid_transition",
    "transition_forbidden",
    "stale",
    "changed_since",
    "confirm_not_resolved",  # villager (issue 13)
    # history (issue 13): the locks and the correction (every lock: tests/sync/test_locks.py)
    "reported_fields_locked",
    "concern_not_deletable",
    "not_correctable",
    "needs_after_photo",
}


def catalogue(language: str) -> set[str]:
    """The codes the PWA words in `language`: the `code.<code>` keys of its dictionary."""
    source = (SOURCES / f"i18n-{language}.js").read_text(encoding="utf-8")
    codes = set(re.findall(r"^\s*'code\.(\w+)'\s*:", source, re.M))
    assert len(codes) > 20, f"no refusal codes found in i18n-{language}.js"
    return codes


def coded(body: Any, where: str) -> list[dict[str, Any]]:
    """The `error_codes` of every refusal in `body`, each checked against its `errors`."""
    found: list[dict[str, Any]] = []
    if isinstance(body, list):
        for index, item in enumerate(body):
            found += coded(item, f"{where}[{index}]")
    elif isinstance(body, dict):
        if body.get("errors"):
            codes = body.get("error_codes")
            assert isinstance(codes, list), f"{where}: errors without error_codes: {body}"
            for name, messages in body["errors"].items():
                mine = [c for c in codes if c["field"] == name]
                assert len(mine) == len(messages), f"{where}: {name}: {messages} vs {mine}"
            assert {c["field"] for c in codes} <= set(body["errors"]), where
            for item in codes:
                assert isinstance(item["code"], str) and item["code"], (where, item)
                assert isinstance(item["params"], dict), (where, item)
                # what a message made without a code falls back to: its schema is not coded
                assert (item["code"], item["params"]) != ("invalid", {}), (where, item, body)
            found += codes
        for key, value in body.items():
            if key != "error_codes":
                found += coded(value, f"{where}.{key}")
    return found


@pytest.fixture
def world(app, make_user, make_village, device):
    official = device(make_user())
    supervisor = device(make_user(role="supervisor"))
    admin = device(make_user(role="admin", districts=()))
    village = make_village()
    concern, visit = concern_mutation(village.id), visit_mutation(village.id)
    assert [r["status"] for r in official.push(concern, visit)] == ["applied", "applied"]
    retired = ChecklistTemplate(
        code="retired", version=1, name_th="เก่า", name_en="Old", items=[], grades=[], active=False
    )
    db.session.add(retired)
    db.session.commit()
    ids = (village.id, concern["record_id"], visit["record_id"])
    yield official, supervisor, admin, ids, retired.id
    # Reference tables outlive a test on PostgreSQL: take the template away again.
    db.session.rollback()
    db.session.delete(db.session.get(ChecklistTemplate, retired.id))
    db.session.commit()


def _inspection(village_id: str, **fields: Any) -> dict[str, Any]:
    values = {
        "village_id": village_id,
        "place_type": "school",
        "place_name": "โรงเรียน",
        "inspected_at": "2026-03-02T08:00:00+07:00",
        "template_id": 1,
        **fields,
    }
    return {
        "mutation_id": new_id(),
        "entity": "inspection",
        "record_id": new_id(),
        "op": "create",
        "fields": values,
    }


def refused_records(ids: tuple[str, str, str], retired: int) -> list[dict[str, Any]]:
    """Mutations the server takes apart field by field (each answered `rejected`)."""
    village_id, concern_id, visit_id = ids
    visit = visit_mutation
    return [
        visit(
            village_id,
            visited_at="yesterday",
            companions="ใคร",
            topics=["bogus"],
            villagers_met=-1,
            notes=123,
            lat="north",
            colour="red",
        ),
        visit(village_id, visited_at="2026-03-01T09:30:00", villagers_met=1.5, topics=None),
        visit(village_id, companions=["ก"] * 51, notes="ก" * 20_001, gps_accuracy_m=True),
        visit(new_id(), version=4, created_by_id=1),
        {**visit(village_id), "fields": {"village_id": "not-a-uuid"}},
        {**visit(village_id), "fields": {"notes": "ไม่มีหมู่บ้าน"}},
        concern_mutation(village_id, status="closed", version=3, urgency="soon"),
        concern_mutation(village_id, description=""),
        concern_mutation(village_id, reporter_name="นาย ก", reporter_consent=False),
        concern_mutation(village_id, reporter_consent=True, reporter_phone="โทร ๐๘๑"),
        concern_mutation(village_id, category_code="nope", visit_id=new_id()),
        _inspection(village_id, template_id=999, reinspection_of_id=new_id()),
        _inspection(village_id, template_id=retired),
        _inspection(village_id, scores={"no_such_item": {"score": 1}, "entrance": {"score": 99}}),
        {
            "mutation_id": new_id(),
            "entity": "followup",
            "record_id": new_id(),
            "op": "create",
            "fields": {"concern_id": new_id(), "body": "ติดตาม"},
        },
        {
            "mutation_id": new_id(),
            "entity": "followup",
            "record_id": new_id(),
            "op": "create",
            "fields": {"concern_id": concern_id, "body": "ติดตาม", "kind": "status"},
        },
        {**transition_mutation(visit_id, 1, "accept"), "entity": "visit"},
    ]


def refused_steps(concern_id: str) -> list[dict[str, Any]]:
    """A supervisor's transitions of a `new` concern at version 1, each refused."""
    step = transition_mutation
    return [
        step(concern_id, 1, "reject"),
        step(concern_id, 1, "assign"),
        step(concern_id, 1, "assign", assignee_id=987_654),
        step(concern_id, 1, "mark_duplicate", duplicate_of_id=new_id()),
        step(concern_id, 1, "mark_duplicate", duplicate_of_id=concern_id),
        step(concern_id, 1, "accept", assignee_id=1),
        step(concern_id, 1, "assign", due_date="tomorrow", priority="urgent"),
        step(concern_id, 1, "fly"),
        step(concern_id, 1, "close"),
        step(concern_id, 1, "accept", from_status="resolved"),
        step(concern_id, 1, "confirm_fix", answer="fixed"),  # villager (issue 13): not resolved
    ]


def refused_envelopes(village_id: str, concern_id: str) -> list[dict[str, Any]]:
    """Malformed envelopes: each push is refused whole, with per-field errors."""
    return [
        {**visit_mutation(village_id), "op": "update", "record_id": new_id()},
        {**visit_mutation(village_id), "transition": {"action": "accept"}},
        {**transition_mutation(concern_id, 1, "accept"), "transition": None},
        {**visit_mutation(village_id), "photos": [{"sha256": "ABC"}]},
        {**visit_mutation(village_id), "entity": "spaceship", "op": "fly"},
        {"mutation_id": 5, "record_id": None},
    ]


def _pushed(official, supervisor, ids, retired) -> list[dict[str, Any]]:
    village_id, concern_id, _ = ids
    answers = []
    for pusher, mutation in [
        *((official, m) for m in refused_records(ids, retired)),
        *((supervisor, m) for m in refused_steps(concern_id)),
        (official, transition_mutation(concern_id, 1, "close")),
    ]:
        [result] = pusher.push(mutation)
        assert result["status"] == "rejected", (mutation, result)
        answers.append(result)
        # A replay answers the stored outcome: the codes are kept with it.
        [replay] = pusher.push(mutation)
        assert replay["original"]["error_codes"] == result["error_codes"]
    # The status moved after version 1: a step pinned to it is stale.
    [accepted] = supervisor.push(transition_mutation(concern_id, 1, "accept"))
    assert accepted["status"] == "applied", accepted
    [stale] = supervisor.push(transition_mutation(concern_id, 1, "start"))
    assert stale["reason"] == "stale_transition", stale
    answers.append(stale)
    # Accepted: what the citizen reported is locked, and the concern is kept (issue 13).
    delete = {"mutation_id": new_id(), "entity": "concern", "record_id": concern_id, "op": "delete"}
    for pusher, mutation in [
        (official, update_mutation("concern", concern_id, 2, description="เขียนใหม่")),
        (official, {**delete, "base_version": 2}),
        (
            supervisor,
            transition_mutation(concern_id, 2, "correct", note="x", corrections={"urgency": "low"}),
        ),
    ]:
        [locked] = pusher.push(mutation)
        assert locked["status"] == "rejected", locked
        answers.append(locked)
    for batch in [[], *([m] for m in refused_envelopes(village_id, concern_id))]:
        response = official.push_raw(batch)
        assert response.status_code == 400, response.get_json()
        answers.append(response.get_json())
    return answers


def _other_routes(client, official, supervisor, admin, concern_id) -> list[dict[str, Any]]:
    """The other routes' 400 and 422 answers, and the quarantine as it is listed."""
    answers = []
    headers = official.headers
    steps = f"/api/concerns/{concern_id}/transitions"
    for who, url, body, status in [
        (supervisor, steps, {"action": "start", "priority": 9}, 422),
        (supervisor, steps, {"action": "resolve"}, 422),
        (supervisor, steps, {"action": "resolve", "note": "ซ่อมแล้ว"}, 422),
        (official, steps, {"action": "close"}, 403),
        (official, "/api/auth/login", {"username": 5}, 422),
        (supervisor, "/api/sync/conflicts/1/resolve", {"note": "ก" * 2001, "x": 1}, 422),
    ]:
        response = client.post(url, json=body, headers=who.headers)
        assert response.status_code == status, response.get_json()
        answers.append(response.get_json())
    for url, status in [
        ("/api/sync/pull?cursor=-1&limit=x", 400),
        ("/api/villages?district=x", 422),
        ("/api/sync/rejections?state=lost&limit=0", 422),
    ]:
        response = client.get(url, headers=headers)
        assert response.status_code == status, response.get_json()
        answers.append(response.get_json())
    listed = client.get("/api/sync/rejections?state=all&limit=1000", headers=headers)
    answers.append(listed.get_json())
    entries = client.get("/api/sync/quarantine?state=all&limit=1000", headers=admin.headers)
    answers.append(entries.get_json())
    entry_id = entries.get_json()[0]["id"]
    fixed = client.post(
        f"/api/sync/quarantine/{entry_id}/reapply",
        json={"base_version": -1},
        headers=admin.headers,
    )
    assert fixed.status_code == 422, fixed.get_json()
    answers.append(fixed.get_json())
    return answers


def test_every_refusal_names_its_problems_by_codes_the_pwa_words(world, client):
    official, supervisor, admin, ids, retired = world
    answers = _pushed(official, supervisor, ids, retired)
    answers += _other_routes(client, official, supervisor, admin, ids[1])
    codes = coded(answers, "answers")

    sent = {item["code"] for item in codes}
    assert sent >= PROVOKED, f"not provoked: {sorted(PROVOKED - sent)}"
    for language in ("th", "en"):
        missing = sorted(sent - catalogue(language))
        assert not missing, f"add code.{missing[0]}… to static/src/i18n-{language}.js"


def test_codes_carry_what_their_wording_needs(world, client):
    official, supervisor, _, (village_id, concern_id, _), _ = world
    [score] = official.push(_inspection(village_id, scores={"entrance": {"score": 99}}))
    assert score["error_codes"] == [
        {"field": "scores.entrance.score", "code": "score_too_high", "params": {"max": 5}}
    ]
    [step] = supervisor.push(transition_mutation(concern_id, 1, "close"))
    assert step["reason"] == "invalid_transition"
    assert step["error_codes"] == [
        {
            "field": "transition.action",
            "code": "invalid_transition",
            "params": {"action": "close", "status": "new", "allowed": ["resolved"]},
        }
    ]
    [sent] = official.push(update_mutation("concern", concern_id, 1, status="closed"))
    assert sent["error_codes"] == [
        {"field": "status", "code": "workflow_field", "params": {"field": "status"}}
    ]
    # The quarantine keeps them: the device's rejections list them as they were answered.
    listed = client.get("/api/sync/rejections", headers=official.headers).get_json()
    kept = {entry["mutation_id"]: entry["error_codes"] for entry in listed}
    assert kept[sent["mutation_id"]] == sent["error_codes"]
    assert kept[score["mutation_id"]] == score["error_codes"]
