"""Re-scoring one checklist item sends that item alone; the server keeps the others."""

from __future__ import annotations

import json
import uuid

from playwright.sync_api import Route, expect

from tests.e2e.app import create_inspection, sign_in, sync


def test_rescoring_one_item_sends_only_that_item(context, page, server, photos):
    sign_in(page)
    place = f"ร้านค้าชุมชน {uuid.uuid4().hex[:8]}"
    create_inspection(page, place, photos[0])  # every item scored 4: 40/50
    sync(page)
    [(inspection_id,)] = server.query("SELECT id FROM inspections WHERE place_name = ?", place)

    sent: list[dict] = []

    def record(route: Route) -> None:
        sent.extend(route.request.post_data_json["mutations"])
        route.fallback()

    context.route("**/api/sync/push", record)
    page.goto(f"/app/inspection/{inspection_id}")
    first = page.locator("select[data-item]").first
    item_key = first.get_attribute("data-item")
    first.select_option("5")
    expect(page.get_by_role("status").filter(has_text="คะแนนรวม 41/50")).to_be_visible()
    page.get_by_role("button", name="บันทึกและส่งเมื่อมีสัญญาณ").click()
    expect(page.get_by_text(place)).to_be_visible()
    sync(page)

    [update] = [m for m in sent if m["op"] == "update"]
    assert update["fields"] == {"scores": {item_key: {"score": 5, "note": ""}}}
    [(total, scores)] = server.query(
        "SELECT total, scores FROM inspections WHERE id = ?", inspection_id
    )
    stored = json.loads(scores)
    assert total == 41
    assert stored[item_key]["score"] == 5
    assert sorted(item["score"] for item in stored.values()) == [4] * 9 + [5]
