"""Results in the browser: the public page without JavaScript, the case lookup by tracking
code, the first view's transfer size; the tracking code and QR on the official's phone; the
supervisors' dashboard with its charts."""

from __future__ import annotations

import uuid

import requests
from playwright.sync_api import expect

from tests.e2e.app import DEMO_PASSWORD, create_concern, sign_in, sync

FIRST_VIEW_BUDGET = 60 * 1024  # bytes transferred, every response of the first view


def pushed_concern(server, description: str) -> str:
    """A concern pushed by demo-official's phone through the API; its tracking code."""
    login = requests.post(
        f"{server.base_url}/api/auth/login",
        json={"username": "demo-official", "password": DEMO_PASSWORD, "device_name": "e2e"},
        timeout=10,
    ).json()
    headers = {"Authorization": f"Bearer {login['token']}"}
    [(village_id,)] = server.query(
        "SELECT id FROM villages WHERE district_code = '6501' ORDER BY moo LIMIT 1"
    )
    mutation = {
        "mutation_id": str(uuid.uuid4()),
        "entity": "concern",
        "record_id": str(uuid.uuid4()),
        "op": "create",
        "fields": {
            "village_id": village_id,
            "category_code": "water",
            "description": description,
            "reported_at": "2026-03-01T10:00:00+07:00",
            "reporter_consent": True,
            "reporter_name": "นางลับ เฉพาะตัว",
            "reporter_phone": "0899999999",
        },
    }
    response = requests.post(
        f"{server.base_url}/api/sync/push",
        json={"device_id": login["device_id"], "mutations": [mutation]},
        headers=headers,
        timeout=10,
    )
    assert response.json()["results"][0]["status"] == "applied", response.text
    [(code,)] = server.query(
        "SELECT tracking_code FROM concerns WHERE description = ?", description
    )
    return code


def test_public_page_without_javascript_finds_a_case(browser, server):
    description = f"น้ำประปาไม่ไหล {uuid.uuid4().hex[:6]}"
    code = pushed_concern(server, description)
    context = browser.new_context(
        base_url=server.base_url,
        locale="th-TH",
        java_script_enabled=False,
        viewport={"width": 360, "height": 740},
    )
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto("/")
    page.wait_for_load_state("networkidle")
    sizes = [r.sizes() for r in finished]
    total = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)
    print(f"first view of the public page: {len(sizes)} responses, {total} bytes")
    assert sizes and finished[0].url == f"{server.base_url}/"
    assert total < FIRST_VIEW_BUDGET, total

    districts = page.get_by_role("table").first
    expect(districts).to_contain_text("เมืองพิษณุโลก")
    expect(page.get_by_role("link", name="สำหรับเจ้าหน้าที่: เข้าสู่ระบบ")).to_have_attribute(
        "href", "/app"
    )
    page.get_by_label("รหัสติดตามเรื่อง (เช่น PL-7K4Q-9M2T)").fill(code.lower())
    page.get_by_role("button", name="ค้นหา").click()
    expect(page.get_by_role("heading", name=f"เรื่องรหัส {code}")).to_be_visible()
    expect(page.locator("#case-status")).to_have_text("รับเรื่องแล้ว")
    expect(page.get_by_text(description)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("นางลับ เฉพาะตัว")
    page.get_by_role("link", name="English").click()
    expect(page.locator("#case-status")).to_have_text("Received")
    context.close()


def test_the_official_shows_the_villager_a_tracking_code_and_qr(page, server, photos):
    sign_in(page)
    description = f"ท่อแตก {uuid.uuid4().hex[:6]}"
    create_concern(page, description, photos[0])
    sync(page)
    [(concern_id, code)] = server.query(
        "SELECT id, tracking_code FROM concerns WHERE description = ?", description
    )
    page.goto(f"/app/record/{concern_id}")
    card = page.get_by_role("region", name="รหัสติดตามเรื่อง")
    expect(card.locator("#tracking-code")).to_have_text(code)
    expect(card.get_by_role("img", name=f"คิวอาร์โค้ดเปิดหน้าติดตามเรื่อง {code}")).to_be_visible()
    expect(card.locator("svg")).to_have_count(1)


def test_a_supervisor_reads_the_dashboard(page, server):
    pushed_concern(server, f"ไฟฟ้าดับ {uuid.uuid4().hex[:6]}")
    sign_in(page, "demo-supervisor")
    page.get_by_role("link", name="แดชบอร์ดผลการดำเนินงาน").click()
    expect(page.get_by_role("heading", name="แดชบอร์ดผลการดำเนินงาน")).to_be_visible()
    table = page.locator("#dashboard-districts")
    expect(table).to_contain_text("เมืองพิษณุโลก")
    expect(page.locator("section.dashboard")).to_have_attribute("data-charts", "drawn")
    # The chart library came on this screen, not with the app shell.
    scripts = page.evaluate(
        "performance.getEntriesByType('resource').map((e) => e.name)"
        ".filter((n) => n.includes('dashboard-charts'))"
    )
    assert scripts
    page.get_by_label("อำเภอ", exact=True).select_option("6502")
    page.get_by_role("button", name="แสดงผล").click()
    expect(page).to_have_url(f"{server.base_url}/app/dashboard?district=6502")
    expect(page.locator("#dashboard-districts")).not_to_contain_text("เมืองพิษณุโลก")
