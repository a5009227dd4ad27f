"""What the fuzz tests share: their hypothesis settings, and what every API answer must be."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROBLEM = "application/problem+json"

# 60 examples a test in `make test`; FUZZ_EXAMPLES=400 for a longer hunt. The app fixture is
# per test, so the examples of one test share its database (each checks what it wrote).
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_answered(response) -> None:
    """Never a 500; a refusal is problem+json with its status, a detail and a code."""
    assert response.status_code < 500, response.get_data(as_text=True)
    if response.status_code >= 400 and response.request.method != "HEAD":  # HEAD has no body
        assert response.content_type == PROBLEM, response.get_data(as_text=True)
        problem = response.get_json()
        assert problem["status"] == response.status_code, problem
        assert problem["detail"] and problem["code"], problem
