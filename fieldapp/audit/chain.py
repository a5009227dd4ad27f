"""Hash chain of the audit log: canonical serialisation, hashing, verifying a sequence.

Each entry's hash is SHA-256 over a canonical JSON of its content and the previous entry's
hash, so editing, inserting or deleting any entry breaks every later link (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fieldapp.utc import as_utc

GENESIS = "0" * 64
HASHED_FIELDS = ("position", "at", "actor_id", "action", "entity", "record_id", "details")


@dataclass(frozen=True)
class ChainEntry:
    """One stored audit entry as the verifier sees it."""

    position: int
    at: datetime
    actor_id: int | None
    action: str
    entity: str | None
    record_id: str | None
    details: Mapping[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Break:
    """The first place where the stored chain differs from what was written."""

    position: int
    kind: str  # "edited", "inserted" or "deleted"
    reason: str


@dataclass(frozen=True)
class Verdict:
    entries: int
    head_position: int
    head_hash: str
    first_break: Break | None


def iso_time(at: datetime) -> str:
    """UTC with an explicit offset; a naive time (SQLite reads them back so) is UTC."""
    return as_utc(at).isoformat(timespec="microseconds")


def canonical(content: Mapping[str, Any], prev_hash: str) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the same bytes on every server and database."""
    body = {name: content[name] for name in HASHED_FIELDS}
    body["at"] = iso_time(body["at"])
    body["prev_hash"] = prev_hash
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(content: Mapping[str, Any], prev_hash: str) -> str:
    return hashlib.sha256(canonical(content, prev_hash)).hexdigest()


def _content(entry: ChainEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in HASHED_FIELDS}


def _content_break(entry: ChainEntry) -> Break:
    """The hash fails: an entry renumbered after a deletion or an insertion, or an edit."""
    content = _content(entry)
    for shift, kind in ((1, "deleted"), (-1, "inserted")):
        if (
            entry_hash(dict(content, position=entry.position + shift), entry.prev_hash)
            == entry.hash
        ):
            where = entry.position if kind == "deleted" else entry.position - 1
            return Break(where, kind, f"entries after it were renumbered by {-shift:+d}")
    return Break(entry.position, "edited", "the hash does not match the content")


def _link_break(entry: ChainEntry, seen: dict[str, int]) -> Break:
    """prev_hash does not name the entry before: one was put in, or one was taken out."""
    earlier = seen.get(entry.prev_hash)
    if earlier is not None and earlier == entry.position - 2:
        return Break(entry.position - 1, "inserted", "an entry was put in before this one")
    return Break(entry.position, "deleted", "prev_hash names no entry before this one")


def first_break(entries: Iterable[ChainEntry], start: tuple[int, str] = (0, GENESIS)) -> Verdict:
    """Walk entries in position order from `start` (position, hash) and find the first break."""
    expected, prev = start[0] + 1, start[1]
    seen: dict[str, int] = {prev: start[0]}
    count, head = 0, start
    for entry in entries:
        count += 1
        problem = None
        if entry.position < expected:
            problem = Break(entry.position, "inserted", "a second entry at this position")
        elif entry.position > expected:
            problem = Break(expected, "deleted", f"positions jump to {entry.position}")
        elif entry_hash(_content(entry), entry.prev_hash) != entry.hash:
            problem = _content_break(entry)
        elif entry.prev_hash != prev:
            problem = _link_break(entry, seen)
        if problem:
            return Verdict(count, head[0], head[1], problem)
        seen[entry.hash] = entry.position
        expected, prev, head = expected + 1, entry.hash, (entry.position, entry.hash)
    return Verdict(count, head[0], head[1], None)
