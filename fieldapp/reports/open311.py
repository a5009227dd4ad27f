"""Open311 GeoReport v2 over the public data: discovery, services, service requests.

A service request's id is the concern's tracking code; our statuses map to `open` (new,
accepted, in progress) or `closed` (resolved, closed, rejected, duplicate), with the status
itself in `status_notes` (docs/open311.md).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.followup.states import OPEN_STATUSES, Status
from fieldapp.models import Category
from fieldapp.reports.public import CONCERNS, PublicConcern, as_public, public_concerns, with_photos
from fieldapp.reports.sqltime import BANGKOK

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-03T00:00:00+07:00"
DEFAULT_WINDOW = timedelta(days=90)  # the specification's default when no dates are given
STATUS_NOTES = {
    Status.NEW: ("รับเรื่องแล้ว", "Received"),
    Status.ACCEPTED: ("รับดำเนินการ", "Accepted"),
    Status.IN_PROGRESS: ("กำลังดำเนินการ", "In progress"),
    Status.RESOLVED: ("แก้ไขแล้ว", "Resolved"),
    Status.CLOSED: ("ปิดเรื่อง", "Closed"),
    Status.REJECTED: ("ไม่รับเรื่อง", "Not taken up"),
    Status.DUPLICATE: ("เรื่องซ้ำ", "Duplicate of another report"),
}
REQUEST_FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
)


@dataclass(frozen=True)
class RequestQuery:
    """The `requests` filters; `ids` wins over all others, as the specification says."""

    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()
    page: int = 1
    page_size: int = 100


def w3c(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(BANGKOK).isoformat(timespec="seconds")


def discovery(base_url: str, contact: str) -> dict[str, Any]:
    return {
        "changeset": CHANGESET,
        "contact": contact,
        "key_service": "Not needed: this endpoint is read-only (no POST of requests).",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def services() -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Category.code, Category.name_th, Category.name_en)
        .where(Category.active.is_(True))
        .order_by(Category.position, Category.code)
    )
    return [
        {
            "service_code": row.code,
            "service_name": row.name_th,
            "description": row.name_en,
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": "",
        }
        for row in rows
    ]


def _status_filter(statuses: tuple[str, ...]) -> Any:
    open_ = sorted(OPEN_STATUSES)
    wanted = set(statuses)
    if wanted == {"open"}:
        return CONCERNS.c.status.in_(open_)
    if wanted == {"closed"}:
        return CONCERNS.c.status.not_in(open_)
    return None


def find_requests(query: RequestQuery, now: datetime) -> list[PublicConcern]:
    """The concerns a `requests` call names, newest report first, one page of them."""
    c = CONCERNS.c
    statement = public_concerns()
    if query.ids:
        statement = statement.where(c.tracking_code.in_(query.ids))
    else:
        start = query.start
        if start is None and query.end is None:
            start = now - DEFAULT_WINDOW
        if start is not None:
            statement = statement.where(c.reported_at >= start.astimezone(UTC))
        if query.end is not None:
            statement = statement.where(c.reported_at <= query.end.astimezone(UTC))
        if query.service_codes:
            statement = statement.where(c.category_code.in_(query.service_codes))
        status = _status_filter(query.statuses)
        if status is not None:
            statement = statement.where(status)
    statement = (
        statement.order_by(c.reported_at.desc(), c.id)
        .limit(query.page_size)
        .offset((query.page - 1) * query.page_size)
    )
    return with_photos([as_public(row) for row in db.session.execute(statement)])


def _expected(due: date | None) -> str | None:
    if due is None:
        return None
    return datetime.combine(due, datetime.max.time(), BANGKOK).isoformat(timespec="seconds")


def service_request(concern: PublicConcern, photo_url: Any) -> dict[str, Any]:
    """One concern as a GeoReport v2 service request."""
    status = Status(concern.status)
    th, en = STATUS_NOTES[status]
    after = [p for p in concern.photos if p["role"] == "after"]
    media = (after or concern.photos)[:1]
    return {
        "service_request_id": concern.tracking_code,
        "status": "open" if status in OPEN_STATUSES else "closed",
        "status_notes": f"{status.value}: {th} · {en}",
        "service_name": concern.category_th,
        "service_code": concern.category_code,
        "description": concern.description,
        "agency_responsible": f"ที่ว่าการอำเภอ{concern.district_th}",
        "service_notice": "",
        "requested_datetime": w3c(concern.reported_at),
        "updated_datetime": w3c(concern.updated_at),
        "expected_datetime": _expected(concern.due_date),
        "address": (
            f"หมู่ที่ {concern.moo} {concern.village_th} ต.{concern.subdistrict_th} "
            f"อ.{concern.district_th} จ.พิษณุโลก"
        ),
        "address_id": "",
        "zipcode": "",
        "lat": concern.lat,
        "long": concern.lon,
        "media_url": photo_url(media[0]["sha256"]) if media else "",
    }


# -- XML -------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(tag: str, value: Any) -> ET.Element:
    node = ET.Element(tag)
    if isinstance(value, dict):
        for key, inner in value.items():
            node.append(_element(key, inner))
    elif isinstance(value, list):
        child = tag[:-1] if tag.endswith("s") else "item"  # endpoints/endpoint, formats/format
        for inner in value:
            node.append(_element(child, inner))
    else:
        node.text = _text(value)
    return node


def to_xml(root: str, item: str | None, value: Any) -> bytes:
    """`value` (a dict, or a list of dicts each named `item`) as a GeoReport XML document."""
    if item is None:
        node = _element(root, value)
    else:
        node = ET.Element(root)
        for entry in value:
            node.append(_element(item, entry))
    return ET.tostring(node, encoding="utf-8", xml_declaration=True)
