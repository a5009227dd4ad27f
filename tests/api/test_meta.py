"""GET /api/meta: what a device may send, read from the rules the push applies.

The PWA takes its server-owned, workflow and item-map field lists and its enumerations from
here (static/src/data/meta.js), and ships a copy (static/src/data/meta.json) for its very first
offline start; these tests pin the description to what a push really accepts, and the copy to
the description (tests/sync/test_meta_push.py pins it to what a push accepts).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

BUNDLED = Path(__file__).resolve().parents[2] / "static" / "src" / "data" / "meta.json"


@pytest.fixture
def meta(client) -> dict[str, Any]:
    response = client.get("/api/meta")
    assert response.status_code == 200
    return response.get_json()


def test_anyone_may_read_it_and_revalidate_it_by_etag(client):
    first = client.get("/api/meta")  # no token: it describes the API, not its data
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-cache"
    etag = first.headers["ETag"]
    again = client.get("/api/meta", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""


def test_the_app_ships_the_servers_description(meta):
    built_in = json.loads(BUNDLED.read_text(encoding="utf-8"))
    assert built_in == meta, (
        "static/src/data/meta.json differs from GET /api/meta: "
        "run `../.venv/bin/python tools/write_meta.py` in static/"
    )


def test_it_is_in_the_openapi_description(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert "/api/meta" in paths


def test_it_names_the_lists_the_pwa_used_to_copy(meta):
    visit, inspection = meta["entities"]["visit"], meta["entities"]["inspection"]
    assert {"created_by_id", "district_code", "version"} <= set(visit["server_fields"])
    assert {"approved_by_id", "approved_at", "grade"} <= set(inspection["server_fields"])
    assert inspection["item_maps"] == ["scores"]
    assert "status" in meta["entities"]["concern"]["workflow_fields"]
    assert (
        meta["entities"]["visit"]["fields"]["topics"]["item"]["choices"] == meta["enums"]["topics"]
    )
    assert meta["entities"]["concern"]["fields"]["urgency"]["choices"] == meta["enums"]["urgencies"]
    assert [a["name"] for a in meta["enums"]["concern_actions"]][:2] == ["accept", "assign"]
