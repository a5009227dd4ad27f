"""A new version is offered, never forced: it installs completely first, then waits for a yes."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from tests.e2e.app import sign_in
from tests.e2e.server import DIST, running_app


@pytest.fixture
def release(tmp_path):
    """An app server of its own, serving a copy of the build that the test can re-release."""
    dist = tmp_path / "dist"
    shutil.copytree(DIST, dist)
    with running_app(tmp_path / "app", PWA_DIST=str(dist)) as app:
        yield app, dist


def test_new_version_is_offered_then_works_offline(browser, release):
    app, dist = release
    context = browser.new_context(base_url=app.base_url, locale="th-TH")
    page = context.new_page()
    sign_in(page)
    page.evaluate("window.__before_update = true")

    # The next release: the same shell with sw.js changed, which to the browser is a new version.
    sw = dist / "sw.js"
    sw.write_text(sw.read_text() + "\n// next release\n")
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    banner = page.locator("#update-banner")
    expect(banner).to_contain_text("มีแอปเวอร์ชันใหม่")
    # Offered, not forced: the page was not reloaded under the official.
    assert page.evaluate("window.__before_update === true")

    # Waiting for the reload itself: wait_for_function would evaluate a string in the new
    # page, which its Content-Security-Policy (no unsafe-eval) refuses.
    with page.expect_event("load"):
        banner.get_by_role("button", name="อัปเดตตอนนี้").click()
    assert page.evaluate("window.__before_update === undefined")
    expect(page.get_by_role("heading", name="สวัสดี")).to_be_visible()
    expect(page.locator("#update-banner")).to_have_count(0)

    # The new version had precached the whole shell before it took over: offline still works.
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="สวัสดี")).to_be_visible()
    page.get_by_role("link", name="ตรวจ Clean & Tidy", exact=True).click()
    expect(page.get_by_label("ชื่อสถานที่")).to_be_visible()
    context.close()
