"""The pure engine: exactly once under duplicates, reordering and retries (hypothesis)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync import (
    APPLIED,
    CONFLICT,
    DUPLICATE,
    MERGED,
    REJECTED,
    Actor,
    Mutation,
    Record,
    Rejection,
    TransitionPlan,
    apply_batch,
)

NOW = datetime(2026, 3, 1, tzinfo=UTC)
FIELDS = ("a", "b", "c")


class NotePolicy:
    """A tiny domain: records with fields a, b, c holding 0…9; 9 is refused as invalid."""

    def prepare(self, mutation, record, actor, lookup) -> dict[str, Any]:
        errors = {}
        for name, value in mutation.fields.items():
            if name not in FIELDS:
                errors[name] = ["Unknown field."]
            elif not isinstance(value, int) or not 0 <= value < 9:
                errors[name] = ["Must be 0…8."]
        if errors:
            raise Rejection("validation", "invalid", errors)
        values = dict(mutation.fields)
        if record is None:
            values = {name: values.get(name, 0) for name in FIELDS}
        values["district_code"] = "6501"
        return values

    def item_maps(self, entity) -> frozenset[str]:
        return frozenset()

    def authorise(self, op, record, actor, lookup) -> None:
        if op == "delete" and actor.user_id == 3:
            raise Rejection("forbidden", "user 3 may not delete")

    def plan_transition(self, mutation, record, actor, lookup) -> TransitionPlan:
        raise Rejection("validation", "no workflow here")

    def district_hint(self, mutation, lookup) -> str | None:
        return "6501"


@dataclass
class Server:
    """What the store keeps, in memory: records, first outcomes, quarantine."""

    records: dict[tuple[str, str], Record] = field(default_factory=dict)
    outcomes: dict[str, dict[str, Any]] = field(default_factory=dict)
    quarantine: list[str] = field(default_factory=list)
    applications: dict[str, int] = field(default_factory=dict)

    def push(self, batch: list[Mutation], actor: Actor) -> list:
        keys = {(m.entity, m.record_id) for m in batch}
        current = {k: self.records[k] for k in keys if k in self.records}
        stored = {
            m.mutation_id: self.outcomes[m.mutation_id]
            for m in batch
            if m.mutation_id in self.outcomes
        }
        result = apply_batch(batch, current, stored, actor, NotePolicy(), NOW)
        self.records.update(result.written)
        for m, outcome in result.answered:
            self.outcomes[m.mutation_id] = outcome.stored()
            self.applications[m.mutation_id] = self.applications.get(m.mutation_id, 0) + 1
        self.quarantine += [m.mutation_id for m, _, _ in result.rejected]
        return result.outcomes

    def state(self) -> dict:
        return {
            key: (r.values, r.version, r.field_versions, r.deleted, r.created_by_id)
            for key, r in self.records.items()
        }


def actor(user_id: int) -> Actor:
    return Actor(user_id, "official", f"device-{user_id}", frozenset({"6501"}))


RECORD_IDS = [str(uuid.UUID(int=i)) for i in range(1, 4)]


@st.composite
def mutations(draw, user_id: int) -> list[Mutation]:
    """A device's offline history: creates, updates, deletes, some invalid, some stale."""
    out = []
    for index in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["create", "update", "update", "delete"]))
        fields = draw(st.dictionaries(st.sampled_from(FIELDS), st.integers(0, 9), max_size=3))
        out.append(
            Mutation(
                mutation_id=f"u{user_id}-m{index}",
                entity="note",
                record_id=draw(st.sampled_from(RECORD_IDS)),
                op=op,
                base_version=draw(st.integers(0, 4)) if op != "create" else 0,
                fields=fields if op != "delete" else {},
            )
        )
    return out


@st.composite
def deliveries(draw):
    """Several devices' histories and a messy delivery: batches with duplicates, reordered
    between devices, and retries of whole batches whose answer was lost."""
    histories = {user: draw(mutations(user)) for user in (1, 2, 3)}
    schedule: list[tuple[int, list[Mutation]]] = []
    pending = {user: list(history) for user, history in histories.items()}
    while any(pending.values()):
        user = draw(st.sampled_from([u for u, rest in pending.items() if rest]))
        size = draw(st.integers(1, 3))
        batch, pending[user] = pending[user][:size], pending[user][size:]
        if draw(st.booleans()):  # a mutation repeated inside the batch
            batch = [*batch, draw(st.sampled_from(batch))]
        schedule.append((user, batch))
        if draw(st.integers(0, 3)) == 0:  # the answer was lost: the device retries later
            schedule.append((user, list(batch)))
        if len(schedule) > 1 and draw(st.booleans()):  # the network reorders two sends
            schedule[-1], schedule[-2] = schedule[-2], schedule[-1]
    return schedule


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deliveries())
def test_messy_delivery_ends_where_delivering_each_once_does(schedule):
    messy = Server()
    for user, batch in schedule:
        messy.push(batch, actor(user))
    first_arrival: list[tuple[int, Mutation]] = []
    seen: set[str] = set()
    for user, batch in schedule:
        for m in batch:
            if m.mutation_id not in seen:
                seen.add(m.mutation_id)
                first_arrival.append((user, m))
    once = Server()
    for user, m in first_arrival:
        once.push([m], actor(user))
    assert messy.state() == once.state()
    assert {k: v["status"] for k, v in messy.outcomes.items()} == {
        k: v["status"] for k, v in once.outcomes.items()
    }
    # No mutation applied twice; every rejected one quarantined, once.
    assert set(messy.applications.values()) == {1}
    rejected = [k for k, v in messy.outcomes.items() if v["status"] == REJECTED]
    assert sorted(messy.quarantine) == sorted(rejected)


def test_outcomes_cover_every_status():
    server = Server()
    rid = RECORD_IDS[0]
    a, b = actor(1), actor(2)
    [created] = server.push([Mutation("m1", "note", rid, "create", fields={"a": 1})], a)
    assert created.status == APPLIED
    [merged] = server.push([Mutation("m2", "note", rid, "update", 1, {"b": 2})], b)
    [other] = server.push([Mutation("m3", "note", rid, "update", 1, {"c": 3})], a)
    assert (merged.status, other.status) == (APPLIED, MERGED)
    [conflict] = server.push([Mutation("m4", "note", rid, "update", 1, {"b": 5})], a)
    assert conflict.status == CONFLICT
    note = conflict.conflicts[0]
    assert (note.field, note.kept_value, note.lost_value, note.lost_mutation_id) == (
        "b",
        5,
        2,
        "m2",
    )
    [rejected] = server.push([Mutation("m5", "note", rid, "update", 4, {"a": 9})], a)
    assert (rejected.status, rejected.reason) == (REJECTED, "validation")
    [duplicate] = server.push([Mutation("m2", "note", rid, "update", 1, {"b": 2})], b)
    assert duplicate.status == DUPLICATE
    assert duplicate.original["status"] == APPLIED
    assert server.records[("note", rid)].values["b"] == 5


def test_the_engine_never_changes_its_inputs():
    record = Record("note", RECORD_IDS[0], {"a": 1, "b": 0, "c": 0, "district_code": "6501"})
    before = (dict(record.values), record.version, dict(record.field_versions))
    apply_batch(
        [Mutation("m1", "note", record.id, "update", 1, {"a": 2})],
        {("note", record.id): record},
        {},
        actor(1),
        NotePolicy(),
        NOW,
    )
    assert (record.values, record.version, record.field_versions) == before


class ChecklistPolicy(NotePolicy):
    """Records with one item map, `m` (item -> 0…8; None removes), merged item by item."""

    def item_maps(self, entity) -> frozenset[str]:
        return frozenset({"m"})

    def prepare(self, mutation, record, actor, lookup) -> dict[str, Any]:
        merged = dict(record.values["m"]) if record else {}
        for key, value in mutation.fields["m"].items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        return {"m": merged, "district_code": "6501"}


def test_an_item_map_merges_item_by_item_and_notes_a_conflict_per_item():
    record_id, phone, tablet = RECORD_IDS[0], actor(1), Actor(1, "official", "tablet-1")
    policy = ChecklistPolicy()

    def push(mutation_id: str, op: str, base: int, items: dict, who: Actor, records: dict):
        m = Mutation(mutation_id, "checklist", record_id, op, base, {"m": items})
        result = apply_batch([m], records, {}, who, policy, NOW)
        records.update(result.written)
        return result.outcomes[0]

    records: dict = {}
    push("c", "create", 0, {"x": 1, "y": 1, "z": 1}, phone, records)
    assert push("p", "update", 1, {"x": 2}, phone, records).status == APPLIED
    offline = push("t", "update", 1, {"y": 3, "z": None}, tablet, records)
    assert (offline.status, offline.conflicts) == (MERGED, [])
    record = records[("checklist", record_id)]
    assert record.values["m"] == {"x": 2, "y": 3}
    assert record.field_versions == {"m.x": 2, "m.y": 3, "m.z": 3}

    late = push("t2", "update", 1, {"x": 5}, tablet, records)  # the phone changed x at 2
    assert late.status == CONFLICT
    [note] = late.conflicts
    assert (note.field, note.kept_value, note.lost_value) == ("m.x", 5, 2)
    assert note.lost_mutation_id == "p"
    own = push("p2", "update", 2, {"x": 6}, tablet, records)  # superseding its own x: no note
    assert (own.status, own.conflicts) == (MERGED, [])
