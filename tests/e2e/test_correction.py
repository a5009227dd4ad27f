"""A supervisor corrects what a citizen reported, with a reason (issue 13): the concern's
changes show the description before and after, the original words stay on the concern, and
the official's phone no longer offers to edit the report itself."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.e2e.app import create_concern, sign_in, sync
from tests.e2e.workspace import DESKTOP, PHONE, serious_violations, sign_in_as, take_step


def test_a_supervisor_corrects_a_description_with_a_reason(browser, server, photos):
    words = f"น้ำท่วมขังหน้าวัด {uuid.uuid4().hex[:6]}"
    phone = browser.new_context(base_url=server.base_url, locale="th-TH", viewport=PHONE)
    phone.set_default_timeout(20_000)
    official = phone.new_page()
    sign_in(official)
    create_concern(official, words, photos[0])
    sync(official)
    [(concern_id,)] = server.query("SELECT id FROM concerns WHERE description = ?", words)

    desk = browser.new_context(base_url=server.base_url, locale="th-TH", viewport=DESKTOP)
    desk.set_default_timeout(20_000)
    page = desk.new_page()
    sign_in_as(page, "demo-supervisor")
    page.goto(f"/app/queue/{concern_id}?status=new")
    panel = page.locator(".concern-panel")
    expect(panel).to_contain_text(words)
    take_step(page, "รับเรื่อง")
    expect(panel.locator(".badge.status-accepted")).to_be_visible()

    corrected = words.replace("หน้าวัด", "หน้าโรงเรียน")

    def fill(form):
        form.get_by_label("รายละเอียดปัญหา").fill(corrected)
        form.get_by_label("เหตุผลที่แก้ไข (ต้องระบุ)").fill("ผู้แจ้งระบุสถานที่ผิด")

    take_step(page, "แก้ไขข้อมูลที่แจ้ง", fill)
    changes = panel.get_by_role("region", name="ประวัติการแก้ไข")
    fix = changes.locator("li[data-action='correct']")
    expect(fix.locator("del")).to_have_text(words)
    expect(fix.locator("ins")).to_have_text(corrected)
    expect(fix).to_contain_text("หัวหน้าทดลอง เมืองพิษณุโลก")
    expect(fix).to_contain_text("เหตุผล: ผู้แจ้งระบุสถานที่ผิด")
    timeline = panel.get_by_role("region", name="การติดตามเรื่อง")
    expect(timeline).to_contain_text("แก้ไขข้อมูลที่แจ้ง: รายละเอียดปัญหา")
    # the concern shows the corrected text, and the citizen's own words beside it
    expect(panel.locator("dd", has_text=corrected)).to_be_visible()
    original = panel.locator("dt", has_text="รายละเอียดที่แจ้งครั้งแรก")
    expect(original.locator("xpath=following-sibling::dd[1]")).to_have_text(words)
    assert server.query("SELECT description FROM concerns WHERE id = ?", concern_id) == [
        (corrected,)
    ]
    assert serious_violations(page) == []

    # The official's phone: the report is shown, no longer editable
    sync(official)
    official.goto(f"/app/concern/{concern_id}")
    expect(official.get_by_label("รายละเอียดปัญหา")).to_be_disabled()
    expect(official.get_by_label("รายละเอียดปัญหา")).to_have_value(corrected)
    expect(official.get_by_text("หัวหน้าเท่านั้นที่แก้ไขข้อมูลเหล่านี้ได้")).to_have_count(1)
    assert serious_violations(official) == []
    phone.close()
    desk.close()
