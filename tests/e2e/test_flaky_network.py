"""The network fails in the middle of a sync, after the server committed: nothing doubles."""

from __future__ import annotations

import gzip
import json
import uuid

from playwright.sync_api import Route, expect

from tests.e2e.app import create_concern, create_visit, idb, sign_in, sync


def test_answer_lost_after_commit_then_sync_again(context, page, server, photos):
    sign_in(page)
    context.set_offline(True)
    token = uuid.uuid4().hex[:8]
    description, notes = f"lost answer {token}", f"lost answer visit {token}"
    create_concern(page, description, photos[0])
    create_visit(page, notes, photos[1])

    sent: list[list[str]] = []
    lost: list[int] = []
    network = {"broken": True}

    def pushed(route: Route) -> dict:
        body = route.request.post_data_buffer or b""
        if route.request.headers.get("content-encoding") == "gzip":  # the PWA gzips pushes
            body = gzip.decompress(body)
        return json.loads(body)

    def lose_answers(route: Route) -> None:
        sent.append([m["mutation_id"] for m in pushed(route)["mutations"]])
        if not network["broken"]:
            route.fallback()
            return
        response = route.fetch()  # the server receives the push and commits it…
        lost.append(response.status)
        route.abort("connectionreset")  # …but its answer never reaches the phone

    context.route("**/api/sync/push", lose_answers)  # the service worker's requests too
    page.get_by_role("link", name="หน้าหลัก").click()
    context.set_offline(False)  # the `online` event starts a sync by itself
    expect(page.locator("#sync-message")).to_contain_text("จะลองส่งใหม่อัตโนมัติ")
    assert lost and set(lost) == {200}
    assert len(idb(page, "outbox")) == 2  # nothing removed without the server's answer
    assert len(server.query("SELECT id FROM concerns WHERE description = ?", description)) == 1

    network["broken"] = False
    sync(page)  # sync again (the app would also retry by itself after a back-off)

    assert len(sent) >= 2 and all(ids == sent[0] for ids in sent)  # never new mutation ids
    assert len(server.query("SELECT id FROM concerns WHERE description = ?", description)) == 1
    assert len(server.query("SELECT id FROM visits WHERE notes = ?", notes)) == 1
    placeholders = ",".join("?" * len(sent[0]))
    applied = server.query(
        f"SELECT count(*) FROM applied_mutations WHERE mutation_id IN ({placeholders})", *sent[0]
    )
    assert applied == [(2,)]
    assert idb(page, "outbox") == []
    assert all(p["uploaded"] for p in idb(page, "photos"))
    assert {r["state"] for r in idb(page, "records")} == {"synced"}
