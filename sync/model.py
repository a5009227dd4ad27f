"""The values the merge engine takes and gives: plain dataclasses, no database, no HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sync.problems import FieldProblems

OPS = ("create", "update", "delete", "transition")

# Outcome statuses, as the device sees them.
APPLIED = "applied"
MERGED = "merged"
CONFLICT = "conflict"
REJECTED = "rejected"
DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True)
class Capture:
    """Where and when a photo was taken, as the phone knew it (docs/sync-protocol.md).

    `exif_*` and `camera_*` come from the original's EXIF, read before resizing drops it;
    `attached_at` and `device_*` are the phone's own clock and position when the photo was
    attached to the record. Any of them may be unknown (None)."""

    exif_taken_at: datetime | None = None
    exif_lat: float | None = None
    exif_lon: float | None = None
    camera_make: str | None = None
    camera_model: str | None = None
    attached_at: datetime | None = None
    device_lat: float | None = None
    device_lon: float | None = None
    device_accuracy_m: float | None = None


@dataclass(frozen=True, slots=True)
class PhotoRef:
    """A record naming a photo by the SHA-256 of the bytes the device will upload."""

    sha256: str
    item_key: str = ""
    caption: str = ""
    position: int = 0
    role: str = "before"
    remove: bool = False
    capture: Capture | None = None


@dataclass(frozen=True, slots=True)
class Mutation:
    """One change a device made offline; `payload` is what it sent, kept verbatim."""

    mutation_id: str
    entity: str
    record_id: str
    op: str
    base_version: int = 0
    fields: dict[str, Any] = field(default_factory=dict)
    transition: dict[str, Any] | None = None
    photos: tuple[PhotoRef, ...] = ()
    observed_at: datetime | None = None
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Writer:
    """Who last wrote a field: lets a device's own later edit supersede its earlier one."""

    user_id: int | None
    device_id: str | None
    mutation_id: str | None


@dataclass(slots=True)
class Record:
    """A synced record as the engine sees it: server metadata plus its field values."""

    entity: str
    id: str
    values: dict[str, Any]
    version: int = 1
    field_versions: dict[str, int] = field(default_factory=dict)
    deleted: bool = False
    created_by_id: int | None = None
    device_id: str | None = None
    observed_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # who last wrote each field: field -> Writer; "*" is the writer of every field not listed
    writers: dict[str, Writer] = field(default_factory=dict)

    def writer_of(self, name: str) -> Writer | None:
        return self.writers.get(name) or self.writers.get("*")

    @property
    def district_code(self) -> str | None:
        return self.values.get("district_code")

    @property
    def assignee_id(self) -> int | None:
        return self.values.get("assignee_id")

    def copy(self) -> Record:
        return Record(
            self.entity,
            self.id,
            dict(self.values),
            self.version,
            dict(self.field_versions),
            self.deleted,
            self.created_by_id,
            self.device_id,
            self.observed_at,
            self.created_at,
            self.updated_at,
            dict(self.writers),
        )


@dataclass(frozen=True, slots=True)
class Actor:
    """Who sends the mutations: the user behind the device token, reduced to what rules need."""

    user_id: int
    role: str
    device_id: str
    district_codes: frozenset[str] = frozenset()
    province_wide: bool = False
    permissions: frozenset[str] = frozenset()

    def in_scope(self, district_code: str | None) -> bool:
        return self.province_wide or (
            district_code is not None and district_code in self.district_codes
        )

    def may(self, permission: str) -> bool:
        return permission in self.permissions


@dataclass(slots=True)
class ConflictNote:
    """The same field edited twice: the later arrival's value was kept, the other is here."""

    entity: str
    record_id: str
    field: str
    kept_value: Any
    lost_value: Any
    kept_mutation_id: str | None
    lost_mutation_id: str | None = None
    kept_by_id: int | None = None
    lost_by_id: int | None = None
    district_code: str | None = None
    id: int | None = None  # set by the store once written

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "field": self.field,
            "kept_value": self.kept_value,
            "lost_value": self.lost_value,
            "kept_mutation_id": self.kept_mutation_id,
            "lost_mutation_id": self.lost_mutation_id,
            "state": "open",
        }


class Rejection(Exception):
    """A mutation that cannot be applied; it goes to quarantine with this reason.

    `problems` are its per-field problems, each with a code (`errors` and `error_codes` on
    the wire); a plain `errors` dict with `error_codes` beside it is taken as well."""

    def __init__(
        self,
        reason: str,
        detail: str = "",
        problems: FieldProblems | dict[str, Any] | None = None,
        error_codes: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = detail
        if not isinstance(problems, FieldProblems):
            coded = FieldProblems()
            coded.add_coded(problems or {}, error_codes or [])
            problems = coded
        self.problems = problems

    @property
    def errors(self) -> dict[str, list[str]]:
        return self.problems.errors

    @property
    def error_codes(self) -> list[dict[str, Any]]:
        return self.problems.codes


@dataclass(slots=True)
class Outcome:
    """The answer to one mutation."""

    mutation_id: str
    status: str
    entity: str
    record_id: str
    version: int | None = None
    conflicts: list[ConflictNote] = field(default_factory=list)
    reason: str | None = None
    detail: str = ""
    errors: dict[str, Any] = field(default_factory=dict)
    # one {field, code, params} per message of `errors`, for the device to word
    error_codes: list[dict[str, Any]] = field(default_factory=list)
    # for duplicates: the first outcome, as stored (or as answered earlier in this batch)
    original: dict[str, Any] | Outcome | None = None
    quarantine_id: int | None = None  # set by the store
    # the record as this mutation left it (applied, merged, conflict); never stored
    record: Record | None = None

    def stored(self) -> dict[str, Any]:
        """The outcome as kept for replays: small, JSON-ready, without the record."""
        out: dict[str, Any] = {
            "status": self.status,
            "entity": self.entity,
            "record_id": self.record_id,
        }
        if self.version is not None:
            out["version"] = self.version
        if self.conflicts:
            out["conflicts"] = [c.as_dict() for c in self.conflicts]
        if self.status == REJECTED:
            out.update(
                reason=self.reason,
                detail=self.detail,
                errors=self.errors,
                error_codes=self.error_codes,
                quarantine_id=self.quarantine_id,
            )
        return out


@dataclass(slots=True)
class TimelineNote:
    """A follow-up entry a transition appended to a concern's timeline."""

    entry_id: str
    concern_id: str
    kind: str
    action: str
    from_status: str | None
    to_status: str | None
    actor_id: int
    mutation_id: str


@dataclass(slots=True)
class RecordChange:
    """One write of one record, as history keeps it: the record before (None: created) and
    after, and what made the write (docs/architecture.md, Record history)."""

    before: Record | None
    after: Record
    op: str  # create, update, delete, transition; "server" for the server's own changes
    mutation_id: str | None = None
    action: str | None = None  # a transition's action, or the server change's name
    note: str | None = None  # a transition's note (a correction's reason)
    status: str = APPLIED  # the mutation's outcome: applied, merged or conflict


@dataclass(slots=True)
class BatchResult:
    """Everything the store must write after a batch: the engine never writes itself."""

    outcomes: list[Outcome] = field(default_factory=list)
    # (entity, id) -> final state, for every record the batch changed, in first-write order
    written: dict[tuple[str, str], Record] = field(default_factory=dict)
    # keys of `written` that did not exist before the batch
    created: set[tuple[str, str]] = field(default_factory=set)
    # (entity, id) -> the last-write order index, so the change feed follows the batch order
    write_order: dict[tuple[str, str], int] = field(default_factory=dict)
    # scope a record left: (entity, id, district_code, assignee_id) before the batch
    scope_exits: list[tuple[str, str, str | None, int | None]] = field(default_factory=list)
    conflicts: list[ConflictNote] = field(default_factory=list)
    # (mutation, outcome) for every mutation answered for the first time (not duplicates)
    answered: list[tuple[Mutation, Outcome]] = field(default_factory=list)
    rejected: list[tuple[Mutation, Outcome, str | None]] = field(default_factory=list)
    # (entity, record_id, photo ref) for the photo links to add or remove
    photos: list[tuple[str, str, PhotoRef]] = field(default_factory=list)
    timeline: list[TimelineNote] = field(default_factory=list)
    # every record write, in order, for the record history
    changes: list[RecordChange] = field(default_factory=list)


@dataclass(slots=True)
class TransitionPlan:
    """What an allowed workflow transition changes, and the timeline entries it appends."""

    action: str
    changes: dict[str, Any]
    # values of the follow-up entries: kind, body, from_status, to_status, data
    entries: list[dict[str, Any]] = field(default_factory=list)
