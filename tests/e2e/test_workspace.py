"""The supervisor's workspace in a real browser: the queue's filters, workflow steps by name,
the official's phone picking the work up, overdue after the server's clock passes the due date,
and escalation to the admin; on a desktop and on a phone, one step made offline."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from tests.e2e.app import create_concern, sign_in, sync
from tests.e2e.server import Server, running_app
from tests.e2e.workspace import (
    DESKTOP,
    OFFICIAL_NAME,
    PHONE,
    find_in_queue,
    sign_in_as,
    take_step,
)

BANGKOK = timezone(timedelta(hours=7))
# The service worker's runtime cache holds the photo's thumbnail (photos/remote.js, sw.js).
THUMB_CACHED = """async (sha) => {
  const cache = await caches.open('fieldapp-photo-thumbs');
  return Boolean(await cache.match(`/api/photos/${sha}/thumb`));
}"""
TODAY = datetime.now(BANGKOK).date()


def clock_at(day: date) -> str:
    """FIELDAPP_FAKE_NOW for 09:00 in Bangkok on `day`."""
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=BANGKOK).isoformat()


@pytest.fixture(scope="module")
def clock_server(tmp_path_factory) -> Iterator[Server]:
    """An app of this module's own whose clock the tests move (FIELDAPP_FAKE_NOW)."""
    base = tmp_path_factory.mktemp("e2e-workspace")
    with running_app(base, FIELDAPP_FAKE_NOW=clock_at(TODAY)) as app:
        yield app


def new_context(browser, server: Server, viewport: dict):
    context = browser.new_context(
        base_url=server.base_url, locale="th-TH", service_workers="allow", viewport=viewport
    )
    context.set_default_timeout(20_000)
    return context


def reported_concern(browser, server: Server, words: str, photo: bytes):
    """The official reports a high-urgency road concern on a phone and syncs it."""
    phone = new_context(browser, server, PHONE)
    page = phone.new_page()
    sign_in(page)
    create_concern(page, words, photo)
    sync(page)
    [(concern_id,)] = server.query("SELECT id FROM concerns WHERE description = ?", words)
    return phone, page, concern_id


def assign_form(due: date):
    def fill(form):
        form.get_by_label("ผู้รับผิดชอบ").select_option(label=f"{OFFICIAL_NAME} (เจ้าหน้าที่)")
        form.get_by_label("กำหนดเสร็จ").fill(due.isoformat())
        form.get_by_label("ลำดับความสำคัญ").select_option("2")
        form.get_by_label("บันทึกประกอบ (ถ้ามี)").fill("ช่วยดูให้ภายในสัปดาห์นี้")

    return fill


def test_supervisor_desktop_queue_to_overdue_and_escalation(browser, clock_server, photos):
    server = clock_server
    words = f"ถนนทรุดหน้าวัด {uuid.uuid4().hex[:6]}"
    phone, official, concern_id = reported_concern(browser, server, words, photos[0])
    desk = new_context(browser, server, DESKTOP)
    page = desk.new_page()
    sign_in_as(page, "demo-supervisor")

    row = find_in_queue(page, words)
    expect(row).to_contain_text("ใหม่")
    row.get_by_role("link").click()
    panel = page.locator(".concern-panel")
    expect(panel).to_contain_text(words)
    # A desktop layout: the queue and the concern side by side, across the screen.
    queue_box = page.locator("section.queue").bounding_box()
    panel_box = panel.bounding_box()
    assert queue_box["x"] + queue_box["width"] <= panel_box["x"]
    assert panel_box["x"] + panel_box["width"] > 1000
    # The reporter consented: the supervisor sees who reported it; the photo is a thumbnail.
    expect(panel).to_contain_text("นางสมศรี ทดสอบ")
    expect(panel.locator(".gallery img")).to_have_count(1)

    take_step(page, "รับเรื่อง")
    expect(panel.locator(".badge.status-accepted")).to_be_visible()
    due = TODAY + timedelta(days=3)
    take_step(page, "มอบหมายงาน", assign_form(due))
    timeline = panel.get_by_role("region", name="การติดตามเรื่อง")
    expect(timeline).to_contain_text(f"ให้ {OFFICIAL_NAME}")  # the server's answer, drawn again
    expect(timeline).to_contain_text("ลำดับความสำคัญ 2")
    expect(timeline).to_contain_text("หัวหน้าทดลอง เมืองพิษณุโลก")
    assert server.query(
        "SELECT status, due_date, priority FROM concerns WHERE id = ?", concern_id
    ) == [("accepted", due.isoformat(), 2)]

    # The official's phone gets it on its next sync and starts the work.
    sync(official)
    official.get_by_role("link", name="งานของฉัน").click()
    official.locator("#main li a", has_text=words).click()
    official.get_by_role("button", name="เริ่มดำเนินการ").click()
    sync(official)
    assert server.query("SELECT status FROM concerns WHERE id = ?", concern_id) == [
        ("in_progress",)
    ]

    # Two days after the due date the supervisor sees it overdue: in the queue and at home.
    server.restart(FIELDAPP_FAKE_NOW=clock_at(due + timedelta(days=2)))
    page.goto("/")
    overdue_link = page.locator("#summary-overdue")
    expect(overdue_link).not_to_have_attribute("data-count", "0")
    overdue_link.click()
    expect(page.locator(".queue-list li", has_text=words).locator(".badge.overdue")).to_be_visible()

    # The escalation reaches the province's admin.
    server.flask("escalate-overdue")
    assert server.query("SELECT escalation_level FROM concerns WHERE id = ?", concern_id) == [(1,)]
    sign_out_and_in(page, "demo-admin")
    page.goto(f"/app/queue/{concern_id}?status=open&overdue=true")
    expect(page.locator(".concern-panel")).to_contain_text("ยกระดับขั้นที่ 1")
    expect(page.locator(".concern-panel .badge.overdue")).to_be_visible()
    phone.close()
    desk.close()


def sign_out_and_in(page, username: str) -> None:
    page.goto("/")
    page.get_by_text("พื้นที่เก็บข้อมูล").click()
    page.get_by_role("button", name="ออกจากระบบ").click()
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill("demo-pass-2026")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", name="สวัสดี")).to_be_visible()


def test_supervisor_phone_steps_one_offline(browser, clock_server, photos):
    server = clock_server
    words = f"ท่อแตกริมถนน {uuid.uuid4().hex[:6]}"
    phone, _, concern_id = reported_concern(browser, server, words, photos[1])
    phone.close()
    context = new_context(browser, server, PHONE)
    page = context.new_page()
    sign_in_as(page, "demo-supervisor")
    [(sha,)] = server.query("SELECT sha256 FROM photo_links WHERE record_id = ?", concern_id)
    page.wait_for_function(THUMB_CACHED, arg=sha, polling=200)

    row = find_in_queue(page, words)
    row.get_by_role("link").click()
    # On a phone the concern replaces the queue, with a way back to the same filtered list.
    expect(page.get_by_role("link", name="← กลับไปที่คิวเรื่อง")).to_be_visible()
    expect(page.locator("section.queue")).to_have_count(0)
    panel = page.locator(".concern-panel")
    expect(panel).to_contain_text(words)

    # Accepting without signal: queued, shown as waiting, sent when the signal returns.
    context.set_offline(True)
    take_step(page, "รับเรื่อง")
    expect(panel.locator(".pending-steps")).to_contain_text("รอส่งเมื่อมีสัญญาณ")
    assert server.query("SELECT status FROM concerns WHERE id = ?", concern_id) == [("new",)]
    # Reopened without signal: the step still waits, and the official's photo shows from the
    # service worker's thumbnail cache (prefetched after the supervisor's sync).
    page.reload()
    expect(panel.locator(".pending-steps")).to_contain_text("รอส่งเมื่อมีสัญญาณ")
    expect(panel.locator(".gallery img")).to_have_count(1)
    context.set_offline(False)
    expect(panel.locator(".badge.status-accepted")).to_be_visible()
    assert server.query("SELECT status FROM concerns WHERE id = ?", concern_id) == [("accepted",)]

    take_step(page, "มอบหมายงาน", assign_form(TODAY + timedelta(days=5)))
    timeline = panel.get_by_role("region", name="การติดตามเรื่อง")
    expect(timeline).to_contain_text(f"ให้ {OFFICIAL_NAME}")
    assert server.query("SELECT status, priority FROM concerns WHERE id = ?", concern_id) == [
        ("accepted", 2)
    ]
    # Nothing was sent twice: one timeline entry per step.
    kinds = server.query(
        "SELECT kind FROM followup_entries WHERE concern_id = ? ORDER BY created_at", concern_id
    )
    assert [k for (k,) in kinds] == ["status", "assignment"]
    context.close()
