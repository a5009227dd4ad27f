"""Random input to the sync API: never a 500, never a partial write, nothing silently dropped.

Hypothesis starts from valid mutations of every kind (creates of each entity, updates,
deletes, transitions) and breaks them: a value replaced by any JSON, a key dropped, a key
added, the envelope itself changed. Whatever arrives, the server answers a 4xx problem+json
having written nothing, or a 200 with one outcome per mutation where every rejected one is in
quarantine; and what it stored can always be pulled again.
"""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from fuzzing import FUZZ, assert_answered
from hypothesis import event, given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sync_helpers import concern_mutation, new_id, visit_mutation

from fieldapp.extensions import db
from fieldapp.models import (
    AppliedMutation,
    AuditEntry,
    Change,
    Concern,
    Conflict,
    FollowupEntry,
    Inspection,
    QuarantinedMutation,
    Visit,
)

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]

OUTCOMES = {"applied", "duplicate", "merged", "conflict", "rejected"}
WRITTEN = (
    AppliedMutation, QuarantinedMutation, Conflict, Change, Visit, Concern, Inspection,
    FollowupEntry, AuditEntry,
)  # fmt: skip

# Any JSON a client could send; integers past 64 bits and deep nests included.
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)
uuids = st.uuids().map(str)

# Names the server knows, so a replaced value often lands on a real field.
FIELD_NAMES = [
    "village_id", "visited_at", "companions", "topics", "villagers_met", "notes", "lat", "lon",
    "gps_accuracy_m", "category_code", "description", "reported_at", "urgency", "visit_id",
    "reporter_consent", "reporter_name", "reporter_phone", "place_type", "place_name",
    "inspected_at", "template_id", "scores", "followup_needed", "reinspection_of_id",
    "concern_id", "body", "kind", "status", "assignee_id", "due_date", "version", "id",
]  # fmt: skip
ENVELOPE_NAMES = [
    "mutation_id", "entity", "record_id", "op", "base_version", "fields", "transition",
    "photos", "observed_at",
]  # fmt: skip
TRANSITION_NAMES = [
    "action", "note", "assignee_id", "assignee_agency", "due_date", "priority",
    "duplicate_of_id", "villager_confirmed", "answer",
]  # fmt: skip


def counts() -> dict[str, int]:
    db.session.rollback()  # read what is committed now, not an earlier snapshot
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in WRITTEN
    }


@pytest.fixture
def world(make_user, make_village, device):
    """An official and a supervisor of one district, an admin, a village, and a visit and a concern
    already on the server for updates, deletes and transitions to aim at."""
    official = device(make_user())
    supervisor = device(make_user(role="supervisor"))
    admin = device(make_user(role="admin", districts=()))
    village = make_village()
    visit, concern = visit_mutation(village.id), concern_mutation(village.id)
    assert {r["status"] for r in official.push(visit, concern)} == {"applied"}
    return {
        "official": official,
        "supervisor": supervisor,
        "admin": admin,
        "village_id": village.id,
        "visit_id": visit["record_id"],
        "concern_id": concern["record_id"],
    }


@st.composite
def valid_mutation(draw, world: dict[str, Any]) -> dict[str, Any]:
    village_id = world["village_id"]
    kind = draw(
        st.sampled_from(["visit", "concern", "inspection", "followup", "update", "delete", "step"])
    )
    # A fresh mutation id is put in when the batch is sent (see fresh_ids); record ids come
    # from hypothesis, which repeats them, so creates also land on existing records.
    mutation: dict[str, Any] = {"mutation_id": FRESH, "record_id": draw(uuids)}
    if kind == "visit":
        mutation = {**visit_mutation(village_id), **mutation}
    elif kind == "concern":
        mutation = {**concern_mutation(village_id), **mutation}
    elif kind == "inspection":
        mutation |= {
            "entity": "inspection",
            "op": "create",
            "fields": {
                "village_id": village_id,
                "place_type": "school",
                "place_name": "โรงเรียนบ้านหนองแขม",
                "inspected_at": "2026-03-02T08:00:00+07:00",
                "template_id": 1,
                "scores": {"entrance": {"score": 5}, "toilets": {"score": 3, "note": "ไม่มีสบู่"}},
            },
        }
    elif kind == "followup":
        mutation |= {
            "entity": "followup",
            "op": "create",
            "fields": {"concern_id": world["concern_id"], "body": "ติดตามแล้ว"},
        }
    else:
        entity = draw(st.sampled_from(["visit", "concern"]))
        mutation["record_id"] = world[f"{entity}_id"]
        mutation["entity"] = entity
        mutation["base_version"] = draw(st.integers(min_value=0, max_value=4))
        if kind == "update":
            mutation |= {"op": "update", "fields": {"notes": "แก้ไข"}}
            if entity == "concern":
                mutation["fields"] = {"description": "แก้ไข"}
        elif kind == "delete":
            mutation["op"] = "delete"
        else:
            mutation |= {
                "entity": "concern",
                "record_id": world["concern_id"],
                "op": "transition",
                "transition": {
                    "action": draw(st.sampled_from(["accept", "assign", "start", "resolve"])),
                    "note": "รับเรื่อง",
                },
            }
    return mutation


@st.composite
def broken(draw, mutation: dict[str, Any]) -> dict[str, Any]:
    """The mutation with up to three changes anywhere in it."""
    mutation = orjson.loads(orjson.dumps(mutation))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        where = draw(st.sampled_from(["envelope", "fields", "transition"]))
        target = mutation
        names = ENVELOPE_NAMES
        if where != "envelope" and isinstance(mutation.get(where), dict):
            target = mutation[where]
            names = FIELD_NAMES if where == "fields" else TRANSITION_NAMES
        name = draw(st.sampled_from(names) | st.text(max_size=12))
        if draw(st.booleans()) and name in target:
            del target[name]
        else:
            target[name] = draw(json_values)
    return mutation


FRESH = "fresh mutation id"


def fresh_ids(mutations: list[Any]) -> list[Any]:
    """Each placeholder mutation id replaced by a new uuid; anything else left as drawn."""
    return [
        {**m, "mutation_id": new_id()}
        if isinstance(m, dict) and m.get("mutation_id") == FRESH
        else m
        for m in mutations
    ]


def check_answer(response, readers, mutations: list[Any], before: dict[str, int]) -> None:
    assert_answered(response)
    if response.status_code != 200:
        assert counts() == before, "a refused push wrote something"
        return
    results = response.get_json()["results"]
    assert len(results) == len(mutations)
    assert {r["status"] for r in results} <= OUTCOMES
    rejected = [r["mutation_id"] for r in results if r["status"] == "rejected"]
    for mutation_id in rejected:
        entry = db.session.scalar(
            select(QuarantinedMutation).where(QuarantinedMutation.mutation_id == mutation_id)
        )
        assert entry is not None, f"rejected {mutation_id} is not in quarantine"
    # What was stored can be served again, to every reader.
    for reader in readers:
        page = reader.client.get("/api/sync/pull?cursor=0&limit=1000", headers=reader.headers)
        assert page.status_code == 200, page.get_data(as_text=True)


@FUZZ
@given(data=st.data())
def test_broken_mutations_never_crash_or_half_write(world, data):
    who = data.draw(st.sampled_from(["official", "supervisor"]))
    pusher = world[who]
    mutations = data.draw(
        st.lists(valid_mutation(world).flatmap(broken), min_size=1, max_size=4), label="batch"
    )
    mutations = fresh_ids(mutations)
    before = counts()
    response = pusher.push_raw(mutations)
    event(f"push answered {response.status_code}")
    if response.status_code == 200:
        for result in response.get_json()["results"]:
            event(f"outcome {result['status']}")
    # The pusher, and the supervisor who sees the district's concerns too.
    readers = [world[name] for name in dict.fromkeys([who, "supervisor"])]
    check_answer(response, readers, mutations, before)


@FUZZ
@given(
    envelope=st.dictionaries(st.sampled_from(["device_id", "mutations"]) | st.text(), json_values),
    own_device=st.booleans(),
)
def test_any_envelope_is_answered(world, envelope, own_device):
    phone = world["official"]
    if own_device:
        envelope["device_id"] = phone.device_id
    before = counts()
    headers = {**phone.headers, "Content-Type": "application/json"}
    response = phone.client.post("/api/sync/push", data=json.dumps(envelope), headers=headers)
    assert response.status_code in (400, 403, 413), response.get_data(as_text=True)
    assert_answered(response)
    assert counts() == before


query_values = st.text(max_size=30) | st.integers(min_value=-(2**70), max_value=2**70).map(str)


@FUZZ
@given(
    path=st.sampled_from(
        ["/api/sync/pull", "/api/sync/rejections", "/api/sync/quarantine", "/api/sync/conflicts"]
    ),
    query=st.dictionaries(
        st.sampled_from(["cursor", "limit", "status", "entity", "device_id", "page"]) | st.text(),
        query_values,
        max_size=4,
    ),
)
def test_any_query_string_is_answered(world, path, query):
    supervisor = world["supervisor"]
    response = supervisor.client.get(path, query_string=query, headers=supervisor.headers)
    assert_answered(response)


@FUZZ
@given(
    route=st.sampled_from(
        [
            "/api/auth/login",
            "/api/sync/quarantine/{entry}/reapply",
            "/api/sync/quarantine/{entry}/dismiss",
            "/api/sync/conflicts/{entry}/resolve",
            "/api/concerns/{concern}/transitions",
        ]
    ),
    body=json_values,
)
def test_any_json_body_to_other_routes_is_answered(world, route, body):
    admin = world["admin"]
    entry = db.session.scalar(select(func.max(QuarantinedMutation.id))) or 1
    path = route.format(entry=entry, concern=world["concern_id"])
    before = counts()
    headers = {**admin.headers, "Content-Type": "application/json"}
    response = admin.client.post(path, data=json.dumps(body), headers=headers)
    assert_answered(response)
    if response.status_code >= 400:
        assert counts() == before
