"""Without network and without a cached app, the official reads a clear message."""

from __future__ import annotations

from playwright.sync_api import expect


def test_shell_without_its_scripts_explains_itself(page):
    # First visit ever, and the network drops after the page itself: nothing is cached yet.
    page.route("**/assets/**", lambda route: route.abort("internetdisconnected"))
    page.goto("/app")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("เปิดแอปไม่ได้")
    expect(alert).to_contain_text("The app cannot open")
    expect(page.get_by_role("button", name="ลองใหม่ · Try again")).to_be_visible()


def test_sign_in_without_server_says_so(page):
    page.route("**/api/**", lambda route: route.abort("internetdisconnected"))
    page.goto("/app")
    page.get_by_label("ชื่อผู้ใช้").fill("demo-official")
    page.get_by_label("รหัสผ่าน").fill("demo-pass-2026")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.locator("#login-message")).to_contain_text("เชื่อมต่อเซิร์ฟเวอร์ไม่ได้")
    page.get_by_role("button", name="เปลี่ยนภาษาเป็นภาษาอังกฤษ").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
