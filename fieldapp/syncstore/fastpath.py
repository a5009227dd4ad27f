"""The common case of a push envelope, checked without marshmallow's per-field machinery.

A well-formed create, update or delete without photos or a device time is recognised here in
a few microseconds; anything else — including every malformed mutation — goes through
MutationSchema, which stays the single source of truth for what is valid and for the error
messages. The two agree on every mutation this accepts (tests/sync/test_fastpath.py).
"""

from __future__ import annotations

import re
from typing import Any

from fieldapp.syncstore.tables import PUSHABLE

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_KEYS = frozenset({"mutation_id", "entity", "record_id", "op", "base_version", "fields"})
_SIMPLE_OPS = ("create", "update", "delete")
_PUSHABLE = frozenset(PUSHABLE)


def simple_envelope(raw: Any) -> dict[str, Any] | None:
    """The MutationSchema output for a plainly valid mutation, or None to use the schema."""
    if type(raw) is not dict or not raw.keys() <= _KEYS:
        return None
    mutation_id, record_id = raw.get("mutation_id"), raw.get("record_id")
    entity, op, base = raw.get("entity"), raw.get("op"), raw.get("base_version")
    changes = raw.get("fields", {})
    if (
        type(mutation_id) is not str
        or type(record_id) is not str
        or type(entity) is not str
        or entity not in _PUSHABLE
        or type(op) is not str
        or op not in _SIMPLE_OPS
        or type(changes) is not dict
        or not _UUID.match(mutation_id)
        or not _UUID.match(record_id)
    ):
        return None
    if base is None:
        if op != "create":
            return None
    elif type(base) is not int or base < 0:
        return None
    return {
        "mutation_id": mutation_id,
        "entity": entity,
        "record_id": record_id,
        "op": op,
        "base_version": base,
        "changes": dict(changes),
        "transition": None,
        "photos": [],
        "observed_at": None,
    }
