"""Evidence that a fix is real, in a real browser: the official resolves with an after-photo
carrying EXIF (set through the file input), the phone sends its provenance (the uploaded JPEG
keeps none), the supervisor sees the checks and closes; a reused photo fails a check and
closing it needs an override reason (docs/evidence.md)."""

from __future__ import annotations

import io
import uuid
from datetime import datetime, timedelta, timezone

import requests
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.app import add_photo, choose_village, sign_in, sync, wait_synced
from tests.e2e.test_followup import supervisor_step
from tests.e2e.test_workspace import new_context
from tests.e2e.workspace import DESKTOP, PHONE, sign_in_as, take_step, wait_step_sent
from tests.photos.evidence_images import photo

BANGKOK = timezone(timedelta(hours=7))
# Where the official stands (the phone's geolocation) and reports: Wat Yai, Phitsanulok.
HERE = {"latitude": 16.8240, "longitude": 100.2620, "accuracy": 8}
NEAR = (16.8242, 100.2621)  # where the after-photo's EXIF says it was taken, ~25 m away


def phone(browser, server):
    context = browser.new_context(
        base_url=server.base_url,
        locale="th-TH",
        service_workers="allow",
        viewport=PHONE,
        geolocation=HERE,
        permissions=["geolocation"],
    )
    context.set_default_timeout(20_000)
    return context


def report_here(page, server, description: str) -> str:
    """A road concern reported with the phone's position, synced, assigned to the official."""
    page.get_by_role("link", name="หน้าหลัก").click()
    page.get_by_role("link", name="ปัญหาความเดือดร้อน", exact=True).click()
    choose_village(page)
    page.get_by_label("ประเภทปัญหา").select_option("roads")
    page.get_by_label("รายละเอียดปัญหา").fill(description)
    page.get_by_role("button", name="บันทึกตำแหน่ง").click()
    expect(page.get_by_text("คลาดเคลื่อน ±8 ม.")).to_be_visible()
    page.get_by_role("button", name="บันทึกและส่งเมื่อมีสัญญาณ").click()
    expect(page.get_by_text(description)).to_be_visible()
    sync(page)
    [(concern_id,)] = server.query("SELECT id FROM concerns WHERE description = ?", description)
    [(me,)] = server.query("SELECT id FROM users WHERE username = 'demo-official'")
    supervisor_step(server, concern_id, action="assign", from_status="new", assignee_id=me)
    sync(page)
    return concern_id


def resolve_with(page, concern_id: str, picture: bytes) -> None:
    page.goto(f"/app/record/{concern_id}")
    wait_synced(page)  # the sync of an opening app draws the page again: fill it afterwards
    work = page.get_by_role("region", name="ดำเนินการเรื่องที่ได้รับมอบหมาย")
    work.get_by_label("บันทึกการดำเนินการ").fill("ปะหลุมถนนเรียบร้อยแล้ว")
    add_photo(page, picture, "section.transition input[type=file]")
    work.get_by_role("button", name="แจ้งว่าแก้ไขเสร็จแล้ว").click()
    sync(page)


def after_photo(server, concern_id: str) -> str:
    [(sha256,)] = server.query(
        "SELECT sha256 FROM photo_links WHERE record_id = ? AND role = 'after'", concern_id
    )
    return sha256


def evidence_box(page, concern_id: str):
    page.goto(f"/app/queue/{concern_id}")
    box = page.get_by_role("region", name="หลักฐานการแก้ไข")
    expect(box).to_be_visible()
    return box


def test_a_real_fix_passes_and_a_reused_photo_needs_an_override(browser, server):
    taken = datetime.now(BANGKOK).replace(tzinfo=None) + timedelta(minutes=2)
    picture = photo(seed=4242, taken=taken, gps=NEAR, size=(2400, 1800))
    official = phone(browser, server)
    page = official.new_page()
    sign_in(page)
    first = report_here(page, server, f"ถนนเป็นหลุม {uuid.uuid4().hex[:8]}")
    resolve_with(page, first, picture)

    # The phone sent what the original's EXIF said and where it was; the JPEG it uploaded
    # keeps no EXIF, GPS or camera at all.
    sha256 = after_photo(server, first)
    [(exif_lat, camera, device_lat, accuracy)] = server.query(
        "SELECT exif_lat, camera_model, device_lat, device_accuracy_m FROM photo_links"
        " WHERE sha256 = ? AND role = 'after'",
        sha256,
    )
    assert (round(exif_lat, 4), camera, device_lat, accuracy) == (NEAR[0], "Galaxy A15", 16.824, 8)
    original = requests.get(
        f"{server.base_url}/api/photos/{sha256}/original",
        headers=server.login("demo-official"),
        timeout=10,
    )
    assert original.status_code == 200
    with Image.open(io.BytesIO(original.content)) as uploaded:
        assert not uploaded.getexif() and "exif" not in uploaded.info
        assert max(uploaded.size) == 1600  # resized on the phone

    # A second concern at the same place, "fixed" with the very same picture.
    second = report_here(page, server, f"ถนนเป็นหลุมอีกจุด {uuid.uuid4().hex[:8]}")
    resolve_with(page, second, picture)
    official.close()

    office = new_context(browser, server, DESKTOP)
    page = office.new_page()
    sign_in_as(page, "demo-supervisor")
    box = evidence_box(page, first)
    checks = box.locator("li[data-check]")
    expect(checks).to_have_count(4)
    expect(box.locator("li[data-result=passed]")).to_have_count(4)
    expect(box.locator("li[data-check=time]")).to_contain_text("ถ่ายหลังแจ้ง")
    expect(box.locator("li[data-check=distance]")).to_contain_text("(เกณฑ์ 200 เมตร)")
    take_step(page, "ปิดเรื่อง")
    wait_step_sent(page)
    expect(page.locator(".concern-panel .badge.status-closed")).to_be_visible()
    assert server.query("SELECT status FROM concerns WHERE id = ?", first) == [("closed",)]

    box = evidence_box(page, second)
    reuse = box.locator("li[data-check=reuse]")
    expect(reuse).to_have_attribute("data-result", "failed")
    expect(reuse.get_by_role("link", name=f"เรื่อง {first[:8]}")).to_be_visible()
    expect(box).to_contain_text("ต้องระบุเหตุผล")
    panel = page.locator(".concern-panel")
    panel.get_by_role("button", name="ปิดเรื่อง", exact=True).click()
    form = panel.get_by_role("form", name="ปิดเรื่อง")
    form.get_by_role("button", name="ยืนยัน: ปิดเรื่อง").click()
    expect(form.get_by_role("alert")).to_contain_text("กรุณาระบุเหตุผลที่ปิดเรื่องแม้หลักฐานไม่ผ่าน")
    reason = "ซ่อมสองจุดพร้อมกัน ช่างถ่ายรูปเดียว ตรวจหน้างานแล้ว"
    form.get_by_label("เหตุผลที่ปิดเรื่องแม้หลักฐานไม่ผ่าน").fill(reason)
    form.get_by_role("button", name="ยืนยัน: ปิดเรื่อง").click()
    wait_step_sent(page)
    expect(page.get_by_role("region", name="การติดตามเรื่อง")).to_contain_text(reason)
    assert server.query("SELECT status FROM concerns WHERE id = ?", second) == [("closed",)]
    audited = server.query(
        "SELECT json_extract(details, '$.reason') FROM audit_log"
        " WHERE action = 'concern.evidence_override' AND record_id = ?",
        second,
    )
    assert audited == [(reason,)]
    office.close()
