"""axe-core finds no serious or critical violation on the workspace and the official's home,
in Thai and in English."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.e2e.app import create_concern, sign_in, sync
from tests.e2e.workspace import DESKTOP, PHONE, serious_violations, sign_in_as


def check_both_languages(page: Page, paths: list[str], ready: str = "#main h1") -> dict:
    """Violations per screen and language ({} when there are none)."""
    found = {}
    for lang in ("th", "en"):
        page.evaluate(f"localStorage.setItem('fieldapp-lang', '{lang}')")
        for path in paths:
            page.goto(path)
            expect(page.locator(ready).first).to_be_visible()
            if violations := serious_violations(page):
                found[f"{lang} {path}"] = violations
    page.evaluate("localStorage.setItem('fieldapp-lang', 'th')")
    return found


def test_officials_home_and_records(context, page, server, photos):
    page.set_viewport_size(PHONE)
    sign_in(page)
    create_concern(page, f"ไฟถนนดับ {uuid.uuid4().hex[:6]}", photos[0])
    sync(page)
    [(concern_id,)] = server.query("SELECT id FROM concerns ORDER BY created_at DESC LIMIT 1")
    screens = ["/", "/app/records?tab=synced", "/app/assigned", f"/app/record/{concern_id}"]
    assert check_both_languages(page, screens) == {}


def test_queue_detail_and_admin_screens(browser, server, photos):
    official = browser.new_context(base_url=server.base_url, locale="th-TH", viewport=PHONE)
    phone = official.new_page()
    sign_in(phone)
    words = f"น้ำท่วมขัง {uuid.uuid4().hex[:6]}"
    create_concern(phone, words, photos[1])
    sync(phone)
    official.close()
    [(concern_id,)] = server.query("SELECT id FROM concerns WHERE description = ?", words)

    for username, screens in (
        (
            "demo-supervisor",
            ["/", "/app/queue", f"/app/queue/{concern_id}", "/app/reviews/inspections"],
        ),
        ("demo-admin", ["/app/admin/users", "/app/admin/users/new", "/app/admin/devices"]),
    ):
        for viewport in (DESKTOP, PHONE):
            context = browser.new_context(
                base_url=server.base_url, locale="th-TH", viewport=viewport
            )
            page = context.new_page()
            sign_in_as(page, username)
            assert check_both_languages(page, screens, "#main h1, #main h2") == {}, username
            context.close()
