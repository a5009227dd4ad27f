"""The villager's word (issue 13, item 5) and the audit log screen (item 6) in a real Chromium.

At the next visit, offline, the official records the villager's "not fixed"; it waits on the
phone, the sync sends it, the concern reopens and the supervisor sees it reopened. The admin's
audit screen filters the chain, shows the head `flask audit-head` prints, and axe-core finds
nothing serious on it in Thai or English, on a phone and a desktop.
"""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.e2e.app import add_photo, camera_jpeg, choose_village, idb, sync
from tests.e2e.test_followup import concern_assigned_to_me
from tests.e2e.test_workspace_a11y import check_both_languages
from tests.e2e.workspace import DESKTOP, PHONE, serious_violations, sign_in_as


def _resolve_as_assignee(page, description: str) -> None:
    """The official, the concern's assignee, reports it fixed with an after-photo."""
    page.get_by_role("link", name="งานของฉัน").click()
    page.locator("#main li a").filter(has_text=description).click()
    work = page.get_by_role("region", name="ดำเนินการเรื่องที่ได้รับมอบหมาย")
    work.get_by_label("บันทึกการดำเนินการ").fill("ซ่อมถนนแล้ว")
    add_photo(page, camera_jpeg(11), "section.transition input[type=file]")
    work.get_by_role("button", name="แจ้งว่าแก้ไขเสร็จแล้ว").click()
    sync(page)


def test_at_the_next_visit_offline_the_villager_says_not_fixed_and_the_concern_reopens(
    browser, context, page, server, photos
):
    description = f"ถนนเป็นหลุม {uuid.uuid4().hex[:8]}"
    concern_id = concern_assigned_to_me(page, server, description, photos[2])
    _resolve_as_assignee(page, description)
    assert server.query("SELECT status FROM concerns WHERE id = ?", concern_id) == [("resolved",)]

    # The next visit, in a village without signal.
    context.set_offline(True)
    page.get_by_role("link", name="หน้าหลัก").click()
    awaiting = page.get_by_role("region", name="เรื่องที่แก้ไขแล้ว รอชาวบ้านยืนยัน")
    expect(awaiting).to_contain_text(description)
    page.get_by_role("link", name="ลงพื้นที่พบปะประชาชน", exact=True).click()
    choose_village(page)
    here = page.get_by_role("region", name="เรื่องในหมู่บ้านนี้ที่แก้ไขแล้ว รอชาวบ้านยืนยัน")
    item = here.locator("li").filter(has_text=description)
    expect(item).to_be_visible()
    assert serious_violations(page) == []
    item.get_by_role("button", name="บันทึกคำตอบของชาวบ้าน").click()
    expect(item.get_by_role("alert")).to_contain_text("เลือก")  # no answer chosen yet
    item.get_by_label("ยังไม่ได้แก้ไข").check()
    item.get_by_role("button", name="บันทึกคำตอบของชาวบ้าน").click()
    expect(item.get_by_role("alert")).to_contain_text("ระบุว่าชาวบ้านพบว่า")  # a note is needed
    item.get_by_label("สิ่งที่ชาวบ้านบอก").fill("น้ำยังขังเป็นหลุมหน้าบ้านเลขที่ 12")
    item.get_by_role("button", name="บันทึกคำตอบของชาวบ้าน").click()
    expect(item.get_by_role("status")).to_contain_text("ยังไม่ได้แก้ไข — รอส่ง")

    [step] = [e for e in idb(page, "outbox") if e["record_id"] == concern_id]
    assert step["transition"]["action"] == "confirm_fix"
    assert step["transition"]["answer"] == "not_fixed"
    assert server.query("SELECT status FROM concerns WHERE id = ?", concern_id) == [("resolved",)]
    # Still offline, the concern shows the answer waiting, not the form again.
    page.goto(f"/app/record/{concern_id}")
    expect(page.get_by_role("region", name="คำยืนยันของชาวบ้าน")).to_contain_text("รอส่ง")

    context.set_offline(False)
    sync(page)
    assert server.query(
        "SELECT status, resolved_at, villager_confirmed FROM concerns WHERE id = ?", concern_id
    ) == [("in_progress", None, None)]
    assert idb(page, "outbox") == []
    page.goto(f"/app/record/{concern_id}")
    timeline = page.get_by_role("region", name="การติดตามเรื่อง")
    expect(timeline).to_contain_text("ชาวบ้านแจ้งว่ายังไม่ได้แก้ไข")
    expect(timeline).to_contain_text("น้ำยังขังเป็นหลุมหน้าบ้านเลขที่ 12")

    # The supervisor sees it reopened, with the villager's words on the timeline.
    office = browser.new_context(base_url=server.base_url, locale="th-TH", viewport=DESKTOP)
    boss = office.new_page()
    sign_in_as(boss, "demo-supervisor")
    boss.goto(f"/app/queue/{concern_id}")
    panel = boss.locator(".concern-panel")
    expect(panel.locator(".badge.status-in_progress")).to_have_text("กำลังดำเนินการ")
    expect(panel).to_contain_text("ชาวบ้านแจ้งว่ายังไม่ได้แก้ไข: เปิดเรื่องอีกครั้ง")
    expect(panel).to_contain_text("น้ำยังขังเป็นหลุมหน้าบ้านเลขที่ 12")
    office.close()


def test_the_admin_browses_the_audit_log_and_sees_its_head(browser, server):
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(base_url=server.base_url, locale="th-TH", viewport=viewport)
        page = context.new_page()
        sign_in_as(page, "demo-admin")
        page.goto("/app/admin/audit")
        position, digest = server.flask("audit-head").split()
        head = page.locator("#audit-head")
        expect(head).to_contain_text(f"ลำดับที่ {position}")
        expect(head).to_contain_text(digest)

        filters = page.get_by_role("search", name="กรองบันทึกการตรวจสอบ")
        filters.get_by_label("การกระทำ").fill("device.login")
        filters.get_by_role("button", name="แสดง").click()
        expect(page).to_have_url(re.compile(r"action=device\.login"))
        rows = page.locator("table.audit-log tbody tr")
        expect(rows.first).to_contain_text("device.login")
        # the filtered page replaces the whole list (the newest entry, a sign-in, may already
        # have been first): wait until no row of another action is left
        expect(rows.filter(has_not_text="device.login")).to_have_count(0)
        filters = page.get_by_role("search", name="กรองบันทึกการตรวจสอบ")
        filters.get_by_label("ตั้งแต่วันที่").fill("2020-01-02")
        filters.get_by_label("ถึงวันที่ (รวมวันนั้น)").fill("2020-01-01")
        filters.get_by_role("button", name="แสดง").click()
        expect(filters.get_by_role("alert")).to_have_text("วันที่เริ่มอยู่หลังวันที่สิ้นสุด")
        screens = ["/app/admin/audit", "/app/admin/audit?action=device.login&page=1"]
        assert check_both_languages(page, screens) == {}, viewport
        context.close()
