"""A supervisor's or admin's steps in the workspace, and the axe-core check, for browser tests."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.e2e.app import DEMO_PASSWORD, wait_synced
from tests.e2e.server import ROOT

AXE = ROOT / "static" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
OFFICIAL_NAME = "เจ้าหน้าที่ทดลอง เมืองพิษณุโลก"

# Serious and critical violations only; each as "rule: target" so a failure says where.
AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}"""


def serious_violations(page: Page) -> list[str]:
    """What axe-core finds serious or critical on the page as it is now."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN)


def sign_in_as(page: Page, username: str) -> None:
    """Sign in with signal and wait for the first sync (supervisors pull their districts)."""
    page.goto("/")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", name="สวัสดี")).to_be_visible()
    wait_synced(page)


def find_in_queue(page: Page, words: str) -> Locator:
    """Open the queue, narrow it with the filters, and give the row of the concern."""
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="คิวเรื่อง").click()
    expect(page.get_by_role("heading", name="คิวเรื่องร้องเรียน")).to_be_visible()
    filters = page.get_by_role("search", name="ตัวกรองและการเรียง")
    if not filters.is_visible():
        page.get_by_text("ตัวกรองและการเรียง").click()
    filters.get_by_label("ประเภทปัญหา").select_option("roads")
    expect(page).to_have_url(re.compile("category=roads"))  # a choice applies at once
    filters = page.get_by_role("search", name="ตัวกรองและการเรียง")
    filters.get_by_label("ความเร่งด่วน").select_option("high")
    expect(page).to_have_url(re.compile("urgency=high"))
    filters = page.get_by_role("search", name="ตัวกรองและการเรียง")
    filters.get_by_label("ค้นหาข้อความ").fill(words)
    filters.get_by_role("button", name="ใช้ตัวกรอง").click()
    expect(page.locator("#queue-total")).to_have_text("พบ 1 เรื่อง")
    return page.locator(".queue-list li").filter(has_text=words)


def take_step(page: Page, step: str, fill=None) -> None:
    """Press a workflow step, fill its form, confirm, and wait until the server has it."""
    panel = page.locator(".concern-panel")
    panel.get_by_role("button", name=step, exact=True).click()
    form = panel.get_by_role("form", name=step)
    if fill:
        fill(form)
    form.get_by_role("button", name=f"ยืนยัน: {step}").click()


def wait_step_sent(page: Page) -> None:
    """The step left the outbox (the panel was drawn again from the server's answer)."""
    expect(page.locator(".pending-steps")).to_have_count(0)
    expect(page.get_by_role("region", name="ขั้นตอนการดำเนินการ")).to_be_visible()
