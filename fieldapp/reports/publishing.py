"""A supervisor marks a concern's photo publishable (or not) for the public page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from fieldapp.auth.visibility import may_publish_photo, scope_of
from fieldapp.extensions import db
from fieldapp.models import Concern, PhotoLink, record_audit
from sync import Actor


def publishing(actor: Actor, concern: Concern) -> dict[str, Any]:
    """For the concern's detail: which of its photos the public page shows, and whether the
    actor may change that."""
    links = PhotoLink.__table__
    shown = db.session.scalars(
        select(links.c.sha256)
        .where(
            links.c.entity == "concern",
            links.c.record_id == concern.id,
            links.c.publishable.is_(True),
        )
        .distinct()
    )
    return {
        "public_photos": sorted(shown),
        "may_publish_photos": may_publish_photo(actor, scope_of("concern", concern)),
    }


class PublishRefused(Exception):
    """The photo cannot be marked: `reason` is not_found or forbidden."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def set_photo_publishable(actor: Actor, concern_id: str, sha256: str, publishable: bool) -> int:
    """Flag every link of this photo on this concern; audited. Returns the links changed."""
    concern = db.session.get(Concern, concern_id)
    if concern is None or concern.deleted:
        raise PublishRefused("not_found")
    if not may_publish_photo(actor, scope_of("concern", concern)):
        raise PublishRefused("forbidden")
    links = PhotoLink.__table__
    mine = (links.c.entity == "concern") & (links.c.record_id == concern_id)
    mine &= links.c.sha256 == sha256
    if db.session.scalar(select(links.c.id).where(mine).limit(1)) is None:
        raise PublishRefused("not_found")
    changed = db.session.execute(update(links).where(mine).values(publishable=publishable))
    record_audit(
        "photo.publishable",
        actor.user_id,
        "concern",
        concern_id,
        sha256=sha256,
        publishable=publishable,
    )
    return changed.rowcount
