"""Computing and keeping the evidence checks of resolved concerns (docs/evidence.md).

Checked when a concern is resolved (in the push's transaction, fieldapp/syncstore/write.py)
and again when an after-photo's bytes arrive (fieldapp/photos/uploads.py): the checks that
need the bytes are pending until then. Never commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select

from fieldapp.evidence.checks import (
    FAILED,
    PASSED,
    PENDING,
    UNKNOWN,
    EvidenceRules,
    Likeness,
    Match,
    closest_likeness,
    distance_check,
    time_check,
)
from fieldapp.evidence.settings import evidence_rules
from fieldapp.extensions import db
from fieldapp.models import Concern, EvidenceCheck, Photo, PhotoHashBand, PhotoLink
from fieldapp.models.base import utcnow
from fieldapp.photos.likeness import BANDS, bands
from fieldapp.photos.provenance import CAPTURE_COLUMNS, Provenance, decide_capture
from fieldapp.utc import aware
from sync import Capture

CHECKS = ("time", "distance", "reuse", "phash")
_LINKS = PhotoLink.__table__
_PHOTOS = Photo.__table__
_CHECKS = EvidenceCheck.__table__
_BANDS = PhotoHashBand.__table__


@dataclass(frozen=True)
class ConcernFacts:
    id: str
    reported_at: Any
    position: tuple[float, float] | None


def check_concerns(concern_ids: Iterable[str], rules: EvidenceRules | None = None) -> None:
    """(Re)compute the checks of each concern's after-photos, replacing what was kept."""
    rules = rules or evidence_rules()
    for concern_id in sorted(set(concern_ids)):
        _check_concern(concern_id, rules)


def recheck_photo(sha256: str) -> None:
    """A photo's bytes arrived: the concerns holding it as an after-photo are checked again."""
    concern_ids = db.session.scalars(
        select(_CHECKS.c.concern_id).where(_CHECKS.c.sha256 == sha256)
    ).all()
    if concern_ids:
        check_concerns(concern_ids)


def open_findings(concern_ids: Iterable[str]) -> dict[str, list[str]]:
    """Per concern, the checks failed or still pending on any after-photo, in CHECKS order."""
    ids = sorted(set(concern_ids))
    found: dict[str, set[str]] = {}
    if not ids:
        return {}
    for row in db.session.execute(select(_CHECKS).where(_CHECKS.c.concern_id.in_(ids))):
        for name in CHECKS:
            if getattr(row, f"{name}_result") in (FAILED, PENDING):
                found.setdefault(row.concern_id, set()).add(name)
    return {cid: [n for n in CHECKS if n in names] for cid, names in found.items()}


def after_photo_counts(concern_ids: Iterable[str]) -> dict[str, set[str]]:
    """Per concern, the SHA-256 of the after-photos it names now."""
    ids = sorted(set(concern_ids))
    found: dict[str, set[str]] = {cid: set() for cid in ids}
    if ids:
        rows = db.session.execute(
            select(_LINKS.c.record_id, _LINKS.c.sha256).where(
                _LINKS.c.entity == "concern", _LINKS.c.role == "after", _LINKS.c.record_id.in_(ids)
            )
        )
        for record_id, sha256 in rows:
            found[record_id].add(sha256)
    return found


def _check_concern(concern_id: str, rules: EvidenceRules) -> None:
    row = db.session.execute(
        select(Concern.reported_at, Concern.lat, Concern.lon).where(Concern.id == concern_id)
    ).one_or_none()
    db.session.execute(delete(_CHECKS).where(_CHECKS.c.concern_id == concern_id))
    if row is None:
        return
    position = (row.lat, row.lon) if row.lat is not None and row.lon is not None else None
    concern = ConcernFacts(concern_id, aware(row.reported_at), position)
    links = db.session.execute(
        select(_LINKS).where(
            _LINKS.c.entity == "concern",
            _LINKS.c.record_id == concern_id,
        )
    ).all()
    after = [link for link in links if link.role == "after"]
    if not after:
        return
    own_before = {link.sha256 for link in links if link.role != "after"}
    own_after = {link.sha256 for link in after}
    shas = sorted(own_after)
    query = select(_PHOTOS).where(_PHOTOS.c.sha256.in_(shas))
    photos = {p.sha256: p for p in db.session.execute(query)}
    # one row per photo, even if it is linked twice (under two checklist items)
    first = {link.sha256: link for link in sorted(after, key=lambda link: link.id, reverse=True)}
    rows = [
        _check_photo(concern, first[sha], photos.get(sha), own_before, own_after, rules)
        for sha in shas
    ]
    db.session.execute(insert(_CHECKS), rows)


def _check_photo(
    concern: ConcernFacts,
    link: Any,
    photo: Any,
    own_before: set[str],
    own_after: set[str],
    rules: EvidenceRules,
) -> dict[str, Any]:
    sent = Capture(
        **{
            name: aware(value) if name.endswith("_at") and value is not None else value
            for name in CAPTURE_COLUMNS
            for value in (getattr(link, name),)
        }
    )
    stored = None
    if photo is not None:
        taken = aware(photo.taken_at) if photo.taken_at else None
        stored = Provenance(taken, photo.gps_lat, photo.gps_lon, photo.camera)
    facts = decide_capture(sent, stored)
    position = (facts.lat, facts.lon) if facts.lat is not None else None
    time_result, minutes = time_check(facts.taken_at, concern.reported_at)
    distance_result, metres = distance_check(position, concern.position, rules)
    if photo is None:  # the bytes may still bring EXIF: wait for them before "unknown"
        time_result = PENDING if facts.taken_at is None else time_result
        distance_result = PENDING if position is None else distance_result
    reused_on = _reused_on(concern.id, link.sha256)
    match = _likeness(concern.id, photo, own_before, own_after, rules) if photo else None
    if photo is None:
        phash_result = PENDING
    elif photo.phash is None:
        phash_result = UNKNOWN  # stored before photos were hashed
    else:
        phash_result = FAILED if match else PASSED
    return {
        "concern_id": concern.id,
        "sha256": link.sha256,
        "taken_at": facts.taken_at,
        "time_source": facts.time_source,
        "lat": facts.lat,
        "lon": facts.lon,
        "position_source": facts.position_source,
        "time_result": time_result,
        "minutes_after": minutes,
        "distance_result": distance_result,
        "metres": metres,
        "limit_metres": round(rules.max_metres),
        "reuse_result": FAILED if reused_on else PASSED,
        "reuse_concern_id": reused_on,
        "phash_result": phash_result,
        "phash_distance": match.bits if match else None,
        "phash_match_sha256": match.sha256 if match else None,
        "phash_match_concern_id": _concern_of(match, concern.id) if match else None,
        "phash_match_kind": match.kind if match else None,
        "checked_at": utcnow(),
    }


def _reused_on(concern_id: str, sha256: str) -> str | None:
    """Another concern that holds these very bytes as evidence, if any."""
    return db.session.scalars(
        select(_LINKS.c.record_id)
        .where(
            _LINKS.c.entity == "concern",
            _LINKS.c.role == "after",
            _LINKS.c.sha256 == sha256,
            _LINKS.c.record_id != concern_id,
        )
        .order_by(_LINKS.c.created_at, _LINKS.c.record_id)
        .limit(1)
    ).first()


def _likeness(
    concern_id: str, photo: Any, own_before: set[str], own_after: set[str], rules: EvidenceRules
) -> Match | None:
    """The earlier photo this one is a copy of (re-encoded, resized or the very bytes)."""
    if photo.phash is None:
        return None
    if photo.sha256 in own_before:
        return Match(0, photo.sha256, "before_photo")
    elsewhere = db.session.scalars(
        select(_LINKS.c.sha256)
        .where(
            _LINKS.c.sha256 == photo.sha256,
            (_LINKS.c.entity != "concern") | (_LINKS.c.record_id != concern_id),
        )
        .limit(1)
    ).first()
    if elsewhere is not None:  # the same bytes, named by another record
        return Match(0, photo.sha256, "earlier_photo")
    phash = int(photo.phash, 16)
    query = select(_PHOTOS.c.sha256, _PHOTOS.c.phash).where(
        _PHOTOS.c.phash.is_not(None),
        _PHOTOS.c.sha256 != photo.sha256,
        _PHOTOS.c.created_at <= photo.created_at,
    )
    if rules.phash_max_bits < BANDS:  # look-alikes share a byte: read only those (pigeonhole)
        shared = or_(*(and_(_BANDS.c.band == b, _BANDS.c.value == v) for b, v in bands(phash)))
        query = query.where(_PHOTOS.c.sha256.in_(select(_BANDS.c.sha256).where(shared)))
    earlier = db.session.execute(query)
    others = (
        Likeness(int(phash, 16), sha, "before_photo" if sha in own_before else "earlier_photo")
        for sha, phash in earlier
        if sha not in own_after
    )
    return closest_likeness(phash, others, rules)


def _concern_of(match: Match, concern_id: str) -> str | None:
    """The concern the matching photo belongs to (this one for its own before-photo)."""
    if match.kind == "before_photo":
        return concern_id
    return db.session.scalars(
        select(_LINKS.c.record_id)
        .where(
            _LINKS.c.entity == "concern",
            _LINKS.c.sha256 == match.sha256,
            _LINKS.c.record_id != concern_id,
        )
        .order_by(_LINKS.c.created_at)
        .limit(1)
    ).first()
