"""A small province of concerns, visits and inspections with known figures and known
personal data, written as the sync engine would write them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest

from fieldapp.extensions import db
from fieldapp.followup.tracking import new_tracking_code
from fieldapp.models import Concern, FollowupEntry, Inspection, Photo, PhotoLink, Visit
from fieldapp.photos.settings import current_settings
from fieldapp.photos.storage import Rendition
from fieldapp.reports.sqltime import BANGKOK

# Personal data that must never leave through a public door.
SECRET_NAMES = ("สมศรี ลับเฉพาะ", "Somsri Secretperson")
SECRET_PHONES = ("0812345678", "+66 81 999 7777")
STAFF_NAME = "ประเสริฐ ชื่อเจ้าหน้าที่"
SECRET_NOTE = "โทรหาคุณสมศรี ลับเฉพาะ 0812345678"  # staff free text naming the reporter
TODAY = datetime.now(UTC).astimezone(BANGKOK).date()
JPEG = b"\xff\xd8\xff\xe0" + b"public-photo" * 10 + b"\xff\xd9"


def at(days_ago: float, hour: int = 10) -> datetime:
    """A time `days_ago` days before today, in Bangkok."""
    day = datetime.combine(TODAY, datetime.min.time(), BANGKOK).replace(hour=hour)
    return (day - timedelta(days=days_ago)).astimezone(UTC)


@dataclass
class Province:
    concerns: list[Concern] = field(default_factory=list)
    villages: dict[str, object] = field(default_factory=dict)
    publishable_sha: str = "a" * 64
    private_sha: str = "b" * 64
    author: object = None

    def by_code(self, code: str) -> Concern:
        return next(c for c in self.concerns if c.tracking_code == code)


# district, category, status, reported days ago, resolved after days, due in days from report,
# villager confirmed
CONCERNS = [
    ("6501", "roads", "new", 3, None, None, None),
    ("6501", "roads", "accepted", 20, None, 7, None),  # overdue
    ("6501", "roads", "in_progress", 5, None, 30, None),  # open, not overdue
    ("6501", "roads", "resolved", 40, 2.0, 7, None),  # within
    ("6501", "roads", "closed", 50, 10.0, 7, True),  # late
    ("6501", "roads", "closed", 60, 4.0, None, True),  # no due date
    ("6501", "water", "resolved", 10, 1.5, 3, None),
    ("6501", "water", "rejected", 12, None, None, None),
    ("6502", "roads", "resolved", 30, 6.0, 10, False),
    ("6502", "waste", "in_progress", 15, None, 5, None),  # overdue
    ("6502", "waste", "closed", 120, 20.0, 30, True),  # older than 90 days
]


@pytest.fixture
def province(app, make_user, make_village) -> Province:
    """Eleven concerns in two districts, their timelines, visits, inspections and photos."""
    author = make_user(
        "author-official",
        role="official",
        districts=("6501", "6502"),
        display_name=STAFF_NAME,
    )
    out = Province(author=author)
    out.villages = {
        "6501": make_village("650101", name_th="บ้านหนองโพธิ์"),
        "6502": make_village("650201", name_th="บ้านนาบัว"),
    }
    for index, (district, category, status, ago, took, due_in, confirmed) in enumerate(CONCERNS):
        reported = at(ago)
        concern = Concern(
            village_id=out.villages[district].id,
            district_code=district,
            category_code=category,
            description=f"ถนนชำรุดเป็นหลุมลึก เรื่องที่ {index}",
            reported_at=reported,
            status=status,
            due_date=(reported.astimezone(BANGKOK).date() + timedelta(days=due_in))
            if due_in
            else None,
            resolved_at=reported + timedelta(days=took) if took is not None else None,
            resolution_note=SECRET_NOTE if took is not None else None,
            villager_confirmed=confirmed,
            reporter_consent=True,
            reporter_name=SECRET_NAMES[index % 2],
            reporter_phone=SECRET_PHONES[index % 2],
            lat=16.8211234 + index / 1000,
            lon=100.2651234,
            tracking_code=new_tracking_code(),
            created_by_id=author.id,
            assignee_agency="คุณสมศรี ลับเฉพาะ",
        )
        db.session.add(concern)
        out.concerns.append(concern)
    db.session.flush()
    for concern in out.concerns:
        if concern.status == "new":
            continue
        db.session.add(
            FollowupEntry(
                concern_id=concern.id,
                district_code=concern.district_code,
                kind="status",
                body=SECRET_NOTE,
                from_status="new",
                to_status="accepted",
                data={"action": "accept"},
                created_by_id=author.id,
                created_at=concern.reported_at + timedelta(hours=1),
            )
        )
        db.session.add(
            FollowupEntry(
                concern_id=concern.id,
                district_code=concern.district_code,
                kind="comment",
                body=SECRET_NOTE,
                created_by_id=author.id,
            )
        )
    for district, ago in (("6501", 3), ("6501", 40), ("6502", 40)):
        db.session.add(
            Visit(
                village_id=out.villages[district].id,
                district_code=district,
                visited_at=at(ago),
                notes=SECRET_NOTE,
                created_by_id=author.id,
                lat=16.8,
                lon=100.2,
            )
        )
    for district, total in (("6501", 80), ("6501", 60), ("6502", 90)):
        db.session.add(
            Inspection(
                village_id=out.villages[district].id,
                district_code=district,
                place_type="school",
                place_name="โรงเรียนบ้านหนองโพธิ์",
                inspected_at=at(5),
                template_id=1,
                scores={},
                total=total,
                max_total=100,
                grade="A",
                created_by_id=author.id,
            )
        )
    resolved = out.concerns[3]
    store = current_settings().store
    for sha, publishable in ((out.publishable_sha, True), (out.private_sha, False)):
        db.session.add(
            Photo(
                sha256=sha,
                mime_type="image/jpeg",
                size_bytes=len(JPEG),
                width=4,
                height=3,
                uploaded_by_id=author.id,
            )
        )
        db.session.add(
            PhotoLink(
                entity="concern",
                record_id=resolved.id,
                sha256=sha,
                role="after",
                publishable=publishable,
            )
        )
        for rendition in Rendition:
            store.put_bytes(rendition, sha, JPEG)
    db.session.commit()
    return out


def today() -> date:
    return TODAY
