"""What GET /api/meta says a device may send is what a push accepts (docs/sync-protocol.md)."""

from __future__ import annotations

from typing import Any

import pytest
from sync_helpers import new_id

# Required fields checked by the rules of their references, after the schema.
REFERENCES = {"village_id", "concern_id", "template_id"}


@pytest.fixture
def meta(client) -> dict[str, Any]:
    return client.get("/api/meta").get_json()


def _codes(result: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    return {c["field"]: (c["code"], c["params"]) for c in result.get("error_codes", [])}


def test_a_push_refuses_what_it_says_a_device_may_not_send(meta, make_user, device):
    phone = device(make_user())
    for entity, described in meta["entities"].items():
        sent = {name: None for name in described["server_fields"] + described["workflow_fields"]}
        [result] = phone.push(
            {
                "mutation_id": new_id(),
                "entity": entity,
                "record_id": new_id(),
                "op": "create",
                "fields": sent,
            }
        )
        codes = _codes(result)
        for name in described["server_fields"]:
            assert codes[name] == ("server_field", {"field": name}), (entity, name)
        for name in described["workflow_fields"]:
            assert codes[name] == ("workflow_field", {"field": name}), (entity, name)
        for name, rule in described["fields"].items():
            if rule["required"] and name not in REFERENCES:
                assert codes.get(name, ("",))[0] == "required", (entity, name, codes)


def test_a_push_refuses_text_past_the_length_it_says(meta, make_user, device):
    phone = device(make_user())
    for entity, described in meta["entities"].items():
        for name, rule in described["fields"].items():
            if rule["type"] != "string" or "max_length" not in rule or "choices" in rule:
                continue
            [result] = phone.push(
                {
                    "mutation_id": new_id(),
                    "entity": entity,
                    "record_id": new_id(),
                    "op": "create",
                    "fields": {name: "ก" * (rule["max_length"] + 1)},
                }
            )
            code, params = _codes(result)[name]
            assert code in ("too_long", "length_between"), (entity, name, code)
            assert params["max"] == rule["max_length"], (entity, name, params)
