"""Who may see a photo: the rule is fieldapp/auth/visibility.py's; this asks the database."""

from __future__ import annotations

from sqlalchemy import exists, select

from fieldapp.auth.visibility import may_see_photo, may_see_photo_original, photo_holders_seen
from fieldapp.extensions import db
from fieldapp.models import Photo, PhotoLink
from sync import Actor

_LINKS = PhotoLink.__table__


def sees_a_holder(actor: Actor, sha256: str) -> bool:
    """Does a live record the actor may see name this photo?"""
    seen = exists().where(_LINKS.c.sha256 == sha256, photo_holders_seen(actor, _LINKS))
    return bool(db.session.scalar(select(seen)))


def may_view(actor: Actor, photo: Photo) -> bool:
    """Derivatives (no metadata): the uploader and anyone who may see a linking record."""
    return may_see_photo(actor, photo.uploaded_by_id, lambda: sees_a_holder(actor, photo.sha256))


def may_view_original(actor: Actor, photo: Photo) -> bool:
    """The original keeps GPS EXIF: its uploader, or supervisors/admins who may see it."""
    return may_see_photo_original(
        actor, photo.uploaded_by_id, lambda: sees_a_holder(actor, photo.sha256)
    )
