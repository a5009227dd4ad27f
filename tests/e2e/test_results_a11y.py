"""axe-core finds no serious or critical violation on the results screens: the supervisors'
dashboard (Thai and English) and the public page and a case (Thai and English), at 360 px and
1366 px, without sideways scrolling. The public pages carry no script at all, so the page axe
checks is the page a browser without JavaScript shows (axe itself needs JavaScript to run);
tests/e2e/test_results.py uses them with JavaScript off."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_results import pushed_concern
from tests.e2e.workspace import DESKTOP, serious_violations, sign_in_as

NARROW = {"width": 360, "height": 740}
VIEWPORTS = {"360": NARROW, "1366": DESKTOP}


def overflow(page: Page) -> int:
    """How far the page is wider than the screen (a sideways scroll on a phone)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", VIEWPORTS)
def test_the_dashboard(browser, server, width):
    pushed_concern(server, f"ไฟฟ้าดับ {uuid.uuid4().hex[:6]}")
    context = browser.new_context(
        base_url=server.base_url, locale="th-TH", viewport=VIEWPORTS[width]
    )
    page = context.new_page()
    sign_in_as(page, "demo-supervisor")
    found = {}
    for lang, heading in (("th", "แดชบอร์ดผลการดำเนินงาน"), ("en", "Results dashboard")):
        page.evaluate(f"localStorage.setItem('fieldapp-lang', '{lang}')")
        page.goto("/app/dashboard")
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.locator("section.dashboard")).to_have_attribute("data-charts", "drawn")
        if violations := serious_violations(page):
            found[lang] = violations
        assert overflow(page) <= 0, f"{lang}: the page scrolls sideways"
    page.evaluate("localStorage.setItem('fieldapp-lang', 'th')")
    context.close()
    assert found == {}


@pytest.mark.parametrize("width", VIEWPORTS)
def test_the_public_page_and_a_case(browser, server, width):
    code = pushed_concern(server, f"น้ำไม่ไหล {uuid.uuid4().hex[:6]}")
    context = browser.new_context(
        base_url=server.base_url, locale="th-TH", viewport=VIEWPORTS[width]
    )
    page = context.new_page()
    found = {}
    for path in (
        "/",
        "/?lang=en",
        f"/public/case?code={code}",
        f"/public/case?code={code}&lang=en",
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator("script")).to_have_count(0)  # the same page without JavaScript
        if violations := serious_violations(page):
            found[path] = violations
        assert overflow(page) <= 0, f"{path}: the page scrolls sideways"
    context.close()
    assert found == {}
