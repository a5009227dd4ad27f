"""Every per-field message the server sends has a Thai wording in the PWA.

The PWA shows a refused record's messages beside its fields and in its banner, in the chosen
language (static/src/i18n-th.js, `serverMessagesTh`). This provokes each kind of refusal the
server makes, collects the messages it answers, and checks that a Thai template covers each,
so a new rule on the server cannot reach Thai officials in English only.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sync_helpers import concern_mutation, new_id, transition_mutation, visit_mutation

TEMPLATES_FILE = Path(__file__).resolve().parents[2] / "static" / "src" / "i18n-th.js"


def thai_templates() -> list[re.Pattern[str]]:
    source = TEMPLATES_FILE.read_text(encoding="utf-8")
    block = source.split("export const serverMessagesTh = [", 1)[1].split("\n];", 1)[0]
    englishes = [m.group(2) for m in re.finditer(r"^\s*\[(['\"])(.*?)\1,", block, re.M)]
    assert len(englishes) > 40, "the template list was not found"
    return [
        re.compile("^" + re.sub(r"\\\{\w+\\\}", "(.+?)", re.escape(english)) + "$")
        for english in englishes
    ]


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


@pytest.fixture
def world(make_user, make_village, device):
    official = device(make_user())
    supervisor = device(make_user(role="supervisor"))
    village = make_village()
    concern = concern_mutation(village.id)
    [created] = official.push(concern)
    assert created["status"] == "applied"
    return official, supervisor, village.id, concern["record_id"]


def refused_records(village_id: str, concern_id: str) -> list[dict[str, Any]]:
    """Mutations the server takes apart field by field (each answered `rejected`)."""
    visit = visit_mutation
    inspection_fields = {
        "village_id": village_id,
        "place_type": "school",
        "place_name": "โรงเรียน",
        "inspected_at": "2026-03-02T08:00:00+07:00",
        "template_id": 1,
    }
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
        visit(new_id()),
        {**visit(village_id), "fields": {"village_id": "not-a-uuid"}},
        concern_mutation(village_id, status="closed", version=3, urgency="soon"),
        concern_mutation(village_id, description=""),
        concern_mutation(village_id, reporter_name="นาย ก", reporter_consent=False),
        concern_mutation(village_id, reporter_consent=True, reporter_phone="โทร ๐๘๑"),
        concern_mutation(village_id, category_code="nope", visit_id=new_id()),
        {
            "mutation_id": new_id(),
            "entity": "inspection",
            "record_id": new_id(),
            "op": "create",
            "fields": {**inspection_fields, "template_id": 999, "reinspection_of_id": new_id()},
        },
        {
            "mutation_id": new_id(),
            "entity": "inspection",
            "record_id": new_id(),
            "op": "create",
            "fields": {
                **inspection_fields,
                "scores": {"no_such_item": {"score": 1}, "entrance": {"score": 99}},
            },
        },
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
    ]


def refused_steps(concern_id: str) -> list[dict[str, Any]]:
    step = transition_mutation
    return [
        step(concern_id, 1, "reject"),
        step(concern_id, 1, "assign"),
        step(concern_id, 1, "assign", assignee_id=987_654),
        step(concern_id, 1, "mark_duplicate", duplicate_of_id=new_id()),
        step(concern_id, 1, "accept", assignee_id=1),
        step(concern_id, 1, "assign", due_date="tomorrow", priority="urgent"),
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


def test_every_field_message_the_server_sends_reads_in_thai(world):
    official, supervisor, village_id, concern_id = world
    messages: set[str] = set()
    for pusher, mutation in [
        *((official, m) for m in refused_records(village_id, concern_id)),
        *((supervisor, m) for m in refused_steps(concern_id)),
    ]:
        [result] = pusher.push(mutation)
        assert result["status"] == "rejected", (mutation, result)
        messages.update(strings(result.get("errors")))
    for mutation in refused_envelopes(village_id, concern_id):
        response = official.push_raw([mutation])
        assert response.status_code == 400, response.get_json()
        messages.update(strings(response.get_json().get("errors")))

    # The refusals above really were made: the server's own rules and marshmallow's alike.
    for expected in (
        "Unknown concern.",
        "Only with the reporter's consent (reporter_consent: true).",
        "Required to reject a concern.",
        "Must be one of: low, normal, high, critical.",
        "Longer than maximum length 20000.",
        "A phone number: 3 to 40 of the digits 0-9, spaces and + ( ) -.",
    ):
        assert expected in messages, sorted(messages)
    templates = thai_templates()
    untranslated = sorted(m for m in messages if not any(t.match(m) for t in templates))
    assert not untranslated, f"add these to serverMessagesTh in {TEMPLATES_FILE.name}"
