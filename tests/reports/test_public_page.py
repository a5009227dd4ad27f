"""The public page: results without signing in, Thai first, a case found by its code, and the
supervisor's switch that lets a photo appear there."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_the_root_shows_villagers_the_results_and_staff_the_way_in(client, province):
    html = page(client, "/")
    assert '<html lang="th">' in html
    assert "ผลการดำเนินงานรายอำเภอ" in html and "เมืองพิษณุโลก" in html
    assert 'href="/app"' in html and "เข้าสู่ระบบ" in html
    assert "<script" not in html  # works without JavaScript
    assert f"/public/photos/{province.publishable_sha}/thumb" in html
    assert province.private_sha not in html
    english = page(client, "/public?lang=en")
    assert '<html lang="en">' in english and "Results by district" in english
    assert page(client, "/public") == html


def test_the_app_still_lives_under_app(client):
    for path in ("/app", "/app/records"):
        with client.get(path) as response:  # a file response: closed after
            assert response.status_code == 200


def test_a_case_is_found_by_its_code_however_typed(client, province):
    concern = province.concerns[4]  # closed, with a timeline
    typed = concern.tracking_code.lower().replace("-", " ")
    html = page(client, f"/public/case?code={typed}")
    assert concern.tracking_code in html
    assert "ปิดเรื่อง" in html  # its status in plain Thai
    assert "รับเรื่องไว้ดำเนินการ (เจ้าหน้าที่)" in html  # a step, by role only
    english = page(client, f"/public/case?code={concern.tracking_code}&lang=en")
    assert "Closed" in english and "Accepted (an official)" in english
    missing = client.get("/public/case?code=PL-2222-2222")
    assert missing.status_code == 404
    assert "ไม่พบเรื่องรหัสนี้" in missing.get_data(as_text=True)
    assert client.get("/public/case?code=nonsense").status_code == 404


def test_a_supervisor_marks_a_photo_publishable(client, login, make_user, province):
    concern = province.concerns[3]
    path = f"/api/concerns/{concern.id}/photos/{province.private_sha}/publishable"
    official = login(make_user(role="official", districts=("6501",)))
    assert client.put(path, json={"publishable": True}, headers=official).status_code == 403
    elsewhere = login(make_user(role="supervisor", districts=("6502",)))
    answer = client.put(path, json={"publishable": True}, headers=elsewhere)
    assert answer.status_code == 403 and answer.get_json()["code"] == "photo.publish_forbidden"
    supervisor = login(make_user(role="supervisor", districts=("6501",)))
    assert (
        client.put(path, json={"publishable": "yes please"}, headers=supervisor).status_code == 422
    )
    answer = client.put(path, json={"publishable": True}, headers=supervisor)
    assert answer.status_code == 200 and answer.get_json() == {"publishable": True, "links": 1}
    shown = client.get(f"/public/photos/{province.private_sha}/thumb", buffered=True)
    assert shown.status_code == 200
    client.put(path, json={"publishable": False}, headers=supervisor)
    hidden = client.get(f"/public/photos/{province.private_sha}/thumb", buffered=True)
    assert hidden.status_code == 404
    unknown = f"/api/concerns/{concern.id}/photos/{'c' * 64}/publishable"
    assert client.put(unknown, json={"publishable": True}, headers=supervisor).status_code == 404


def test_the_concern_detail_says_which_photos_are_public_and_who_may_change_it(
    client, login, make_user, province
):
    concern = province.concerns[3]
    supervisor = login(make_user(role="supervisor", districts=("6501",)))
    detail = client.get(f"/api/concerns/{concern.id}", headers=supervisor).get_json()
    assert detail["public_photos"] == [province.publishable_sha]
    assert detail["may_publish_photos"] is True
    official = login(make_user(role="official", districts=("6501",)))
    detail = client.get(f"/api/concerns/{concern.id}", headers=official).get_json()
    assert detail["may_publish_photos"] is False


def test_a_resolved_concern_shows_its_before_and_after_pair(client, province):
    from fieldapp.extensions import db
    from fieldapp.models import PhotoLink

    concern = province.concerns[3]
    links = PhotoLink.__table__
    # A second publishable "after" photo, then the "before" one marked publishable too: the
    # card shows the first before and the first after, before first.
    db.session.execute(
        links.update()
        .where(links.c.sha256 == province.private_sha)
        .values(role="before", position=5, publishable=True)
    )
    db.session.execute(
        links.insert().values(
            entity="concern",
            record_id=concern.id,
            sha256="c" * 64,
            item_key="",
            caption="",
            position=9,
            role="after",
            publishable=True,
        )
    )
    db.session.commit()
    html = page(client, "/")
    card = html[html.index(f"{concern.description}</p>") :]
    card = card[: card.index("</li>")]
    assert card.count("<figure>") == 2
    assert card.index(province.private_sha) < card.index(province.publishable_sha)
    assert "c" * 64 not in card


def test_the_pages_style_is_allowed_by_its_hash_and_nothing_else_inline(client, province):
    import base64
    import hashlib
    import re

    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    [style] = re.findall(r"<style>(.*?)</style>", response.get_data(as_text=True), re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'self' 'sha256-{digest}'" in policy
    assert "unsafe-inline" not in policy and "script-src 'self';" in policy
    assert ' style="' not in response.get_data(as_text=True)
