"""What the server refuses lands in "needs attention", is corrected and sent again."""

from __future__ import annotations

import uuid

import requests
from playwright.sync_api import expect

from tests.e2e.app import choose_village, finished_syncs, idb, sign_in, wait_synced


def test_rejected_concern_is_corrected_and_resent(page, server, photos):
    sign_in(page)
    description = f"street light out {uuid.uuid4().hex[:8]}"
    page.get_by_role("link", name="ปัญหาความเดือดร้อน", exact=True).click()
    choose_village(page)
    page.get_by_label("ประเภทปัญหา").select_option("electricity")
    page.get_by_label("รายละเอียดปัญหา").fill(description)
    page.get_by_label("ผู้แจ้งยินยอมให้บันทึกชื่อและเบอร์โทร").check()
    page.get_by_label("เบอร์โทรผู้แจ้ง").fill("โทร ๐๘๑")  # Thai digits: the server refuses them
    before = finished_syncs(page)
    page.get_by_role("button", name="บันทึกและส่งเมื่อมีสัญญาณ").click()
    wait_synced(page, before)

    page.get_by_role("link", name="หน้าหลัก").click()
    page.get_by_role("link", name="ต้องแก้ไข 1 รายการ").click()
    page.locator("#main li a").first.click()
    banner = page.get_by_role("alert").first
    expect(banner).to_contain_text("เซิร์ฟเวอร์ไม่รับรายการนี้")
    expect(banner).to_contain_text("ข้อมูลบางช่องไม่ถูกต้อง")  # the reason, in Thai
    # Each field's message too, in Thai, named by the field's label.
    expect(banner).to_contain_text("เบอร์โทรผู้แจ้ง: เบอร์โทรใช้ได้เฉพาะเลข 0-9")
    page.get_by_role("link", name="แก้ไข").click()
    phone = page.get_by_label("เบอร์โทรผู้แจ้ง")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".field-error").first).to_contain_text("เบอร์โทรใช้ได้เฉพาะเลข 0-9")
    phone.fill("081-234-5678")
    before = finished_syncs(page)
    page.get_by_role("button", name="แก้ไขแล้วส่งใหม่").click()
    wait_synced(page, before)

    [(concern_id, reporter_phone)] = server.query(
        "SELECT id, reporter_phone FROM concerns WHERE description = ?", description
    )
    assert reporter_phone == "081-234-5678"
    quarantined = server.query(
        "SELECT count(*) FROM quarantined_mutations WHERE mutation_id NOT IN "
        "(SELECT mutation_id FROM applied_mutations WHERE outcome LIKE '%applied%')"
    )
    assert quarantined[0][0] >= 1
    record = idb(page, "records", concern_id)
    assert record["state"] == "synced" and record["attention"] is None
    assert idb(page, "outbox") == []


def test_expired_sign_in_keeps_the_unsent_work(page, server):
    sign_in(page)
    session = idb(page, "kv", "session")
    # The phone is reported lost and revoked from another device; then it records a visit.
    revoked = requests.post(
        f"{server.base_url}/api/devices/{session['device_id']}/revoke",
        headers=server.login("demo-official"),
        timeout=10,
    )
    assert revoked.status_code == 200
    notes = f"after revoke {uuid.uuid4().hex[:8]}"
    page.get_by_role("link", name="ลงพื้นที่พบปะประชาชน", exact=True).click()
    choose_village(page)
    page.get_by_label("บันทึก", exact=True).fill(notes)
    page.get_by_role("button", name="บันทึกและส่งเมื่อมีสัญญาณ").click()

    expect(page.get_by_role("alert").first).to_contain_text("การเข้าสู่ระบบหมดอายุ")
    assert len(idb(page, "outbox")) == 1  # nothing unsent was deleted
    assert server.query("SELECT count(*) FROM visits WHERE notes = ?", notes) == [(0,)]

    before = finished_syncs(page)
    page.get_by_label("รหัสผ่าน").fill("demo-pass-2026")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    wait_synced(page, before)
    assert server.query("SELECT count(*) FROM visits WHERE notes = ?", notes) == [(1,)]
