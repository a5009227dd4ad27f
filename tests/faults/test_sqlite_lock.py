"""Another connection holds SQLite's write lock: a push waits for it (the busy timeout)
instead of failing, and a lock held past the wait answers 503 with Retry-After, not 500."""

from __future__ import annotations

import sqlite3
import threading
import uuid

import pytest

from fieldapp.config import engine_options


class Device:
    def __init__(self, client, headers):
        self.client, self.headers = client, headers

    def push_raw(self, mutations):
        body = {"device_id": self.headers["X-Device-Id"], "mutations": mutations}
        return self.client.post("/api/sync/push", json=body, headers=self.headers)

    def push(self, *mutations):
        response = self.push_raw(list(mutations))
        assert response.status_code == 200, response.get_json()
        return response.get_json()["results"]


def visit_mutation(village_id: str) -> dict:
    fields = {"village_id": village_id, "visited_at": "2026-03-01T09:30:00+07:00"}
    return {
        "mutation_id": str(uuid.uuid4()),
        "entity": "visit",
        "record_id": str(uuid.uuid4()),
        "op": "create",
        "fields": fields,
    }


@pytest.fixture
def app(make_app, tmp_path):  # SQLite only: the busy timeout is SQLite's
    return make_app(SQLALCHEMY_ENGINE_OPTIONS=engine_options("sqlite://", busy_timeout=2))


@pytest.fixture
def device(app, make_user, make_village):
    with app.app_context():
        village = make_village()
        client = app.test_client()
        user = make_user()
        login = client.post(
            "/api/auth/login", json={"username": user.username, "password": "secret-pass"}
        ).get_json()
        headers = {"Authorization": f"Bearer {login['token']}", "X-Device-Id": login["device_id"]}
        yield Device(client, headers), village.id


def hold_write_lock(app) -> sqlite3.Connection:
    database = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    holder = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_push_waits_for_a_lock_released_within_the_busy_timeout(app, device):
    phone, village_id = device
    holder = hold_write_lock(app)
    pushing = threading.Event()
    release = threading.Thread(target=lambda: (pushing.wait(), holder.commit()))
    release.start()
    pushing.set()  # the lock goes away while the push waits for it

    results = phone.push(visit_mutation(village_id))

    release.join()
    assert [r["status"] for r in results] == ["applied"]


def test_a_lock_held_past_the_busy_timeout_answers_503_with_retry_after(app, device):
    phone, village_id = device
    mutation = visit_mutation(village_id)
    holder = hold_write_lock(app)
    try:
        response = phone.push_raw([mutation])
    finally:
        holder.rollback()
        holder.close()

    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "5"
    body = response.get_json()
    assert body["code"] == "db.unavailable"
    assert "locked" not in response.get_data(as_text=True)  # no driver message, no SQL
    assert [r["status"] for r in phone.push(mutation)] == ["applied"]  # the retry goes in


@pytest.fixture
def patient_app(make_app):
    return make_app(SQLALCHEMY_ENGINE_OPTIONS=engine_options("sqlite://", busy_timeout=60))


def test_pushes_of_one_process_take_turns_and_all_go_in(patient_app, make_user, make_village):
    """The pushes of one process queue for SQLite's one writer (syncstore/push.py): threads
    pushing at once each get their turn, and every record is stored once."""
    with patient_app.app_context():
        village_id, username = make_village().id, make_user().username
    client = patient_app.test_client()
    login = client.post(
        "/api/auth/login", json={"username": username, "password": "secret-pass"}
    ).get_json()
    headers = {"Authorization": f"Bearer {login['token']}"}
    batches = [[visit_mutation(village_id) for _ in range(3)] for _ in range(6)]
    answers: list[int] = []

    def push(mutations):
        body = {"device_id": login["device_id"], "mutations": mutations}
        response = patient_app.test_client().post("/api/sync/push", json=body, headers=headers)
        answers.append(response.status_code)

    threads = [threading.Thread(target=push, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [200] * len(batches)
    pulled = client.get("/api/sync/pull?limit=1000", headers=headers).get_json()["changes"]
    visits = sorted(c["id"] for c in pulled if c["entity"] == "visit")
    assert visits == sorted(m["record_id"] for batch in batches for m in batch)
