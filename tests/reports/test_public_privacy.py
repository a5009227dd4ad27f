"""No personal data leaves through a public door: the public page, case pages, Open311 in
both formats, public photos and the open-data file are scanned for the reporters' names and
phones, staff names and staff free text."""

from __future__ import annotations

import sqlite3

import pytest

from tests.reports.conftest import SECRET_NAMES, SECRET_NOTE, SECRET_PHONES, STAFF_NAME

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]
FORBIDDEN = (*SECRET_NAMES, *SECRET_PHONES, SECRET_NOTE, STAFF_NAME, "ลับเฉพาะ", "author-official")


def public_answers(client, province) -> dict[str, str]:
    paths = ["/", "/public", "/?lang=en"]
    paths += ["/open311/v2/discovery.json", "/open311/v2/discovery.xml"]
    paths += ["/open311/v2/services.json", "/open311/v2/services.xml"]
    for fmt in ("json", "xml"):
        paths.append(f"/open311/v2/requests.{fmt}?start_date=2000-01-01T00:00:00Z&page_size=1000")
        for concern in province.concerns:
            paths.append(f"/open311/v2/requests/{concern.tracking_code}.{fmt}")
    for concern in province.concerns:
        for lang in ("th", "en"):
            paths.append(f"/public/case?code={concern.tracking_code}&lang={lang}")
    answers = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.data[:300])
        answers[path] = response.get_data(as_text=True)
    return answers


def test_no_personal_data_in_any_public_answer(client, province):
    answers = public_answers(client, province)
    for path, text in answers.items():
        for secret in FORBIDDEN:
            assert secret not in text, f"{secret!r} leaked through {path}"
        # Exact positions stay inside: only rounded coordinates are published.
        assert "16.8211234" not in text and "100.2651234" not in text, path
    # The descriptions and codes themselves are public.
    assert (
        province.concerns[3].tracking_code
        in answers["/open311/v2/requests.json?start_date=2000-01-01T00:00:00Z&page_size=1000"]
    )


def test_no_personal_data_in_the_open_data_file(runner, province, tmp_path):
    path = tmp_path / "open.db"
    result = runner.invoke(args=["export-open-data", str(path)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(path) as conn:
        dump = "\n".join(conn.iterdump())
    for secret in FORBIDDEN:
        assert secret not in dump
    assert "16.8211234" not in dump
    assert "ถนนชำรุดเป็นหลุมลึก" in dump


def test_public_photos_serve_only_publishable_derivatives(client, province):
    for rendition in ("thumb", "display"):
        ok = client.get(f"/public/photos/{province.publishable_sha}/{rendition}", buffered=True)
        assert ok.status_code == 200 and ok.mimetype == "image/jpeg"
        hidden = client.get(f"/public/photos/{province.private_sha}/{rendition}", buffered=True)
        assert hidden.status_code == 404
    original = client.get(f"/public/photos/{province.publishable_sha}/original", buffered=True)
    assert original.status_code == 404
