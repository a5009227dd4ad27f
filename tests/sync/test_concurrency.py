"""Concurrent pushers and pullers: every puller sees every change once, with no cursor gap
from transactions that commit out of order (docs/architecture.md, invariant 4)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select
from sync_helpers import concern_mutation, update_mutation

from fieldapp.extensions import db
from fieldapp.models import Change, Concern

PUSHERS, PULLERS, BATCHES, BATCH_SIZE = 4, 3, 8, 6


@pytest.mark.both_databases
def test_pullers_see_every_change_once_while_others_push(
    app, db_backend, make_user, make_village, login
):
    village_id = make_village().id
    pusher_headers = [login(make_user()) for _ in range(PUSHERS)]
    puller_headers = [login(make_user(role="supervisor")) for _ in range(PULLERS)]
    done = threading.Event()
    errors: list[BaseException] = []
    pages: list[list[dict[str, Any]]] = [[] for _ in range(PULLERS)]

    def push_work(headers: dict[str, str]) -> None:
        client = app.test_client()
        try:
            earlier: list[dict[str, Any]] = []
            for _ in range(BATCHES):
                creates = [concern_mutation(village_id) for _ in range(BATCH_SIZE)]
                # Each batch also edits what it and the batch before created, so records
                # change more than once, within a batch and across batches (pulls between).
                edits = [
                    update_mutation("concern", m["record_id"], 1, description=f"แก้ {i}")
                    for i, m in enumerate(creates[: BATCH_SIZE // 2] + earlier)
                ]
                earlier = creates[BATCH_SIZE // 2 :]
                response = client.post(
                    "/api/sync/push",
                    json={"device_id": headers["X-Device-Id"], "mutations": creates + edits},
                    headers=headers,
                )
                assert response.status_code == 200, response.get_data(as_text=True)
                statuses = {r["status"] for r in response.get_json()["results"]}
                assert statuses == {"applied"}, statuses
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    def pull_work(index: int, headers: dict[str, str]) -> None:
        client = app.test_client()
        cursor = "0"
        try:
            for _ in range(10_000):
                finishing = done.is_set()  # read before the page: a last full pass follows
                response = client.get(f"/api/sync/pull?cursor={cursor}&limit=7", headers=headers)
                assert response.status_code == 200, response.get_data(as_text=True)
                page = response.get_json()
                assert not page.get("reset"), page
                pages[index].append({"before": int(cursor), **page})
                cursor = page["cursor"]
                if finishing and not page["has_more"]:
                    return
            raise AssertionError("the puller never caught up")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=push_work, args=(h,)) for h in pusher_headers]
    pullers = [
        threading.Thread(target=pull_work, args=(i, h)) for i, h in enumerate(puller_headers)
    ]
    for thread in threads + pullers:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    done.set()
    for thread in pullers:
        thread.join(timeout=300)
    assert not errors, errors

    db.session.remove()
    feed = db.session.execute(
        select(Change.seq, Change.record_id).where(Change.entity == "concern")
    ).all()
    versions = dict(db.session.execute(select(Concern.id, Concern.version)).all())
    assert len(versions) == PUSHERS * BATCHES * BATCH_SIZE
    for puller in pages:
        seen: dict[str, int] = {}
        seqs: list[int] = []
        delivered: dict[str, list[int]] = {}
        states: list[tuple[str, int]] = []
        for page in puller:
            for change in page["changes"]:
                seqs.append(change["seq"])
                if change["entity"] == "concern":
                    seen[change["id"]] = change["record"]["version"]
                    delivered.setdefault(change["id"], []).append(change["seq"])
                    states.append((change["id"], change["record"]["version"]))
        # Exactly once, in order: no change is delivered twice.
        assert seqs == sorted(set(seqs))
        # Each record once at its latest change: never the same version twice.
        assert len(states) == len(set(states)), len(states) - len(set(states))
        # No gap: every concern change in the feed was delivered, at its seq or at a later
        # change of the same record.
        for seq, record_id in feed:
            assert max(delivered.get(record_id, [-1])) >= seq, (seq, record_id)
        # And every puller ends with every record at its final version.
        assert seen == versions


@pytest.mark.both_databases
def test_concurrent_replays_of_one_mutation_apply_it_once(
    app, db_backend, make_user, make_village, login
):
    headers = login(make_user())
    mutation = concern_mutation(make_village().id)
    results: list[str] = []

    def replay() -> None:
        response = app.test_client().post(
            "/api/sync/push",
            json={"device_id": headers["X-Device-Id"], "mutations": [mutation]},
            headers=headers,
        )
        assert response.status_code == 200
        results.append(response.get_json()["results"][0]["status"])

    threads = [threading.Thread(target=replay) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == ["applied"] + ["duplicate"] * 5
    db.session.remove()
    assert db.session.get(Concern, mutation["record_id"]).version == 1
