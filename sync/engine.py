"""Apply a batch of mutations to the current state: exactly once, field-level merge, quarantine.

`apply_batch` is a pure function of its inputs: the records the batch touches, the outcomes
already stored for its mutation ids, who sends it, and the application's Policy. It returns a
BatchResult the store writes in one transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sync.model import (
    APPLIED,
    CONFLICT,
    DUPLICATE,
    MERGED,
    REJECTED,
    Actor,
    BatchResult,
    ConflictNote,
    Mutation,
    Outcome,
    Record,
    RecordChange,
    Rejection,
    TimelineNote,
    Writer,
)
from sync.policy import Policy

# Follow-up entries made by a transition get ids derived from the mutation id, so replaying
# the same history anywhere makes the same records.
TIMELINE_NAMESPACE = uuid.UUID("0f5c3b0e-8d0b-4e55-9a52-65f1e1d0c0de")

Key = tuple[str, str]


def timeline_entry_id(mutation_id: str, index: int) -> str:
    return str(uuid.uuid5(TIMELINE_NAMESPACE, f"{mutation_id}/{index}"))


class BatchState:
    """The records of the batch: what was loaded, overlaid by what the batch wrote."""

    def __init__(self, records: Mapping[Key, Record]) -> None:
        self._records: dict[Key, Record] = dict(records)
        self.original: Mapping[Key, Record] = records

    def get(self, entity: str, record_id: str) -> Record | None:
        return self._records.get((entity, record_id))

    def put(self, record: Record) -> None:
        self._records[(record.entity, record.id)] = record


def apply_batch(
    mutations: list[Mutation],
    records: Mapping[Key, Record],
    stored_outcomes: Mapping[str, dict[str, Any]],
    actor: Actor,
    policy: Policy,
    now: datetime,
) -> BatchResult:
    """Apply `mutations` in order; one outcome each, none blocking the others."""
    batch = _Batch(BatchState(records), dict(stored_outcomes), actor, policy, now)
    for mutation in mutations:
        batch.apply(mutation)
    batch.finish()
    return batch.result


class _Batch:
    def __init__(
        self,
        state: BatchState,
        stored: dict[str, dict[str, Any]],
        actor: Actor,
        policy: Policy,
        now: datetime,
    ) -> None:
        self.state = state
        self.stored = stored
        self.actor = actor
        self.policy = policy
        self.now = now
        self.result = BatchResult()
        self._writes = 0
        self._answered: dict[str, Outcome] = {}
        self._mutation: Mutation | None = None  # the mutation being applied (for history)
        self._action: str | None = None  # its transition's action

    # -- dispatch ---------------------------------------------------------------------------

    def apply(self, m: Mutation) -> None:
        earlier = self._answered.get(m.mutation_id)
        first = self.stored.get(m.mutation_id)
        if earlier is not None or first is not None:
            entity = earlier.entity if earlier else first.get("entity") or m.entity
            record_id = earlier.record_id if earlier else first.get("record_id") or m.record_id
            version = earlier.version if earlier else first.get("version")
            self.result.outcomes.append(
                Outcome(
                    m.mutation_id,
                    DUPLICATE,
                    entity,
                    record_id,
                    version=version,
                    original=earlier or first,
                )
            )
            return
        self._mutation, self._action = m, None
        first_change = len(self.result.changes)
        try:
            outcome = self._apply(m)
        except Rejection as rejection:
            outcome = Outcome(
                m.mutation_id,
                REJECTED,
                m.entity,
                m.record_id,
                reason=rejection.reason,
                detail=rejection.detail,
                errors=rejection.errors,
                error_codes=rejection.error_codes,
            )
            self.result.rejected.append((m, outcome, self._district_of(m)))
        else:
            for ref in m.photos:
                self.result.photos.append((m.entity, m.record_id, ref))
            for change in self.result.changes[first_change:]:
                change.status = outcome.status
            # what this mutation left, not what the end of the batch holds
            outcome.record = self.state.get(outcome.entity, outcome.record_id)
        self._answered[m.mutation_id] = outcome
        self.result.outcomes.append(outcome)
        self.result.answered.append((m, outcome))

    def _apply(self, m: Mutation) -> Outcome:
        current = self.state.get(m.entity, m.record_id)
        if m.op == "create":
            if current is None:
                return self._create(m)
            if current.deleted:
                raise Rejection("deleted", "The record was deleted on the server.")
            # The record exists (an earlier create under another mutation id): merge into it.
            return self._update(m, current, base=0)
        if current is None:
            raise Rejection("not_found", f"The server has no {m.entity} {m.record_id}.")
        if current.deleted:
            if m.op == "delete":
                return Outcome(m.mutation_id, APPLIED, m.entity, m.record_id, current.version)
            raise Rejection("deleted", "The record was deleted on the server.")
        if m.base_version > current.version:
            raise Rejection(
                "invalid_base_version",
                f"base_version {m.base_version} is newer than the server's {current.version}.",
            )
        if m.op == "update":
            return self._update(m, current, m.base_version)
        if m.op == "delete":
            return self._delete(m, current)
        return self._transition(m, current)

    # -- operations ---------------------------------------------------------------------------

    def _writer(self, m: Mutation) -> Writer:
        return Writer(self.actor.user_id, self.actor.device_id, m.mutation_id)

    def _new_record(
        self, m: Mutation, entity: str, record_id: str, values: dict[str, Any]
    ) -> Record:
        """A record `m` creates: version 1, every field written by this actor (a field not in
        field_versions last changed at version 1)."""
        return Record(
            entity,
            record_id,
            values,
            created_by_id=self.actor.user_id,
            device_id=self.actor.device_id,
            observed_at=m.observed_at,
            created_at=self.now,
            updated_at=self.now,
            writers={"*": self._writer(m)},
        )

    def _create(self, m: Mutation) -> Outcome:
        values = self.policy.prepare(m, None, self.actor, self.state)
        record = self._new_record(m, m.entity, m.record_id, values)
        self.policy.authorise("create", record, self.actor, self.state)
        self._store(record, created=True)
        return Outcome(m.mutation_id, APPLIED, m.entity, m.record_id, 1)

    def _update(self, m: Mutation, current: Record, base: int) -> Outcome:
        self.policy.authorise("update", current, self.actor, self.state)
        values = self.policy.prepare(m, current, self.actor, self.state)
        changed: dict[str, Any] = {}
        # item map -> the "<map>.<key>" of its items that changed (versioned instead of the map)
        items: dict[str, list[str]] = {}
        conflicts: list[ConflictNote] = []
        maps = self.policy.item_maps(m.entity)
        for name, value in values.items():
            old = current.values.get(name)
            if old == value:
                continue
            if name in maps and isinstance(old, dict) and isinstance(value, dict):
                items[name] = self._merge_items(m, current, name, base, old, value, conflicts)
            elif name in m.fields:
                note = self._conflict(m, current, name, name, base, value, old)
                if note is not None:
                    conflicts.append(note)
            changed[name] = value
        district = values.get("district_code", current.district_code)
        for note in conflicts:
            note.district_code = district
        record = current
        if changed or m.photos:  # a photo added or removed is a change too
            record = self._changed(current, changed, m, items)
            if record.district_code != current.district_code:
                self.policy.authorise("update", record, self.actor, self.state)
            self._store(record)
        self.result.conflicts.extend(conflicts)
        status = CONFLICT if conflicts else (MERGED if base < current.version else APPLIED)
        return Outcome(m.mutation_id, status, m.entity, m.record_id, record.version, conflicts)

    def _merge_items(
        self,
        m: Mutation,
        current: Record,
        name: str,
        base: int,
        old: dict[str, Any],
        new: dict[str, Any],
        conflicts: list[ConflictNote],
    ) -> list[str]:
        """The items of map `name` that changed; a note for each the device sent that someone
        else changed after `base`. Edits of different items by different people both stay."""
        sent = m.fields.get(name)
        sent_keys = sent.keys() if isinstance(sent, dict) else ()
        changed = []
        for key in sorted(old.keys() | new.keys()):
            if old.get(key) == new.get(key):
                continue
            item = f"{name}.{key}"
            if key in sent_keys:
                note = self._conflict(m, current, item, name, base, new.get(key), old.get(key))
                if note is not None:
                    conflicts.append(note)
            changed.append(item)
        return changed

    def _conflict(
        self,
        m: Mutation,
        current: Record,
        name: str,
        parent: str,
        base: int,
        kept: Any,
        lost: Any,
    ) -> ConflictNote | None:
        """A note when `name` (a field, or an item of the map `parent`) changed on the server
        after the version the device started from, by someone else's device."""
        versions = current.field_versions
        if versions.get(name, versions.get(parent, 1)) <= base:
            return None
        lost_writer = current.writers.get(name) or current.writer_of(parent)
        if lost_writer is not None and lost_writer.device_id == self.actor.device_id:
            return None  # the device's own earlier edit: superseded, not a conflict
        return ConflictNote(
            m.entity,
            m.record_id,
            name,
            kept_value=kept,
            lost_value=lost,
            kept_mutation_id=m.mutation_id,
            lost_mutation_id=lost_writer.mutation_id if lost_writer else None,
            kept_by_id=self.actor.user_id,
            lost_by_id=lost_writer.user_id if lost_writer else None,
        )

    def _delete(self, m: Mutation, current: Record) -> Outcome:
        self.policy.authorise("delete", current, self.actor, self.state)
        record = current.copy()
        record.deleted = True
        record.version += 1
        record.updated_at = self.now
        record.observed_at = m.observed_at or record.observed_at
        self._store(record)
        status = MERGED if m.base_version < current.version else APPLIED
        return Outcome(m.mutation_id, status, m.entity, m.record_id, record.version)

    def _transition(self, m: Mutation, current: Record) -> Outcome:
        plan = self.policy.plan_transition(m, current, self.actor, self.state)
        self._action = plan.action
        changed = {k: v for k, v in plan.changes.items() if current.values.get(k) != v}
        record = current
        if changed or m.photos:
            record = self._changed(current, changed, m)
            self._store(record)
        for index, entry in enumerate(plan.entries):
            entry_id = timeline_entry_id(m.mutation_id, index)
            values = {
                "concern_id": current.id,
                "district_code": record.district_code,
                "kind": entry["kind"],
                "body": entry.get("body") or "",
                "from_status": entry.get("from_status"),
                "to_status": entry.get("to_status"),
                "data": entry.get("data") or {},
            }
            timeline = self._new_record(m, "followup", entry_id, values)
            self._store(timeline, created=True)
            self.result.timeline.append(
                TimelineNote(
                    entry_id,
                    current.id,
                    entry["kind"],
                    plan.action,
                    entry.get("from_status"),
                    entry.get("to_status"),
                    self.actor.user_id,
                    m.mutation_id,
                )
            )
        status = MERGED if m.base_version < current.version else APPLIED
        return Outcome(m.mutation_id, status, m.entity, m.record_id, record.version)

    # -- bookkeeping ----------------------------------------------------------------------------

    def _changed(
        self,
        current: Record,
        changed: dict[str, Any],
        m: Mutation,
        items: dict[str, list[str]] | None = None,
    ) -> Record:
        """A copy of `current` with the changes, a new version and per-field versions.

        An item map changed item by item (a key of `items`) versions its changed items, not
        the map: the map's own version stays that of its last whole write, which is what the
        items never changed one by one fall back to."""
        items = items or {}
        record = current.copy()
        record.version += 1
        record.values.update(changed)
        writer = self._writer(m)
        for name in changed:
            for versioned in items.get(name, (name,)):
                record.field_versions[versioned] = record.version
                record.writers[versioned] = writer
        record.updated_at = self.now
        record.observed_at = m.observed_at or record.observed_at
        return record

    def _store(self, record: Record, created: bool = False) -> None:
        key = (record.entity, record.id)
        m = self._mutation
        if m is not None:
            note = (m.transition or {}).get("note") if m.op == "transition" else None
            before = None if created else self.state.get(*key)
            self.result.changes.append(
                RecordChange(before, record, m.op, m.mutation_id, self._action, note)
            )
        self.state.put(record)
        self.result.written.pop(key, None)
        self.result.written[key] = record
        self._writes += 1
        self.result.write_order[key] = self._writes
        if created:
            self.result.created.add(key)

    def _district_of(self, m: Mutation) -> str | None:
        current = self.state.get(m.entity, m.record_id)
        if current is not None and current.district_code:
            return current.district_code
        try:
            return self.policy.district_hint(m, self.state)
        except Exception:  # a hint is best effort: a malformed mutation has none
            return None

    def finish(self) -> None:
        """Note the scopes records left, so devices that saw them are told to drop them."""
        for key, record in self.result.written.items():
            before = self.state.original.get(key)
            if before is None:
                continue
            if (before.district_code, before.assignee_id) != (
                record.district_code,
                record.assignee_id,
            ):
                self.result.scope_exits.append(
                    (key[0], key[1], before.district_code, before.assignee_id)
                )
