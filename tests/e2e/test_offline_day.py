"""A day offline: everything recorded without signal reaches the server exactly once."""

from __future__ import annotations

import uuid

import requests
from playwright.sync_api import expect

from tests.e2e.app import create_concern, create_inspection, create_visit, idb, sign_in, sync


def test_offline_reload_records_then_sync_exactly_once(context, page, server, photos):
    sign_in(page)
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="สวัสดี")).to_be_visible()
    expect(page.locator("header").get_by_role("status")).to_have_text("ออฟไลน์")
    # No signal is a normal state, not a failure.
    expect(page.locator("#sync-message")).to_have_text("ออฟไลน์ — จะส่งเมื่อมีสัญญาณ")

    token = uuid.uuid4().hex[:8]
    notes, place, description = f"visit {token}", f"school {token}", f"road {token}"
    create_visit(page, notes, photos[0])
    create_inspection(page, place, photos[1])
    create_concern(page, description, photos[2])

    page.reload()  # still offline: the shell comes from the service worker, the data from IndexedDB
    page.get_by_role("link", name="บันทึกของฉัน").click()
    page.get_by_role("link", name="รอส่ง (3)").click()
    expect(page.locator("#main li")).to_have_count(3)
    expect(page.get_by_role("link", name=place)).to_be_visible()
    page.get_by_role("link", name="ลงพื้นที่").click()
    expect(page.get_by_text(notes)).to_be_visible()
    expect(page.get_by_text("รอส่งรูป")).to_be_visible()
    assert len(idb(page, "outbox")) == 3
    kept = idb(page, "photos")
    assert len(kept) == 3 and not any(p["uploaded"] for p in kept)

    context.set_offline(False)
    sync(page)

    visits = server.query("SELECT id FROM visits WHERE notes = ?", notes)
    inspections = server.query(
        "SELECT id, total, grade FROM inspections WHERE place_name = ?", place
    )
    concerns = server.query(
        "SELECT id, reporter_name FROM concerns WHERE description = ?", description
    )
    assert len(visits) == len(inspections) == len(concerns) == 1
    assert inspections[0][1] == 40
    assert concerns[0][1] == "นางสมศรี ทดสอบ"
    record_ids = [visits[0][0], inspections[0][0], concerns[0][0]]
    links = server.query(
        f"SELECT record_id, sha256 FROM photo_links WHERE record_id IN ({','.join('?' * 3)})",
        *record_ids,
    )
    assert sorted(r for r, _ in links) == sorted(record_ids)
    for _, sha in links:
        assert server.query("SELECT count(*) FROM photos WHERE sha256 = ?", sha) == [(1,)]
    headers = server.login("demo-official")
    for _, sha in links:
        for rendition in ("thumb", "display"):
            response = requests.get(
                f"{server.base_url}/api/photos/{sha}/{rendition}", headers=headers, timeout=10
            )
            assert response.status_code == 200, (rendition, response.text[:200])
            assert response.headers["Content-Type"] == "image/jpeg"

    # The phone gave back the space of photos the server has, keeping thumbnails to show.
    for photo in idb(page, "photos"):
        assert photo["uploaded"] and photo["blob"] is None and photo["thumb"] is not None
    records = idb(page, "records")
    assert {r["state"] for r in records if r["id"] in record_ids} == {"synced"}
