"""Every control has an accessible name, in Thai and after the switch to English."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.app import sign_in

# Controls without a name a screen reader can announce (label, aria-label, or button text).
UNNAMED = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter((el) => el.type !== 'hidden')
  .filter((el) => !(el.getAttribute('aria-label') || el.labels?.length
    || (el.tagName === 'BUTTON' && el.textContent.trim())))
  .map((el) => el.outerHTML.slice(0, 120))"""

SCREENS = ["/app", "/app/visit/new", "/app/inspection/new", "/app/concern/new", "/app/records"]


def unnamed_controls(page: Page) -> dict[str, list[str]]:
    found = {}
    for path in SCREENS:
        page.goto(path)
        expect(page.locator("#main h1")).to_be_visible()
        if missing := page.evaluate(UNNAMED):
            found[path] = missing
    return found


def test_every_control_is_named_in_both_languages(page):
    sign_in(page)
    assert unnamed_controls(page) == {}
    page.get_by_role("button", name="เปลี่ยนภาษาเป็นภาษาอังกฤษ").click()
    expect(page.get_by_role("button", name="Switch the language to Thai")).to_be_visible()
    assert unnamed_controls(page) == {}
    page.goto("/app/concern/new")
    for label in ("Village", "Category", "Description of the problem", "Urgency"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Citizen concern")).to_be_visible()
