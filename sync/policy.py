"""The rules the engine asks about: what a field may hold and who may do what.

The engine is generic; the application supplies a Policy (validation with its schemas, district
scope, the concern workflow). Keeping the rules behind this seam keeps `sync/` free of Flask,
SQLAlchemy and marshmallow.
"""

from __future__ import annotations

from typing import Any, Protocol

from sync.model import Actor, Mutation, Record, TransitionPlan


class Lookup(Protocol):
    """Records as the batch sees them so far, created-in-this-batch included."""

    def get(self, entity: str, record_id: str) -> Record | None: ...


class Policy(Protocol):
    def prepare(
        self, mutation: Mutation, record: Record | None, actor: Actor, lookup: Lookup
    ) -> dict[str, Any]:
        """Validate a create or update; return the values to store (derived ones included).

        `record` is the current state for an update (None for a create). Raises Rejection.
        """
        ...

    def item_maps(self, entity: str) -> frozenset[str]:
        """Fields of `entity` holding a map merged item by item (an inspection's scores).

        `prepare` returns such a field whole: the current map with the items the update sent
        (an item sent as None removed). The engine then versions, merges and notes conflicts
        per item, as "<field>.<key>"."""
        ...

    def authorise(self, op: str, record: Record, actor: Actor, lookup: Lookup) -> None:
        """May `actor` do `op` to `record` (for a create: the record as it would be)?"""
        ...

    def plan_transition(
        self, mutation: Mutation, record: Record, actor: Actor, lookup: Lookup
    ) -> TransitionPlan:
        """Check a workflow transition and say what it changes. Raises Rejection."""
        ...

    def district_hint(self, mutation: Mutation, lookup: Lookup) -> str | None:
        """The district a mutation concerns, for routing its quarantine entry."""
        ...
