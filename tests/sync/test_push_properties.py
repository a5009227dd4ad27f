"""Through the real endpoints, on SQLite and PostgreSQL: several devices, duplicates,
reordering, retries and lost answers end in the same database as delivering each mutation once
(hypothesis)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from fieldapp.auth.passwords import hash_password
from fieldapp.auth.tokens import issue_device_token
from fieldapp.extensions import db
from fieldapp.models import (
    AppliedMutation,
    Concern,
    District,
    FollowupEntry,
    QuarantinedMutation,
    User,
    Village,
    Visit,
)

pytestmark = pytest.mark.both_databases

NS = uuid.UUID("9a7f5a1e-3c1b-4f59-8e7a-0d6c5b4a3f21")
VILLAGE = str(uuid.uuid5(NS, "village"))
FAR_VILLAGE = str(uuid.uuid5(NS, "far-village"))
VISITS = [str(uuid.uuid5(NS, f"visit-{i}")) for i in range(3)]
CONCERNS = [str(uuid.uuid5(NS, f"concern-{i}")) for i in range(2)]
USERS = (
    ("official", "official", ("6501",)),
    ("other", "official", ("6501",)),
    ("boss", "supervisor", ("6501",)),
)


def _server(make_app):
    """A fresh migrated database with three signed-in devices; returns (app, headers)."""
    app = make_app()
    headers = {}
    with app.app_context():
        password = hash_password("x")
        for code, village_id in (("650101", VILLAGE), ("650201", FAR_VILLAGE)):
            db.session.add(
                Village(
                    id=village_id,
                    subdistrict_code=code,
                    district_code=code[:4],
                    moo=1,
                    name_th="บ้านทดสอบ",
                )
            )
        for name, role, districts in USERS:
            user = User(
                username=name,
                display_name=name,
                role=role,
                password_hash=password,
                districts=[db.session.get(District, d) for d in districts],
            )
            db.session.add(user)
            device, token = issue_device_token(user, name)
            device.id = str(uuid.uuid5(NS, name))  # the same in both databases
            headers[name] = {"Authorization": f"Bearer {token}", "X-Device-Id": device.id}
        db.session.commit()
    return app, headers


def _state(app) -> dict[str, Any]:
    with app.app_context():

        def rows(model, *columns):
            return sorted(
                tuple(getattr(r, c) for c in columns) for r in db.session.scalars(select(model))
            )

        return {
            "visits": rows(
                Visit, "id", "version", "notes", "villagers_met", "deleted", "field_versions"
            ),
            "concerns": rows(
                Concern,
                "id",
                "version",
                "description",
                "status",
                "urgency",
                "deleted",
                "field_versions",
            ),
            "followups": rows(FollowupEntry, "id", "kind", "to_status", "body"),
            "outcomes": sorted(
                (m.mutation_id, m.outcome["status"])
                for m in db.session.scalars(select(AppliedMutation))
            ),
            "quarantine": db.session.scalar(select(func.count()).select_from(QuarantinedMutation)),
        }


@st.composite
def history(draw, user: str) -> list[dict[str, Any]]:
    """What one device did offline, in order."""
    out = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(
            st.sampled_from(
                [
                    "visit",
                    "visit_update",
                    "concern",
                    "concern_update",
                    "transition",
                    "comment",
                    "bad",
                    "far",
                    "delete",
                ]
            )
        )
        m: dict[str, Any] = {"mutation_id": str(uuid.UUID(int=draw(st.integers(0, 2**64))))}
        if kind == "visit" or kind == "far":
            m.update(
                entity="visit",
                record_id=draw(st.sampled_from(VISITS)),
                op="create",
                fields={
                    "village_id": VILLAGE if kind == "visit" else FAR_VILLAGE,
                    "visited_at": "2026-03-01T09:00:00+07:00",
                    "notes": draw(st.sampled_from(["ก", "ข", "ค"])),
                },
            )
        elif kind == "visit_update":
            m.update(
                entity="visit",
                record_id=draw(st.sampled_from(VISITS)),
                op="update",
                base_version=draw(st.integers(1, 3)),
                fields=draw(
                    st.sampled_from(
                        [{"notes": "ง"}, {"villagers_met": 7}, {"notes": "จ", "villagers_met": 9}]
                    )
                ),
            )
        elif kind == "delete":
            m.update(
                entity="visit",
                record_id=draw(st.sampled_from(VISITS)),
                op="delete",
                base_version=draw(st.integers(1, 3)),
            )
        elif kind == "concern":
            m.update(
                entity="concern",
                record_id=draw(st.sampled_from(CONCERNS)),
                op="create",
                fields={
                    "village_id": VILLAGE,
                    "category_code": "roads",
                    "description": "ถนนชำรุด",
                    "reported_at": "2026-03-01T10:00:00Z",
                },
            )
        elif kind == "concern_update":
            m.update(
                entity="concern",
                record_id=draw(st.sampled_from(CONCERNS)),
                op="update",
                base_version=draw(st.integers(1, 3)),
                fields=draw(st.sampled_from([{"description": "แก้"}, {"urgency": "high"}])),
            )
        elif kind == "transition":
            action = draw(st.sampled_from(["accept", "start", "reject", "close"]))
            m.update(
                entity="concern",
                record_id=draw(st.sampled_from(CONCERNS)),
                op="transition",
                base_version=draw(st.integers(1, 3)),
                transition={"action": action, "note": "ตามขั้นตอน"},
            )
        elif kind == "comment":
            m.update(
                entity="followup",
                record_id=str(uuid.uuid4()),
                op="create",
                fields={"concern_id": draw(st.sampled_from(CONCERNS)), "body": "ความเห็น"},
            )
        else:
            m.update(
                entity="visit",
                record_id=str(uuid.uuid4()),
                op="create",
                fields={"village_id": VILLAGE, "visited_at": "not a time"},
            )
        out.append(m)
    return out


@st.composite
def schedules(draw):
    pending = {user: draw(history(user)) for user, _, _ in USERS}
    schedule = []
    while any(pending.values()):
        user = draw(st.sampled_from([u for u, rest in pending.items() if rest]))
        size = draw(st.integers(1, 3))
        batch, pending[user] = pending[user][:size], pending[user][size:]
        if draw(st.booleans()):
            batch = [*batch, draw(st.sampled_from(batch))]
        schedule.append((user, batch))
        if draw(st.integers(0, 2)) == 0:  # answer lost after the commit: the batch again
            schedule.append((user, list(batch)))
        if len(schedule) > 1 and draw(st.booleans()):
            schedule[-1], schedule[-2] = schedule[-2], schedule[-1]
    return schedule


def _push(app, headers, batch) -> list[dict[str, Any]]:
    response = app.test_client().post(
        "/api/sync/push",
        json={"device_id": headers["X-Device-Id"], "mutations": batch},
        headers=headers,
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"]


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(schedule=schedules())
def test_the_api_applies_each_mutation_once_whatever_the_network_did(schedule, make_app):
    messy, messy_headers = _server(make_app)
    once, once_headers = _server(make_app)
    first_arrival, seen = [], set()
    for user, batch in schedule:
        for result in _push(messy, messy_headers[user], batch):
            assert result["status"] != "rejected" or result["quarantine_id"]
        for m in batch:
            if m["mutation_id"] not in seen:
                seen.add(m["mutation_id"])
                first_arrival.append((user, m))
    for user, m in first_arrival:
        _push(once, once_headers[user], [m])
    messy_state, once_state = _state(messy), _state(once)
    assert messy_state == once_state
    # Nothing applied twice; every rejected mutation is in quarantine exactly once.
    assert len(messy_state["outcomes"]) == len(seen)
    rejected = sum(1 for _, status in messy_state["outcomes"] if status == "rejected")
    assert messy_state["quarantine"] == rejected
    for app in (messy, once):
        with app.app_context():
            db.engine.dispose()
