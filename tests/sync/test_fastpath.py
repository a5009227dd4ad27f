"""The envelope fast path agrees with MutationSchema on everything it accepts."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldapp.schemas.sync import MutationSchema
from fieldapp.syncstore.fastpath import simple_envelope

UUIDS = st.sampled_from(
    ["0b9a7c5e-2f55-4d0e-8a3c-9f4c1f0d2e11", "0B9A7C5E-2F55-4D0E-8A3C-9F4C1F0D2E11", "nope", 7]
)
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-2, 3), st.text(max_size=3), UUIDS)


BASE = {
    "mutation_id": "0b9a7c5e-2f55-4d0e-8a3c-9f4c1f0d2e11",
    "entity": "visit",
    "record_id": "7d1e2c1a-44b5-4c9b-9d4e-1a2b3c4d5e6f",
    "op": "create",
    "base_version": 0,
    "fields": {"notes": "ก"},
}
KEYS = st.sampled_from([*BASE, "photos", "transition", "observed_at", "x"])
REPLACEMENTS = st.one_of(
    VALUES,
    st.sampled_from(["visit", "followup", "village", "create", "update", "delete", "transition"]),
    st.dictionaries(st.text(max_size=2), VALUES, max_size=2),
    st.lists(VALUES, max_size=2),
)


@settings(max_examples=500, suppress_health_check=list(HealthCheck), deadline=None)
@given(
    drop=st.sets(st.sampled_from(list(BASE)), max_size=2),
    change=st.dictionaries(KEYS, REPLACEMENTS, max_size=3),
)
def test_the_fast_path_never_disagrees_with_the_schema(drop, change):
    raw = {k: v for k, v in BASE.items() if k not in drop} | change
    fast = simple_envelope(raw)
    if fast is not None:
        assert MutationSchema().load(raw) == fast


def test_a_plain_create_takes_the_fast_path():
    raw = {
        "mutation_id": "0b9a7c5e-2f55-4d0e-8a3c-9f4c1f0d2e11",
        "entity": "visit",
        "record_id": "7d1e2c1a-44b5-4c9b-9d4e-1a2b3c4d5e6f",
        "op": "create",
        "fields": {"notes": "ก"},
    }
    assert simple_envelope(raw) == MutationSchema().load(raw)
