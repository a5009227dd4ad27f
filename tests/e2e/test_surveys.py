"""Surveys (issue 16): an official fills the seeded haze survey offline — relevance, a
constraint with its Thai message, a photo, a position — reloads, syncs; the server has it once
with its photo, and the burn spot it reports is a concern the supervisor sees. axe-core on the
survey screens and the admin's forms screen, in Thai and English."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.app import add_photo, choose_village, idb, sign_in, sync
from tests.e2e.test_workspace_a11y import check_both_languages
from tests.e2e.workspace import DESKTOP, PHONE, serious_violations, sign_in_as

HAZE_TITLE = "การสำรวจไฟป่าหมอกควัน"
AREA_MESSAGE = "พื้นที่ต้องมากกว่า 0 และไม่เกิน 100,000 ไร่"
PHITSANULOK = {"latitude": 16.8211, "longitude": 100.2659, "accuracy": 12}


def question(page: Page, name: str):
    return page.locator(f"[data-question='{name}']")


def fill_haze_survey(page: Page, photo: bytes) -> None:
    page.get_by_role("link", name="หน้าหลัก").click()
    page.get_by_role("link", name="แบบสำรวจ", exact=True).click()
    page.get_by_role("link", name=HAZE_TITLE, exact=True).click()
    expect(page.get_by_role("heading", name=HAZE_TITLE)).to_be_visible()
    choose_village(page)
    # The burnt area is asked only about a burn spot.
    expect(question(page, "area_rai")).to_be_hidden()
    page.get_by_label("หมอกควัน", exact=True).check()
    expect(question(page, "area_rai")).to_be_hidden()
    page.get_by_label("จุดเผา / ไฟไหม้").check()
    expect(question(page, "area_rai")).to_be_visible()
    page.get_by_label("ป่าไม้").check()
    area = page.get_by_label("พื้นที่ที่ถูกเผา (ไร่)")
    area.fill("-5")
    expect(question(page, "area_rai").get_by_text(AREA_MESSAGE)).to_be_visible()
    page.get_by_label("ระยะห่างจากหมู่บ้าน (กิโลเมตร)").fill("2.5")
    page.get_by_label("ดับไฟแล้ว").check()
    question(page, "position").get_by_role("button", name="บันทึกตำแหน่ง").click()
    expect(question(page, "position").get_by_text("16.82110, 100.26590")).to_be_visible()
    add_photo(page, photo, "input[type=file][data-item-key='photo']")
    # The constraint blocks the save, in Thai.
    page.get_by_role("button", name="บันทึกและส่งเมื่อมีสัญญาณ").click()
    expect(page.get_by_text("แก้คำตอบที่มีปัญหา 1 ข้อก่อนบันทึก")).to_be_visible()
    expect(page.get_by_role("heading", name=HAZE_TITLE)).to_be_visible()
    area.fill("12")
    expect(question(page, "area_rai").get_by_text(AREA_MESSAGE)).to_be_hidden()
    page.get_by_role("button", name="บันทึกและส่งเมื่อมีสัญญาณ").click()
    expect(page.get_by_role("heading", name="แบบสำรวจ", exact=True)).to_be_visible()


def test_haze_survey_offline_then_synced_once_raises_a_concern(browser, server, photos):
    context = browser.new_context(
        base_url=server.base_url, locale="th-TH", viewport=PHONE, service_workers="allow"
    )
    context.grant_permissions(["geolocation"])
    context.set_geolocation(PHITSANULOK)
    page = context.new_page()
    sign_in(page)
    assert any(f["form_key"] == "haze_survey" for f in idb(page, "forms"))
    context.set_offline(True)
    page.reload()
    fill_haze_survey(page, photos[0])
    expect(page.get_by_role("link", name="รอส่ง (1)")).to_be_visible()

    page.reload()  # still offline: the shell and the survey engine come from the precache
    page.get_by_role("link", name="หน้าหลัก").click()
    page.get_by_role("link", name="แบบสำรวจ", exact=True).click()
    page.locator("#survey-list a").first.click()
    expect(page.get_by_label("พื้นที่ที่ถูกเผา (ไร่)")).to_have_value("12")
    [entry] = [e for e in idb(page, "outbox") if e["entity"] == "survey"]
    assert entry["op"] == "create" and entry["fields"]["answers"]["area_rai"] == 12
    assert [p["item_key"] for p in entry["photos"]] == ["photo"]

    context.set_offline(False)
    sync(page)
    rows = server.query("SELECT id, answers, concern_ids FROM surveys")
    assert len(rows) == 1
    survey_id, answers, concern_ids = rows[0]
    answers = json.loads(answers)
    assert answers["kind"] == "burn_spot" and answers["area_rai"] == 12
    assert answers["position"]["lat"] == PHITSANULOK["latitude"]
    [(sha,)] = server.query("SELECT sha256 FROM photo_links WHERE record_id = ?", survey_id)
    assert sha == answers["photo"]
    assert server.query("SELECT count(*) FROM photos WHERE sha256 = ?", sha) == [(1,)]
    [concern_id] = json.loads(concern_ids)
    page.get_by_role("link", name="แบบสำรวจ", exact=True).click()
    page.get_by_role("link", name="ส่งแล้ว (1)").click()
    expect(page.locator("#survey-list li")).to_have_count(1)
    page.locator("#survey-list a").first.click()
    expect(page.get_by_text("คำตอบในแบบสำรวจนี้เปิดเรื่องปัญหาให้หัวหน้าติดตามแล้ว")).to_be_visible()
    context.close()

    supervisor = browser.new_context(base_url=server.base_url, locale="th-TH", viewport=DESKTOP)
    desk = supervisor.new_page()
    sign_in_as(desk, "demo-supervisor")
    desk.goto(f"/app/queue/{concern_id}")
    expect(desk.get_by_text(HAZE_TITLE).first).to_be_visible()
    desk.goto("/app/surveys/results/haze_survey")
    expect(desk.locator("#submissions tbody tr")).to_have_count(1)
    expect(desk.locator("#submissions tbody")).to_contain_text("จุดเผา / ไฟไหม้")
    # No tile server in this build: the points are listed as coordinates.
    expect(desk.locator(".survey-points")).to_contain_text("16.82110, 100.26590")
    with desk.expect_download() as download:
        desk.get_by_role("button", name="ส่งออก CSV").click()
    csv = Path(download.value.path()).read_bytes().decode("utf-8")
    assert csv.startswith("\ufeff") and "จุดเผา / ไฟไหม้" in csv
    supervisor.close()


def test_survey_and_admin_forms_screens_are_accessible(browser, server):
    for username, viewport in (("demo-official", PHONE), ("demo-admin", DESKTOP)):
        context = browser.new_context(base_url=server.base_url, locale="th-TH", viewport=viewport)
        page = context.new_page()
        if username == "demo-official":
            sign_in(page)
        else:
            sign_in_as(page, username)
        [haze] = [f for f in idb(page, "forms") if f["form_key"] == "haze_survey"]
        screens = ["/app/surveys", f"/app/survey/new?form={haze['id']}"]
        if username == "demo-admin":
            screens += ["/app/admin/forms", "/app/surveys/results/haze_survey"]
        assert check_both_languages(page, screens) == {}, username
        context.close()


def test_admin_sees_every_problem_of_a_bad_form(browser, server, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append(["type", "name", "label::Thai (th)", "label::English (en)"])
    survey.append(["select_one nowhere", "q1", "ข้อหนึ่ง", "One"])
    survey.append(["begin_repeat", "r", "ซ้ำ", "Repeat"])
    survey.append(["end_repeat", "r", "", ""])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", "label::Thai (th)", "label::English (en)"])
    book.create_sheet("settings").append(["form_id", "version"])
    book["settings"].append(["bad_form", "1"])
    path = tmp_path / "bad_form.xlsx"
    book.save(path)

    context = browser.new_context(base_url=server.base_url, locale="th-TH", viewport=DESKTOP)
    page = context.new_page()
    sign_in_as(page, "demo-admin")
    page.goto("/app/admin/forms")
    page.get_by_label("ไฟล์ .xlsx").set_input_files(str(path))
    page.get_by_role("button", name="อัปโหลด", exact=True).click()
    problems = page.locator("#form-problems tbody tr")
    expect(problems.first).to_be_visible()
    assert problems.count() >= 2
    expect(page.locator("#form-problems")).to_contain_text("survey")
    assert serious_violations(page) == []

    # Retire a form: phones stop offering it.
    card = page.locator("article[data-form-key='safe_vegetables']")
    card.get_by_label("เลิกใช้").check()
    card.get_by_role("button", name="บันทึกการมอบหมาย").click()
    expect(page.locator("article[data-form-key='safe_vegetables'] h2")).to_contain_text("เลิกใช้")
    assert server.query("SELECT retired FROM forms WHERE form_key = 'safe_vegetables'") == [(1,)]
    context.close()
