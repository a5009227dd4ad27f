"""Who may see a photo: its uploader, or whoever may see a record that names it."""

from __future__ import annotations

from sqlalchemy import exists, select, union_all

from fieldapp.auth import Permission, can, district_scope
from fieldapp.extensions import db
from fieldapp.models import Concern, FollowupEntry, Inspection, Photo, PhotoLink, User, Visit

# PhotoLink.entity -> the record table it points into (each carries district_code).
LINKED_RECORDS = {
    "visit": Visit,
    "inspection": Inspection,
    "concern": Concern,
    "followup": FollowupEntry,
}


def linked_in_scope(user: User, sha256: str) -> bool:
    """Does a live record in the user's districts name this photo?"""
    branches = [
        select(PhotoLink.id)
        .join(model, model.id == PhotoLink.record_id)
        .where(
            PhotoLink.sha256 == sha256,
            PhotoLink.entity == entity,
            model.deleted.is_(False),
            district_scope(user, model.district_code),
        )
        for entity, model in LINKED_RECORDS.items()
    ]
    return bool(db.session.scalar(select(exists(union_all(*branches).subquery()))))


def may_view(user: User, photo: Photo) -> bool:
    """Derivatives (no metadata): the uploader and anyone who may see a linking record."""
    return photo.uploaded_by_id == user.id or linked_in_scope(user, photo.sha256)


def may_view_original(user: User, photo: Photo) -> bool:
    """The original keeps GPS EXIF: its uploader, or supervisors/admins who may see it."""
    if photo.uploaded_by_id == user.id:
        return True
    senior = can(user, Permission.SUPERVISE) or can(user, Permission.ADMINISTER)
    return senior and linked_in_scope(user, photo.sha256)
