"""Results from the supervisor's side in a real browser: the switch that puts a concern's photo
on the public page (and takes it off), and the queue's export carrying the queue's filters,
with reporter data only when asked for (audited)."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

import openpyxl
from playwright.sync_api import Page, expect

from tests.e2e.app import create_concern, sign_in, sync
from tests.e2e.server import Server
from tests.e2e.workspace import DESKTOP, PHONE, sign_in_as

REPORTER = "นางสมศรี ทดสอบ"  # what tests.e2e.app.create_concern records, with consent


def reported(browser, server: Server, words: str, photo: bytes) -> tuple[str, str]:
    """The official reports a concern with a photo and syncs it: (concern id, photo sha256)."""
    context = browser.new_context(base_url=server.base_url, locale="th-TH", viewport=PHONE)
    context.set_default_timeout(20_000)
    page = context.new_page()
    sign_in(page)
    create_concern(page, words, photo)
    sync(page)
    context.close()
    [(concern_id,)] = server.query("SELECT id FROM concerns WHERE description = ?", words)
    [(sha,)] = server.query("SELECT sha256 FROM photo_links WHERE record_id = ?", concern_id)
    return concern_id, sha


def public_thumbs(browser, server: Server) -> list[str]:
    """The photo addresses the public page shows, read without JavaScript."""
    context = browser.new_context(
        base_url=server.base_url, java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    page.goto("/")
    sources = page.locator("#recent-h ~ ul img").evaluate_all("(els) => els.map((e) => e.src)")
    context.close()
    return sources


def supervisor_page(browser, server: Server, viewport: dict = DESKTOP) -> Page:
    context = browser.new_context(base_url=server.base_url, locale="th-TH", viewport=viewport)
    context.set_default_timeout(20_000)
    page = context.new_page()
    sign_in_as(page, "demo-supervisor")
    return page


def test_a_supervisor_puts_a_photo_on_the_public_page_and_takes_it_off(browser, server, photos):
    words = f"ถนนทรุดตัว {uuid.uuid4().hex[:6]}"
    concern_id, sha = reported(browser, server, words, photos[2])
    server.query(
        "UPDATE concerns SET status = 'resolved', resolved_at = CURRENT_TIMESTAMP WHERE id = ?",
        concern_id,
    )
    assert not [s for s in public_thumbs(browser, server) if sha in s]

    page = supervisor_page(browser, server)
    page.goto(f"/app/queue/{concern_id}?status=resolved")
    section = page.get_by_role("region", name="แสดงบนหน้าเว็บสาธารณะ")
    switch = section.get_by_label("แสดงบนหน้าเว็บสาธารณะ: รูปก่อนแก้ไขที่ 1")
    expect(switch).not_to_be_checked()
    switch.check()
    expect(section.get_by_role("status")).to_have_text("แสดงบนหน้าเว็บสาธารณะแล้ว: รูปก่อนแก้ไขที่ 1")
    assert server.query("SELECT publishable FROM photo_links WHERE record_id = ?", concern_id) == [
        (1,)
    ]
    [shown] = [s for s in public_thumbs(browser, server) if sha in s]
    assert shown.endswith(f"/public/photos/{sha}/thumb")

    # Drawn again from the server, in English: the switch remembers, and takes it off.
    page.evaluate("localStorage.setItem('fieldapp-lang', 'en')")
    page.goto(f"/app/queue/{concern_id}?status=resolved")
    section = page.get_by_role("region", name="On the public page")
    switch = section.get_by_label("Show on the public page: Photo before, 1")
    expect(switch).to_be_checked()
    switch.uncheck()
    expect(section.get_by_role("status")).to_have_text(
        "Taken off the public page: Photo before, 1."
    )
    assert not [s for s in public_thumbs(browser, server) if sha in s]
    page.evaluate("localStorage.setItem('fieldapp-lang', 'th')")
    page.context.close()


def download(page: Page, fmt: str, personal: bool) -> bytes:
    form = page.get_by_role("form", name="ส่งออกเรื่องเหล่านี้")
    form.get_by_label("รูปแบบไฟล์").select_option(fmt)
    box = form.get_by_label("รวมชื่อและเบอร์โทรของผู้แจ้ง (บันทึกในบันทึกการตรวจสอบ)")
    box.set_checked(personal)
    with page.expect_download() as event:
        form.get_by_role("button", name="ดาวน์โหลด").click()
    expect(form.get_by_role("status")).to_have_text("ดาวน์โหลดไฟล์แล้ว")
    return Path(event.value.path()).read_bytes()


def test_the_queue_exports_what_it_lists(browser, server, photos):
    words = f"ไฟส่องทางดับ {uuid.uuid4().hex[:6]}"
    concern_id, _ = reported(browser, server, words, photos[0])
    page = supervisor_page(browser, server, {"width": 360, "height": 740})
    page.goto(f"/app/queue?status=open&q={words}")
    expect(page.locator("#queue-total")).to_have_text("พบ 1 เรื่อง")

    rows = list(csv.DictReader(io.StringIO(download(page, "csv", False).decode("utf-8-sig"))))
    assert [(r["id"], r["description"]) for r in rows] == [(concern_id, words)]
    assert "reporter_name" not in rows[0]
    audited = "SELECT count(*) FROM audit_log WHERE action = 'export.personal_data'"
    [(before,)] = server.query(audited)

    book = openpyxl.load_workbook(io.BytesIO(download(page, "xlsx", True)), read_only=True)
    header, *data = list(book.active.iter_rows(values_only=True))
    assert [row[header.index("description")] for row in data] == [words]
    assert data[0][header.index("reporter_name")] == REPORTER
    assert server.query(audited) == [(before + 1,)]
    page.context.close()
