"""Reviews and administration in the browser: a supervisor sends an inspection back and its
author's phone shows it under "My tasks"; an admin adds a person, deactivates them, and revokes
a phone."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.e2e.app import create_inspection, sign_in, sync
from tests.e2e.workspace import DESKTOP, PHONE, sign_in_as


def test_reinspection_request_reaches_the_author(browser, server, photos):
    official = browser.new_context(base_url=server.base_url, locale="th-TH", viewport=PHONE)
    phone = official.new_page()
    sign_in(phone)
    place = f"ตลาดสด {uuid.uuid4().hex[:6]}"
    create_inspection(phone, place, photos[0])
    sync(phone)

    desk = browser.new_context(base_url=server.base_url, locale="th-TH", viewport=DESKTOP)
    page = desk.new_page()
    sign_in_as(page, "demo-supervisor")
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="ตรวจทาน").click()
    # The supervisor's home lists the pulled inspection too: open it from the review list.
    page.locator('a[href^="/app/review/inspection/"]', has_text=place).click()
    expect(page).to_have_url(re.compile(r"/app/review/inspection/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Clean & Tidy")
    expect(page.locator(".gallery img")).to_have_count(1)  # the author's photo, from the server
    review = page.get_by_role("region", name="ตรวจทานผลการตรวจ")
    review.get_by_role("button", name="ขอให้ตรวจซ้ำ").click()
    expect(review.get_by_role("alert")).to_have_text("กรุณาระบุสิ่งที่ต้องตรวจซ้ำ")
    review.get_by_label("บันทึกการตรวจทาน").fill("ถ่ายรูปห้องน้ำให้ชัดเจน")
    review.get_by_role("button", name="ขอให้ตรวจซ้ำ").click()
    expect(page.get_by_text("ส่งคำขอให้ตรวจซ้ำแล้ว")).to_be_visible()
    assert server.query(
        "SELECT review_status, review_note FROM inspections WHERE place_name = ?", place
    ) == [("reinspection_requested", "ถ่ายรูปห้องน้ำให้ชัดเจน")]
    # The village's history: a table and a chart.
    page.get_by_role("link", name="ประวัติ Clean & Tidy ของหมู่บ้าน").click()
    expect(page.get_by_role("cell", name=place)).to_be_visible()
    expect(page.get_by_role("img", name="กราฟคะแนน Clean & Tidy")).to_be_visible()
    desk.close()

    sync(phone)
    phone.get_by_role("link", name="งานของฉัน").click()
    expect(phone.get_by_role("heading", name="ขอให้ตรวจซ้ำ")).to_be_visible()
    expect(phone.locator("#main li", has_text=place)).to_be_visible()
    official.close()


def test_admin_adds_deactivates_and_revokes(browser, server):
    context = browser.new_context(base_url=server.base_url, locale="th-TH", viewport=DESKTOP)
    page = context.new_page()
    sign_in_as(page, "demo-admin")
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="ผู้ใช้").click()
    page.get_by_role("link", name="เพิ่มผู้ใช้").click()
    username = f"somsri{uuid.uuid4().hex[:5]}"
    page.get_by_label("ชื่อผู้ใช้ (สำหรับเข้าสู่ระบบ)").fill(username)
    page.get_by_label("ชื่อ-นามสกุล").fill("สมศรี ใจดี")
    page.get_by_label("บทบาท").select_option("official")
    page.get_by_label("เมืองพิษณุโลก", exact=False).first.check()
    page.get_by_label("รหัสผ่านเริ่มต้น").fill("a-long-password-1")
    page.get_by_role("button", name="เพิ่มผู้ใช้").click()
    expect(page.get_by_text("เพิ่มผู้ใช้แล้ว")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=username)
    expect(row).to_contain_text("ใช้งานได้")

    row.get_by_role("link", name="สมศรี ใจดี").click()
    page.get_by_role("button", name="ระงับบัญชี").click()
    expect(page.get_by_role("row").filter(has_text=username)).to_contain_text("ระงับแล้ว")
    assert server.query("SELECT active FROM users WHERE username = ?", username) == [(0,)]

    # A phone of the demo official, revoked from the phones list.
    server.login("demo-official2")
    page.get_by_role("link", name="อุปกรณ์").click()
    device = page.get_by_role("row").filter(has_text="เจ้าหน้าที่ทดลอง นครไทย").first
    device.get_by_role("button", name="ยกเลิกสิทธิ์อุปกรณ์ e2e").click()
    expect(page.get_by_text("ยกเลิกสิทธิ์ e2e แล้ว")).to_be_visible()
    revoked = server.query(
        "SELECT count(*) FROM devices d JOIN users u ON u.id = d.user_id "
        "WHERE u.username = 'demo-official2' AND d.revoked_at IS NOT NULL"
    )
    assert revoked[0][0] >= 1
    context.close()
