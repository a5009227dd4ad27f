"""A supervisor's decision on the server reaches the official's timeline with the next pull."""

from __future__ import annotations

import uuid

import requests
from playwright.sync_api import expect

from tests.e2e.app import add_photo, camera_jpeg, create_concern, idb, sign_in, sync


def test_supervisor_status_change_shows_in_timeline(page, server, photos):
    sign_in(page)
    description = f"broken culvert {uuid.uuid4().hex[:8]}"
    create_concern(page, description, photos[2])
    sync(page)
    [(concern_id,)] = server.query("SELECT id FROM concerns WHERE description = ?", description)

    note = "รับเรื่องแล้ว จะส่งช่างไปดูสัปดาห์นี้"
    response = requests.post(
        f"{server.base_url}/api/concerns/{concern_id}/transitions",
        json={"action": "accept", "from_status": "new", "note": note},
        headers=server.login("demo-supervisor"),
        timeout=10,
    )
    assert response.status_code == 200, response.text

    sync(page)
    page.goto(f"/app/record/{concern_id}")
    expect(page.get_by_text(description)).to_be_visible()
    timeline = page.get_by_role("region", name="การติดตามเรื่อง")
    expect(timeline).to_contain_text("เปลี่ยนสถานะ ใหม่ → รับเรื่องแล้ว")
    expect(timeline).to_contain_text(note)
    expect(timeline).to_contain_text("2569")  # Buddhist-era year
    expect(page.locator("dd", has_text="รับเรื่องแล้ว")).to_be_visible()


def test_assignee_resolves_with_after_photo(page, server, photos):
    sign_in(page)
    description = f"blocked drain {uuid.uuid4().hex[:8]}"
    create_concern(page, description, photos[0])
    sync(page)
    [(concern_id,)] = server.query("SELECT id FROM concerns WHERE description = ?", description)
    me = idb(page, "kv", "session")["user"]["id"]
    response = requests.post(
        f"{server.base_url}/api/concerns/{concern_id}/transitions",
        json={"action": "assign", "from_status": "new", "assignee_id": me, "priority": 2},
        headers=server.login("demo-supervisor"),
        timeout=10,
    )
    assert response.status_code == 200, response.text

    sync(page)
    page.get_by_role("link", name="งานที่มอบหมายให้ฉัน").click()
    page.locator("#main li a").first.click()
    work = page.get_by_role("region", name="ดำเนินการเรื่องที่ได้รับมอบหมาย")
    work.get_by_label("บันทึกการดำเนินการ").fill("ลอกท่อแล้ว น้ำไหลสะดวก")
    add_photo(page, camera_jpeg(9), "section.transition input[type=file]")
    work.get_by_role("button", name="แจ้งว่าแก้ไขเสร็จแล้ว").click()
    sync(page)

    resolved = server.query("SELECT status, resolution_note FROM concerns WHERE id = ?", concern_id)
    assert resolved == [("resolved", "ลอกท่อแล้ว น้ำไหลสะดวก")]
    after = server.query(
        "SELECT count(*) FROM photo_links WHERE record_id = ? AND role = 'after'", concern_id
    )
    assert after == [(1,)]
    page.goto(f"/app/record/{concern_id}")
    expect(page.get_by_role("region", name="การติดตามเรื่อง")).to_contain_text("แก้ไขแล้ว")
