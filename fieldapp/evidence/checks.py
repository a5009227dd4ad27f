"""The evidence checks of one after-photo, as plain facts in and results out. Pure.

Each check answers passed, failed, unknown (no time or position to judge by: never "passed")
or pending (it needs the photo's bytes, which have not arrived). docs/evidence.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from fieldapp.photos.likeness import hamming

PASSED, FAILED, UNKNOWN, PENDING = "passed", "failed", "unknown", "pending"
EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class EvidenceRules:
    """How far from the concern an after-photo may be, and how alike two photos may look."""

    max_metres: float = 200.0
    phash_max_bits: int = 6


@dataclass(frozen=True)
class Likeness:
    """Another photo the after-photo is compared with."""

    phash: int
    sha256: str
    kind: str  # "before_photo" (this concern's own) or "earlier_photo"


@dataclass(frozen=True)
class Match:
    bits: int
    sha256: str
    kind: str


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine): plenty for a few hundred metres or kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


def time_check(taken_at: datetime | None, reported_at: datetime) -> tuple[str, int | None]:
    """Taken after the concern was reported? With the minutes between (negative: before)."""
    if taken_at is None:
        return UNKNOWN, None
    minutes = math.floor((taken_at - reported_at).total_seconds() / 60)
    return (PASSED if taken_at >= reported_at else FAILED), minutes


def distance_check(
    position: tuple[float, float] | None,
    concern: tuple[float, float] | None,
    rules: EvidenceRules,
) -> tuple[str, int | None]:
    """Taken within `max_metres` of the concern? With the metres between."""
    if position is None or concern is None:
        return UNKNOWN, None
    metres = metres_between(*position, *concern)
    return (PASSED if metres <= rules.max_metres else FAILED), round(metres)


def closest_likeness(phash: int, others: Iterable[Likeness], rules: EvidenceRules) -> Match | None:
    """The most alike photo within `phash_max_bits`; this concern's own before-photo is
    preferred over any other at the same distance, then the lowest SHA-256 (stable)."""
    best: Match | None = None
    for other in others:
        bits = hamming(phash, other.phash)
        if bits > rules.phash_max_bits:
            continue
        candidate = Match(bits, other.sha256, other.kind)
        if best is None or _rank(candidate) < _rank(best):
            best = candidate
    return best


def _rank(match: Match) -> tuple[int, int, str]:
    return match.bits, 0 if match.kind == "before_photo" else 1, match.sha256
