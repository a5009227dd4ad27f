"""Every message a push schema gives carries a code, made where the message is declared."""

from __future__ import annotations

from typing import Any

import pytest
from marshmallow import Schema, ValidationError

from fieldapp.schemas.messages import Coded, coded_errors, field_paths
from fieldapp.schemas.records import (
    ENTITY_FIELDS,
    ConcernTransitionBody,
    ScoreItem,
    TransitionFields,
)
from fieldapp.schemas.sync import MutationSchema, PhotoRefSchema, PushRequestSchema

CODES = {
    "required",
    "null",
    "unknown_field",
    "invalid",
    "too_short",
    "too_long",
    "length_between",
    "out_of_range",
    "one_of",
    "pattern",
    "naive_datetime",
}
TYPES = {"string", "integer", "number", "boolean", "list", "object", "uuid", "datetime", "date"}
PARAMS = {
    "required": set(),
    "null": set(),
    "unknown_field": set(),
    "invalid": {"type"},
    "too_short": {"min"},
    "too_long": {"max"},
    "length_between": {"min", "max"},
    "out_of_range": {"min", "max"},
    "one_of": {"choices"},
    "pattern": set(),
    "naive_datetime": set(),
}

BAD_VALUES: list[Any] = [
    None,
    "",
    "x" * 20_001,
    "not a uuid, a date or a number",
    "2026-03-01T09:30:00",  # no offset
    "2026-13-45",
    -(10**12),
    10**12,
    10**40,
    -1,
    1.5,
    float("nan"),
    True,
    [],
    ["x" * 300],
    [1, None],
    list(range(60)),
    ["x"] * 60,
    {},
    {"a": 1},
    {"": {"score": -1, "extra": 1}},
    {f"k{i}": None for i in range(201)},
]

SCHEMAS: list[Schema] = [
    *ENTITY_FIELDS.values(),
    ScoreItem(),
    TransitionFields(),
    ConcernTransitionBody(),
    MutationSchema(),
    PhotoRefSchema(),
    PushRequestSchema(),
]


def _messages(schema: Schema, data: dict[str, Any], partial: bool) -> Any:
    try:
        schema.load(data, partial=partial)
    except ValidationError as exc:
        return exc.messages
    return {}


def _all_messages(schema: Schema) -> list[tuple[str, Any]]:
    """Every message the schema gives for every field with every bad value, plus missing
    required fields and an unknown field."""
    found = []
    cases = [({}, False), ({"no_such_field": 1}, True)]
    cases += [({name: value}, True) for name in schema.fields for value in BAD_VALUES]
    for data, partial in cases:
        for path, messages in field_paths(_messages(schema, data, partial)).items():
            found.extend((path, message) for message in messages)
    return found


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda s: type(s).__name__)
def test_every_message_of_every_field_has_a_code(schema: Schema):
    found = _all_messages(schema)
    assert found
    for path, message in found:
        assert isinstance(message, Coded), f"{type(schema).__name__}.{path}: {message!r}"
        assert message.code in CODES, (path, message.code)
        assert set(message.params) == PARAMS[message.code], (path, message.code, message.params)
        if message.code == "invalid":
            assert message.params["type"] in TYPES, (path, message.params)
    # every field of the schema was refused at least once
    refused = {path.split(".")[0] for path, _ in found}
    assert set(schema.fields) <= refused | {"kind"} or not schema.fields


def test_coded_errors_pairs_each_message_with_its_code_and_dotted_field():
    body = {
        "device_id": "",
        "mutations": [
            {
                "mutation_id": "nope",
                "entity": "visit",
                "record_id": "7d1e2c1a-44b5-4c9b-9d4e-1a2b3c4d5e6f",
                "op": "fly",
                "photos": [{"sha256": "ABC", "position": 10_001, "colour": "red"}],
            }
        ],
    }
    with pytest.raises(ValidationError) as caught:
        PushRequestSchema().load(body)
    errors, codes = coded_errors(caught.value.messages)
    assert errors == {
        "device_id": ["Length must be between 1 and 64."],
        "mutations.0.mutation_id": ["Not a valid UUID."],
        "mutations.0.op": ["Must be one of: create, update, delete, transition."],
        "mutations.0.photos.0.sha256": ["A lower-case hex SHA-256."],
        "mutations.0.photos.0.position": [
            "Must be greater than or equal to 0 and less than or equal to 10000."
        ],
        "mutations.0.photos.0.colour": ["Unknown field."],
    }
    assert codes == [
        {"field": "device_id", "code": "length_between", "params": {"min": 1, "max": 64}},
        {"field": "mutations.0.mutation_id", "code": "invalid", "params": {"type": "uuid"}},
        {
            "field": "mutations.0.op",
            "code": "one_of",
            "params": {"choices": ["create", "update", "delete", "transition"]},
        },
        {"field": "mutations.0.photos.0.sha256", "code": "pattern", "params": {}},
        {
            "field": "mutations.0.photos.0.position",
            "code": "out_of_range",
            "params": {"min": 0, "max": 10_000},
        },
        {"field": "mutations.0.photos.0.colour", "code": "unknown_field", "params": {}},
    ]


def test_a_time_without_an_offset_is_refused_as_naive():
    errors, codes = coded_errors(
        _messages(ENTITY_FIELDS["visit"], {"visited_at": "2026-03-01T09:30:00"}, True)
    )
    assert codes == [{"field": "visited_at", "code": "naive_datetime", "params": {}}]
    assert errors["visited_at"] == ["Not a valid aware datetime."]
