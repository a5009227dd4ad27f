"""Browser tests: the real app under gunicorn, the built PWA, and Debian's Chromium.

The server runs in a subprocess on a free 127.0.0.1 port (a secure context, so the service
worker registers) with a fresh SQLite database and photo directory of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.app import camera_jpeg
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, DIST, Server, running_app


def pytest_configure(config: pytest.Config) -> None:
    from playwright.sync_api import expect

    # A sync with photo uploads on a slow CI machine takes longer than Playwright's 5 s default.
    expect.set_options(timeout=20_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not (DIST / "index.html").exists() or not (DIST / "sw.js").exists():
        pytest.fail("static/dist is not built: run `make pwa` (cd static && npm run build)")
    with running_app(tmp_path_factory.mktemp("e2e-app")) as app:
        yield app


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser, server: Server):
    """A fresh browser profile: no service worker, no IndexedDB, nothing cached."""
    context = browser.new_context(base_url=server.base_url, locale="th-TH", service_workers="allow")
    context.set_default_timeout(20_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    yield page
    page.close()


@pytest.fixture(scope="session")
def photos() -> list[bytes]:
    """Three different photos (one per record: the same bytes would be one photo)."""
    return [camera_jpeg(seed) for seed in range(3)]
