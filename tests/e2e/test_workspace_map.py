"""Where a concern is, in a supervisor's browser: the Leaflet map of a build that names a tile
server (VITE_MAP_TILE_URL, here a PNG served by the test's own app on another origin, let
through the CSP by MAP_TILE_ORIGIN), and the default build's coordinates, link and list."""

from __future__ import annotations

import io
import os
import re
import subprocess
import uuid

import pytest
import requests
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.server import ROOT, Server, running_app
from tests.e2e.workspace import DESKTOP, sign_in_as

HERE = (16.82140, 100.26590)
NEAR = (16.82230, 100.26640)  # about 110 m away
FAR = (16.90000, 100.40000)  # about 16 km away


def tile_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 230, 200)).save(out, "PNG")
    return out.getvalue()


def report(server: Server, description: str, lat: float, lon: float) -> str:
    """A concern of the demo official's district, pushed as the official's phone would."""
    login = requests.post(
        f"{server.base_url}/api/auth/login",
        json={"username": "demo-official", "password": "demo-pass-2026", "device_name": "map"},
        timeout=10,
    ).json()
    (village,) = server.query("SELECT id FROM villages WHERE district_code = '6501' LIMIT 1")
    record_id = str(uuid.uuid4())
    fields = {
        "village_id": village[0],
        "category_code": "roads",
        "description": description,
        "urgency": "normal",
        "reported_at": "2026-03-01T10:00:00+07:00",
        "lat": lat,
        "lon": lon,
    }
    mutation = {"mutation_id": str(uuid.uuid4()), "entity": "concern", "record_id": record_id,
                "op": "create", "fields": fields}  # fmt: skip
    pushed = requests.post(
        f"{server.base_url}/api/sync/push",
        json={"device_id": login["device_id"], "mutations": [mutation]},
        headers={"Authorization": f"Bearer {login['token']}"},
        timeout=10,
    )
    assert pushed.json()["results"][0]["status"] == "applied", pushed.text
    return record_id


def open_concern(page: Page, concern_id: str) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in_as(page, "demo-supervisor")
    page.goto(f"/app/queue/{concern_id}")
    expect(page.locator(".concern-panel")).to_be_visible()


@pytest.fixture(scope="module")
def mapped(tmp_path_factory):
    """An app of its own serving a build with a tile server: the same app on `localhost`, a
    different origin from the page's 127.0.0.1 (as a province's tile server would be)."""
    base = tmp_path_factory.mktemp("mapped")
    dist = base / "dist"
    with running_app(base / "app", PWA_DIST=str(dist)) as app:
        origin = app.base_url.replace("127.0.0.1", "localhost")
        env = {**os.environ, "VITE_MAP_TILE_URL": f"{origin}/map-tile.png?z={{z}}&x={{x}}&y={{y}}"}
        subprocess.run(
            ["npx", "vite", "build", "--outDir", str(dist), "--emptyOutDir"],
            cwd=ROOT / "static", env=env, check=True, capture_output=True,
        )  # fmt: skip
        (dist / "map-tile.png").write_bytes(tile_png())
        app.restart(MAP_TILE_ORIGIN=origin)
        yield app


@pytest.fixture
def mapped_page(browser, mapped):
    context = browser.new_context(base_url=mapped.base_url, locale="th-TH")
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


def test_the_map_shows_the_concern_and_those_nearby_on_the_province_tiles(mapped, mapped_page):
    page = mapped_page
    tag = uuid.uuid4().hex[:6]
    here = report(mapped, f"ต้นไม้ล้มขวางถนน {tag}", *HERE)
    report(mapped, f"ท่อระบายน้ำแตก {tag}", *NEAR)
    report(mapped, f"ถนนทรุด ไกลออกไป {tag}", *FAR)
    tiles = []
    page.on("response", lambda r: tiles.append(r.status) if "map-tile.png" in r.url else None)
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    open_concern(page, here)
    location = page.get_by_role("region", name="ตำแหน่ง")
    map_box = location.get_by_role("img", name="แผนที่ตำแหน่งของเรื่องและเรื่องใกล้เคียง")
    expect(map_box).to_be_visible()
    expect(map_box.locator("img.leaflet-tile-loaded").first).to_be_visible()
    # The concern in red, the one 110 m away in green; the one 16 km away is not on it.
    expect(map_box.locator("path.leaflet-interactive[stroke='#b71c1c']")).to_have_count(1)
    expect(map_box.locator("path.leaflet-interactive[stroke='#1b5e20']")).to_have_count(1)
    box = map_box.bounding_box()
    assert box and box["width"] >= 200 and box["height"] >= 150, box
    assert tiles and set(tiles) == {200}, tiles
    assert blocked == [], blocked
    # The list stays beside the map, for those who do not read maps.
    nearby = location.get_by_role("listitem")
    expect(nearby).to_have_count(1)
    expect(nearby).to_contain_text(f"ท่อระบายน้ำแตก {tag}")
    expect(location).to_contain_text("16.82140, 100.26590")


def test_without_a_tile_server_the_coordinates_a_link_and_the_list(server, page):
    tag = uuid.uuid4().hex[:6]
    here = report(server, f"ต้นไม้ล้มขวางถนน {tag}", *HERE)
    report(server, f"ท่อระบายน้ำแตก {tag}", *NEAR)
    open_concern(page, here)
    location = page.get_by_role("region", name="ตำแหน่ง")
    expect(location).to_contain_text("16.82140, 100.26590")
    link = location.get_by_role("link", name="เปิดในแอปแผนที่")
    expect(link).to_have_attribute("href", "geo:16.821400,100.265900")
    expect(location.locator(".map, .leaflet-container")).to_have_count(0)
    near = location.get_by_role("listitem").filter(has_text=f"ท่อระบายน้ำแตก {tag}")
    expect(near).to_have_count(1)
    expect(near).to_contain_text(re.compile(r"ห่าง 1\d\d ม\."))
    expect(near.get_by_role("link")).to_have_attribute("href", re.compile(r"^/app/queue/"))
