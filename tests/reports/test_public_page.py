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
