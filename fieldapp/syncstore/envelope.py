"""Turn checked push envelopes into the engine's Mutations, keeping each verbatim."""

from __future__ import annotations

from typing import Any

from sync import Mutation, PhotoRef


def mutation_from_envelope(loaded: dict[str, Any], raw: dict[str, Any]) -> Mutation:
    """`loaded` is the MutationSchema output, `raw` what the device sent (for quarantine)."""
    return Mutation(
        mutation_id=loaded["mutation_id"],
        entity=loaded["entity"],
        record_id=loaded["record_id"],
        op=loaded["op"],
        base_version=loaded.get("base_version") or 0,
        fields=loaded.get("changes") or {},
        transition=loaded.get("transition"),
        photos=tuple(PhotoRef(**photo) for photo in loaded.get("photos") or ()),
        observed_at=loaded.get("observed_at"),
        payload=raw,
    )
