"""A supervisor's decision on the server reaches the official's timeline with the next pull."""

from __future__ import annotations

import uuid

import requests
from playwright.sync_api import expect

from tests.e2e.app import add_photo, camera_jpeg, create_concern, idb, sign_in, sync
from tests.e2e.test_labels import UNNAMED


def supervisor_step(server, concern_id: str, **body) -> None:
    """A supervisor's transition made in the browser API, beside the official's phone."""
    response = requests.post(
        f"{server.base_url}/api/concerns/{concern_id}/transitions",
        json=body,
        headers=server.login("demo-supervisor"),
        timeout=10,
    )
    assert response.status_code == 200, response.text


def reported_concern(page, server, description: str, photo: bytes) -> str:
    """The official signs in, reports a concern and syncs it; its id on the server."""
    sign_in(page)
    create_concern(page, description, photo)
    sync(page)
    [(concern_id,)] = server.query("SELECT id FROM concerns WHERE description = ?", description)
    return concern_id


def concern_assigned_to_me(page, server, description: str, photo: bytes) -> str:
    """A reported concern the supervisor assigned to the official, synced to the phone."""
    concern_id = reported_concern(page, server, description, photo)
    me = idb(page, "kv", "session")["user"]["id"]
    supervisor_step(
        server, concern_id, action="assign", from_status="new", assignee_id=me, priority=2
    )
    sync(page)
    return concern_id


def open_my_first_assignment(page):
    page.get_by_role("link", name="งานของฉัน").click()
    page.locator("#main li a").first.click()
    return page.get_by_role("region", name="ดำเนินการเรื่องที่ได้รับมอบหมาย")


def test_supervisor_status_change_shows_in_timeline(page, server, photos):
    description = f"broken culvert {uuid.uuid4().hex[:8]}"
    concern_id = reported_concern(page, server, description, photos[2])

    note = "รับเรื่องแล้ว จะส่งช่างไปดูสัปดาห์นี้"
    supervisor_step(server, concern_id, action="accept", from_status="new", note=note)

    sync(page)
    page.goto(f"/app/record/{concern_id}")
    expect(page.get_by_text(description)).to_be_visible()
    timeline = page.get_by_role("region", name="การติดตามเรื่อง")
    expect(timeline).to_contain_text("เปลี่ยนสถานะ ใหม่ → รับเรื่องแล้ว")
    expect(timeline).to_contain_text(note)
    expect(timeline).to_contain_text("2569")  # Buddhist-era year
    expect(page.locator("dd", has_text="รับเรื่องแล้ว")).to_be_visible()


def test_assignee_resolves_with_after_photo(page, server, photos):
    description = f"blocked drain {uuid.uuid4().hex[:8]}"
    concern_id = concern_assigned_to_me(page, server, description, photos[0])
    work = open_my_first_assignment(page)
    work.get_by_label("บันทึกการดำเนินการ").fill("ลอกท่อแล้ว น้ำไหลสะดวก")
    add_photo(page, camera_jpeg(9), "section.transition input[type=file]")
    work.get_by_role("button", name="แจ้งว่าแก้ไขเสร็จแล้ว").click()
    sync(page)

    resolved = server.query("SELECT status, resolution_note FROM concerns WHERE id = ?", concern_id)
    assert resolved == [("resolved", "ลอกท่อแล้ว น้ำไหลสะดวก")]
    after = server.query(
        "SELECT count(*) FROM photo_links WHERE record_id = ? AND role = 'after'", concern_id
    )
    assert after == [(1,)]
    page.goto(f"/app/record/{concern_id}")
    expect(page.get_by_role("region", name="การติดตามเรื่อง")).to_contain_text("แก้ไขแล้ว")


def test_a_step_the_supervisor_overtook_is_refused_and_acknowledged(page, server, photos):
    description = f"flooded road {uuid.uuid4().hex[:8]}"
    concern_id = concern_assigned_to_me(page, server, description, photos[0])
    # The supervisor rejects the concern before the official's phone hears of it.
    supervisor_step(server, concern_id, action="reject", from_status="accepted", note="ซ้ำกับเรื่องเดิม")
    work = open_my_first_assignment(page)
    work.get_by_role("button", name="เริ่มดำเนินการ").click()
    sync(page)

    # Refused as stale, kept in quarantine, and explained on the phone in Thai.
    assert server.query("SELECT status FROM concerns WHERE id = ?", concern_id) == [("rejected",)]
    assert server.query(
        "SELECT reason FROM quarantined_mutations WHERE json_extract(payload, '$.record_id') = ?",
        concern_id,
    ) == [("stale_transition",)]
    page.goto(f"/app/record/{concern_id}")
    banner = page.get_by_role("alert").first
    expect(banner).to_contain_text("สถานะของเรื่องเปลี่ยนไประหว่างนี้")
    expect(banner).to_contain_text("ขั้นตอนนี้จะไม่ถูกส่งซ้ำ")
    page.get_by_role("button", name="รับทราบ").click()
    expect(page.get_by_text("ขั้นตอนนี้จะไม่ถูกส่งซ้ำ")).to_have_count(0)
    assert idb(page, "records", concern_id)["attention"] is None
    assert idb(page, "outbox") == []


def test_official_comments_offline_and_the_comment_reaches_the_timeline(
    context, page, server, photos
):
    description = f"fallen tree {uuid.uuid4().hex[:8]}"
    concern_id = reported_concern(page, server, description, photos[1])

    context.set_offline(True)
    page.goto(f"/app/record/{concern_id}")
    comment = page.get_by_role("region", name="เพิ่มความเห็น")
    comment.get_by_role("button", name="เพิ่มความเห็น").click()
    expect(comment.get_by_role("alert")).to_have_text("กรุณาเขียนความเห็นก่อน")
    # A sync redraws the screen: the message and the words being written stay.
    comment.get_by_label("ความเห็นต่อเรื่องนี้").fill("ชาวบ้าน")
    drawn = comment.get_by_role("alert").element_handle()
    context.set_offline(False)  # back online: a sync starts, and the screen is drawn again
    drawn.wait_for_element_state("hidden")  # the old message is gone from the page
    context.set_offline(True)
    comment = page.get_by_role("region", name="เพิ่มความเห็น")
    expect(comment.get_by_role("alert")).to_have_text("กรุณาเขียนความเห็นก่อน")
    expect(comment.get_by_label("ความเห็นต่อเรื่องนี้")).to_have_value("ชาวบ้าน")
    body = "ชาวบ้านช่วยกันตัดกิ่งออกจากถนนแล้ว เหลือแต่ลำต้น"
    comment.get_by_label("ความเห็นต่อเรื่องนี้").fill(body)
    comment.get_by_role("button", name="เพิ่มความเห็น").click()
    timeline = page.get_by_role("region", name="การติดตามเรื่อง")
    waiting = timeline.locator("li[data-kind=comment]")
    expect(waiting).to_contain_text(body)
    expect(waiting).to_contain_text("รอส่งข้อมูล")
    page.reload()  # offline: the comment is kept on the phone
    expect(page.get_by_role("region", name="การติดตามเรื่อง")).to_contain_text("รอส่งข้อมูล")
    count = "SELECT count(*) FROM followup_entries WHERE concern_id = ?"
    assert server.query(count, concern_id) == [(0,)]

    context.set_offline(False)
    sync(page)
    stored = server.query(
        "SELECT kind, body, created_by_id IS NOT NULL FROM followup_entries WHERE concern_id = ?",
        concern_id,
    )
    assert stored == [("comment", body, 1)]
    page.goto(f"/app/record/{concern_id}")
    entry = page.get_by_role("region", name="การติดตามเรื่อง").locator("li[data-kind=comment]")
    expect(entry).to_contain_text(body)
    expect(entry).not_to_contain_text("รอส่งข้อมูล")

    # The supervisor's devices receive it with the concern's timeline.
    pulled = requests.get(
        f"{server.base_url}/api/sync/pull",
        params={"cursor": "0", "limit": 1000},
        headers=server.login("demo-supervisor"),
        timeout=10,
    )
    assert pulled.status_code == 200, pulled.text
    comments = [
        c["record"]["body"]
        for c in pulled.json()["changes"]
        if c["entity"] == "followup" and c["record"]["concern_id"] == concern_id
    ]
    assert comments == [body]

    # The concern's screen, timeline and comment form included, is named in both languages.
    assert page.evaluate(UNNAMED) == []
    page.get_by_role("button", name="เปลี่ยนภาษาเป็นภาษาอังกฤษ").click()
    english = page.get_by_role("region", name="Add a comment")
    expect(english.get_by_label("Comment on this concern")).to_be_visible()
    expect(english.get_by_role("button", name="Add comment")).to_be_visible()
    assert page.evaluate(UNNAMED) == []
