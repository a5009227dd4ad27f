"""Switching the language in the middle of a form keeps everything typed, photos included."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.e2e.app import add_photo, choose_village, sign_in, sync


def test_language_switch_keeps_a_half_filled_visit(page, server, photos):
    sign_in(page)
    page.get_by_role("link", name="ลงพื้นที่พบปะประชาชน", exact=True).click()
    choose_village(page)
    village = page.get_by_label("หมู่บ้าน", exact=True).input_value()
    page.get_by_label("จำนวนประชาชนที่พบ").fill("23")
    page.get_by_label("สุขภาพ").check()
    notes = f"ประชุมเรื่องน้ำประปา {uuid.uuid4().hex[:8]}"
    page.get_by_label("บันทึก", exact=True).fill(notes)
    add_photo(page, photos[0])

    page.get_by_role("button", name="เปลี่ยนภาษาเป็นภาษาอังกฤษ").click()
    expect(page.get_by_label("Notes", exact=True)).to_have_value(notes)
    expect(page.get_by_label("Villagers met")).to_have_value("23")
    expect(page.get_by_label("Health")).to_be_checked()
    expect(page.get_by_label("Village", exact=True)).to_have_value(village)
    expect(
        page.locator("input[type=file][data-item-key='']").locator("xpath=..").locator("li")
    ).to_have_count(1)

    page.get_by_label("Villagers met").fill("24")
    page.get_by_role("button", name="Switch the language to Thai").click()
    expect(page.get_by_label("จำนวนประชาชนที่พบ")).to_have_value("24")
    page.get_by_role("button", name="บันทึกและส่งเมื่อมีสัญญาณ").click()
    expect(page.get_by_text(notes)).to_be_visible()
    sync(page)

    stored = server.query(
        "SELECT village_id, villagers_met, topics FROM visits WHERE notes = ?", notes
    )
    assert stored == [(village, 24, '["health"]')]
    [(visit_id,)] = server.query("SELECT id FROM visits WHERE notes = ?", notes)
    assert server.query("SELECT count(*) FROM photo_links WHERE record_id = ?", visit_id) == [(1,)]


def test_language_switch_keeps_reporter_details_and_item_notes(page, server):
    sign_in(page)
    page.get_by_role("link", name="ปัญหาความเดือดร้อน", exact=True).click()
    page.get_by_label("รายละเอียดปัญหา").fill("ไฟถนนดับทั้งซอย")
    page.get_by_label("ผู้แจ้งยินยอมให้บันทึกชื่อและเบอร์โทร").check()
    page.get_by_label("ชื่อผู้แจ้ง").fill("นายสมชาย ทดสอบ")
    page.get_by_role("button", name="เปลี่ยนภาษาเป็นภาษาอังกฤษ").click()
    expect(page.get_by_label("Description of the problem")).to_have_value("ไฟถนนดับทั้งซอย")
    expect(page.get_by_label("Reporter's name")).to_have_value("นายสมชาย ทดสอบ")
    page.get_by_role("button", name="Switch the language to Thai").click()

    page.get_by_role("link", name="หน้าหลัก").click()
    page.get_by_role("link", name="ตรวจ Clean & Tidy", exact=True).click()
    page.get_by_label("ชื่อสถานที่").fill("ตลาดสด")
    note = page.locator("input[name^=note-]").first
    note.fill("ถังขยะไม่มีฝาปิด")  # a note on an item not scored yet
    page.get_by_role("button", name="เปลี่ยนภาษาเป็นภาษาอังกฤษ").click()
    expect(page.get_by_label("Name of the place")).to_have_value("ตลาดสด")
    expect(page.locator("input[name^=note-]").first).to_have_value("ถังขยะไม่มีฝาปิด")
