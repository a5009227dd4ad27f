"""The one-step fields and FlatSchema agree with marshmallow's own path on every input."""

from __future__ import annotations

import math
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError

from fieldapp.schemas import quick
from fieldapp.schemas.records import ENTITY_FIELDS, TransitionFields, VisitFields

UUIDS = [
    "0b9a7c5e-2f55-4d0e-8a3c-9f4c1f0d2e11",
    "0B9A7C5E-2F55-4D0E-8A3C-9F4C1F0D2E11",
    "{0b9a7c5e-2f55-4d0e-8a3c-9f4c1f0d2e11}",
    "0b9a7c5e2f554d0e8a3c9f4c1f0d2e11",
    "0b9a7c5e-2f55-4d0e-8a3c-9f4c1f0d2e1",
    "nope",
]
TIMES = [
    "2026-03-01T08:30:00+07:00",
    "2026-03-01T08:30:00.123456+07:00",
    "2026-03-01T08:30:00Z",
    "2026-03-01T08:30:00",
    "2026-03-01",
    "2026-02-30T08:30:00+07:00",
    "",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, 1, 5, 40, 90, 91, -90, -91, 180, 100_000, 1_000_000, 1_000_001]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, 16.8, -0.0, 90.0, 90.0000001]),
    st.text(max_size=5),
    st.text(min_size=195, max_size=205),
    st.sampled_from(UUIDS + TIMES),
    st.sampled_from(["haze", "health", "household", "normal", "comment", "assign", "ก" * 201]),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=3),
    st.lists(st.sampled_from(["haze", "health", "clean_tidy", "x" * 201]), max_size=12),
    st.dictionaries(st.text(max_size=3), SCALARS, max_size=2),
    st.dictionaries(
        st.sampled_from(["a", "b"]),
        st.fixed_dictionaries({"score": SCALARS}, optional={"note": SCALARS, "x": SCALARS}),
        max_size=2,
    ),
)


@contextmanager
def marshmallows_own_path():
    """Every shortcut off: each field and schema takes marshmallow's generic path."""
    patch = pytest.MonkeyPatch()
    patch.setattr(
        quick.QuickField,
        "deserialize",
        lambda self, *a, **k: super(quick.QuickField, self).deserialize(*a, **k),
    )
    patch.setattr(quick.FlatSchema, "_deserialize", Schema._deserialize)
    try:
        yield
    finally:
        patch.undo()


def outcome(schema: Schema, data, **kwargs):
    try:
        return "ok", schema.load(data, **kwargs)
    except ValidationError as exc:
        return "error", exc.messages


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b and type(a) is type(b)


SCHEMAS = [*ENTITY_FIELDS.items(), ("transition", TransitionFields())]


@settings(max_examples=400, suppress_health_check=list(HealthCheck), deadline=None)
@given(
    which=st.sampled_from(range(len(SCHEMAS))),
    data=st.data(),
    partial=st.sampled_from([None, False, True]),
    unknown=st.sampled_from([RAISE, EXCLUDE]),
)
def test_each_schema_loads_as_marshmallows_own_path_does(which, data, partial, unknown):
    _, schema = SCHEMAS[which]
    names = [*sorted(schema.load_fields), "x"]
    body = data.draw(st.dictionaries(st.sampled_from(names), VALUES, max_size=len(names)))
    fast = outcome(schema, body, partial=partial, unknown=unknown)
    with marshmallows_own_path():
        slow = outcome(schema, body, partial=partial, unknown=unknown)
    assert fast[0] == slow[0]
    if fast[0] == "error":
        assert fast[1] == slow[1]
    else:
        assert fast[1].keys() == slow[1].keys()
        for key, value in fast[1].items():
            assert same(value, slow[1][key]), key


def test_a_plain_visit_takes_the_short_path_with_the_same_result():
    visit = {
        "village_id": UUIDS[0],
        "visited_at": TIMES[1],
        "companions": ["ชาวบ้าน"],
        "topics": ["haze"],
        "villagers_met": 12,
        "notes": "ประชุม",
        "lat": 16.8,
        "lon": 100,
        "gps_accuracy_m": 5.5,
    }
    fast = VisitFields().load(visit)
    with marshmallows_own_path():
        assert VisitFields().load(visit) == fast
    assert fast["lon"] == 100.0 and type(fast["lon"]) is float
    assert fast["visited_at"].utcoffset().total_seconds() == 0


def test_errors_keep_marshmallows_words():
    with pytest.raises(ValidationError) as exc:
        VisitFields().load({"village_id": "nope", "visited_at": "2026-03-01T08:30:00", "lat": 91})
    assert exc.value.messages == {
        "village_id": ["Not a valid UUID."],
        "visited_at": ["Not a valid aware datetime."],
        "lat": ["Must be greater than or equal to -90 and less than or equal to 90."],
    }
