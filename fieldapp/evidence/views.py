"""A concern's evidence checks as a supervisor reads them before closing (docs/evidence.md)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from fieldapp.auth.visibility import may_see_evidence, scope_of
from fieldapp.evidence.checks import FAILED, PASSED, PENDING, UNKNOWN
from fieldapp.evidence.settings import evidence_rules
from fieldapp.evidence.store import CHECKS
from fieldapp.extensions import db
from fieldapp.models import Concern, EvidenceCheck
from fieldapp.utc import aware
from sync import Actor

# the overall verdict of many results: the worst one
_SEVERITY = (FAILED, PENDING, UNKNOWN, PASSED)


def evidence_view(concern: Concern, actor: Actor) -> dict[str, Any] | None:
    """The checks of each after-photo with their figures; None if the actor may not see them."""
    if not may_see_evidence(actor, scope_of("concern", concern)):
        return None
    rows = db.session.scalars(
        select(EvidenceCheck)
        .where(EvidenceCheck.concern_id == concern.id)
        .order_by(EvidenceCheck.sha256)
    ).all()
    named = _concerns_shown(actor, rows, concern)
    photos = [_photo(row, named) for row in rows]
    results = [p["checks"][name]["result"] for p in photos for name in CHECKS]
    open_checks = [
        name
        for name in CHECKS
        if any(p["checks"][name]["result"] in (FAILED, PENDING) for p in photos)
    ]
    return {
        "concern_id": concern.id,
        "result": next((r for r in _SEVERITY if r in results), None),
        "max_distance_m": round(evidence_rules().max_metres),
        "open_checks": open_checks,
        "photos": photos,
    }


def _concerns_shown(actor: Actor, rows: list[EvidenceCheck], concern: Concern) -> set[str]:
    """The other concerns the checks name that the actor may see (others are withheld)."""
    ids = {r.reuse_concern_id for r in rows} | {r.phash_match_concern_id for r in rows}
    ids = {i for i in ids if i} - {concern.id}
    shown = {concern.id}
    if ids:
        for other in db.session.scalars(select(Concern).where(Concern.id.in_(sorted(ids)))):
            here = scope_of("concern", concern)
            if not other.deleted and may_see_evidence(actor, here, scope_of("concern", other)):
                shown.add(other.id)
    return shown


def _named(concern_id: str | None, shown: set[str]) -> dict[str, Any]:
    if concern_id is None:
        return {"concern_id": None, "concern_withheld": False}
    seen = concern_id in shown
    return {"concern_id": concern_id if seen else None, "concern_withheld": not seen}


def _photo(row: EvidenceCheck, shown: set[str]) -> dict[str, Any]:
    return {
        "sha256": row.sha256,
        "taken_at": aware(row.taken_at),
        "time_source": row.time_source,
        "position_source": row.position_source,
        "checked_at": aware(row.checked_at),
        "checks": {
            "time": {"result": row.time_result, "minutes": row.minutes_after},
            "distance": {
                "result": row.distance_result,
                "metres": row.metres,
                "limit_metres": row.limit_metres,
            },
            "reuse": {"result": row.reuse_result, **_named(row.reuse_concern_id, shown)},
            "phash": {
                "result": row.phash_result,
                "bits": row.phash_distance,
                "sha256": row.phash_match_sha256,
                "kind": row.phash_match_kind,
                **_named(row.phash_match_concern_id, shown),
            },
        },
    }
