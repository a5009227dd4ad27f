"""Steps an official takes in the app, and reads of the app's IndexedDB, for the browser tests."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw
from playwright.sync_api import Page, expect

DEMO_PASSWORD = "demo-pass-2026"

# Reads the app's own database the way the app does (plain IndexedDB, no test hooks in the app).
IDB_READ = """async ([store, key]) => {
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open('fieldapp');
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  try {
    return await new Promise((ok, fail) => {
      const s = db.transaction(store).objectStore(store);
      const r = key === null ? s.getAll() : s.get(key);
      r.onsuccess = () => ok(r.result ?? null);
      r.onerror = () => fail(r.error);
    });
  } finally { db.close(); }
}"""


def idb(page: Page, store: str, key: str | None = None):
    """One value (or all values) of a store of the app's IndexedDB."""
    return page.evaluate(IDB_READ, [store, key])


def sign_in(page: Page, username: str = "demo-official") -> None:
    """Open the app with signal and sign in; wait until the first sync brought the villages."""
    page.goto("/app")
    page.get_by_label("ชื่อผู้ใช้").fill(username)
    page.get_by_label("รหัสผ่าน").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", name="สวัสดี")).to_be_visible()
    wait_synced(page)
    assert page.evaluate("navigator.serviceWorker.ready.then((r) => Boolean(r.active))")


def finished_syncs(page: Page) -> int:
    """How many syncs the app has finished (it publishes its sync state on <html>)."""
    return int(page.locator("html").get_attribute("data-syncs") or 0)


def wait_synced(page: Page, after: int = 0) -> None:
    """Wait for a sync finished after the first `after` ones, with nothing left to send."""
    page.wait_for_function(
        """(after) => {
          const d = document.documentElement.dataset;
          return Number(d.syncs || 0) > after && d.sync === 'done' && d.unsynced === '0';
        }""",
        arg=after,
        polling=100,
    )


RECORD_PHOTO = "input[type=file][data-item-key='']"


def add_photo(page: Page, photo: bytes, selector: str = RECORD_PHOTO) -> None:
    """Take a photo (the file chooser's answer) and wait until it was resized and kept."""
    field = page.locator(selector).first
    before = field.locator("xpath=..").locator("li").count()
    field.set_input_files(
        files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": photo}]
    )
    expect(field.locator("xpath=..").locator("li")).to_have_count(before + 1)


def choose_village(page: Page) -> None:
    select = page.get_by_label("หมู่บ้าน", exact=True)
    select.select_option(index=1)


def create_visit(page: Page, notes: str, photo: bytes) -> None:
    page.get_by_role("link", name="หน้าหลัก").click()
    page.get_by_role("link", name="ลงพื้นที่พบปะประชาชน", exact=True).click()
    choose_village(page)
    page.get_by_label("จำนวนประชาชนที่พบ").fill("12")
    page.get_by_label("สุขภาพ").check()
    page.get_by_label("บันทึก", exact=True).fill(notes)
    add_photo(page, photo)
    page.get_by_role("button", name="บันทึกและส่งเมื่อมีสัญญาณ").click()
    expect(page.get_by_text(notes)).to_be_visible()


def create_inspection(page: Page, place: str, photo: bytes) -> None:
    page.get_by_role("link", name="หน้าหลัก").click()
    page.get_by_role("link", name="ตรวจ Clean & Tidy", exact=True).click()
    choose_village(page)
    page.get_by_label("ชื่อสถานที่").fill(place)
    scores = page.locator("select[data-item]")
    for i in range(scores.count()):
        scores.nth(i).select_option("4")
    expect(page.get_by_role("status").filter(has_text="คะแนนรวม 40/50")).to_be_visible()
    add_photo(page, photo, "input[type=file][data-item-key='entrance']")
    page.get_by_role("button", name="บันทึกและส่งเมื่อมีสัญญาณ").click()
    expect(page.get_by_text(place)).to_be_visible()


def create_concern(page: Page, description: str, photo: bytes) -> None:
    page.get_by_role("link", name="หน้าหลัก").click()
    page.get_by_role("link", name="ปัญหาความเดือดร้อน", exact=True).click()
    choose_village(page)
    page.get_by_label("ประเภทปัญหา").select_option("roads")
    page.get_by_label("รายละเอียดปัญหา").fill(description)
    page.get_by_label("ความเร่งด่วน").select_option("high")
    expect(page.get_by_label("ชื่อผู้แจ้ง")).to_be_hidden()
    page.get_by_label("ผู้แจ้งยินยอมให้บันทึกชื่อและเบอร์โทร").check()
    page.get_by_label("ชื่อผู้แจ้ง").fill("นางสมศรี ทดสอบ")
    page.get_by_label("เบอร์โทรผู้แจ้ง").fill("081-234-5678")
    add_photo(page, photo)
    page.get_by_role("button", name="บันทึกและส่งเมื่อมีสัญญาณ").click()
    expect(page.get_by_text(description)).to_be_visible()


def sync(page: Page) -> None:
    """Press the sync button on the home screen and wait until everything was sent."""
    page.get_by_role("link", name="หน้าหลัก").click()
    before = finished_syncs(page)
    page.get_by_role("button", name="ส่งข้อมูลตอนนี้").click()
    wait_synced(page, before)


def camera_jpeg(seed: int, size: tuple[int, int] = (2400, 1800)) -> bytes:
    """A camera-like JPEG, bigger than the 1600 px the phone uploads; each seed differs."""
    width, height = size
    image = Image.new("RGB", size, (90, 140 - seed * 20 % 140, 60))
    draw = ImageDraw.Draw(image)
    for i in range(0, width, 60):
        top = (i * (7 + seed)) % height
        colour = (i % 255, 80 + seed * 30 % 175, 200 - i % 200)
        draw.rectangle([i, top, i + 40, top + 300], fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()
