"""The PWA shell: every address under /app/ opens the app, online as well as offline."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/app", "/app/", "/app/visit/new", "/app/record/abc"])
def test_every_app_address_answers_the_shell(client, path):
    with client.get(path) as response:  # a file response: closed after
        assert response.status_code == 200
        assert response.mimetype == "text/html"
        assert response.headers["Cache-Control"] == "no-cache"


def test_an_unknown_api_address_is_a_problem_not_the_shell(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
