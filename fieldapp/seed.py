"""Reference data and demo accounts; every function is idempotent."""

from __future__ import annotations

import uuid

import geothai
from sqlalchemy import select

from fieldapp.auth.passwords import hash_password
from fieldapp.changefeed import ChangeRef, record_changes
from fieldapp.extensions import db
from fieldapp.models import (
    Category,
    ChecklistTemplate,
    District,
    Role,
    ServiceLevel,
    Subdistrict,
    User,
    Village,
)

PROVINCE_CODE = "65"  # Phitsanulok

CATEGORIES = [
    ("roads", "ถนนและสะพาน", "Roads and bridges"),
    ("water", "น้ำประปาและน้ำอุปโภคบริโภค", "Water supply"),
    ("electricity", "ไฟฟ้าและไฟส่องสว่าง", "Electricity and street lights"),
    ("waste", "ขยะและสิ่งปฏิกูล", "Waste"),
    ("drainage", "การระบายน้ำและน้ำท่วม", "Drainage and flooding"),
    ("health", "สาธารณสุข", "Health"),
    ("agriculture", "การเกษตร", "Agriculture"),
    ("safety", "ความปลอดภัยในชีวิตและทรัพย์สิน", "Safety"),
    ("haze", "หมอกควันและไฟป่า", "Haze and forest fire"),
    ("animals", "สัตว์และสัตว์จรจัด", "Animals"),
    ("other", "อื่น ๆ", "Other"),
]

CLEAN_TIDY_ITEMS = [
    ("entrance", "บริเวณทางเข้าสะอาด ไม่มีขยะ", "Entrance clean, no litter"),
    ("waste_sorting", "มีการคัดแยกขยะ และถังขยะมีฝาปิด", "Waste sorted, bins covered"),
    ("drainage", "ท่อและรางระบายน้ำไม่อุดตัน ไม่มีน้ำขัง", "Drains clear, no standing water"),
    ("greenery", "ต้นไม้ สนามหญ้า ได้รับการดูแลเป็นระเบียบ", "Trees and lawns kept tidy"),
    ("toilets", "ห้องน้ำสะอาด ใช้งานได้", "Toilets clean and working"),
    ("mosquito", "ไม่มีแหล่งเพาะพันธุ์ยุงลาย", "No mosquito breeding sites"),
    ("storage", "จัดเก็บวัสดุอุปกรณ์เป็นระเบียบ", "Materials stored in order"),
    ("signage", "ป้ายและทางเดินชัดเจน ปลอดภัย", "Signs and walkways clear and safe"),
    ("road_front", "หน้าบ้าน/ริมถนนสะอาด ไม่มีสิ่งกีดขวาง", "Frontage and roadside clean, unobstructed"),
    ("participation", "มีส่วนร่วมของชุมชนในการดูแล", "Community takes part in upkeep"),
]

GRADES = [
    {"grade": "A", "min_percent": 90, "label_th": "ดีเยี่ยม", "label_en": "Excellent"},
    {"grade": "B", "min_percent": 75, "label_th": "ดี", "label_en": "Good"},
    {"grade": "C", "min_percent": 60, "label_th": "พอใช้", "label_en": "Fair"},
    {"grade": "D", "min_percent": 0, "label_th": "ต้องปรับปรุง", "label_en": "Needs improvement"},
]

# Days to resolve a concern, by urgency; a category may differ (SERVICE_LEVEL_OVERRIDES).
SERVICE_LEVEL_DAYS = {"critical": 3, "high": 7, "normal": 15, "low": 30}
# Faults that leave villagers without water, power or a safe road are fixed sooner.
SERVICE_LEVEL_OVERRIDES = {
    ("water", "normal"): 7,
    ("electricity", "normal"): 7,
    ("safety", "normal"): 7,
    ("haze", "normal"): 7,
    ("haze", "high"): 3,
    ("haze", "critical"): 1,
}

DEMO_PASSWORD = "demo-pass-2026"
DEMO_USERS = [
    ("demo-official", "เจ้าหน้าที่ทดลอง เมืองพิษณุโลก", Role.OFFICIAL, ["6501"]),
    ("demo-official2", "เจ้าหน้าที่ทดลอง นครไทย", Role.OFFICIAL, ["6502"]),
    ("demo-supervisor", "หัวหน้าทดลอง เมืองพิษณุโลก", Role.SUPERVISOR, ["6501"]),
    ("demo-admin", "ผู้ดูแลระบบจังหวัด", Role.ADMIN, []),
]
DEMO_VILLAGE_NAMES = ["บ้านหนองแขม", "บ้านวังน้ำคู้", "บ้านดอนทอง"]

# Stable ids so re-seeding, and every demo install, names the same villages.
_VILLAGE_NAMESPACE = uuid.UUID("6b3f6a52-6c0e-4a39-9a47-65d1e3c0aa65")


def seed_gazetteer() -> tuple[int, int]:
    """Districts and subdistricts of province 65 from geothai; returns their counts."""
    districts = geothai.districts(PROVINCE_CODE)
    subdistrict_count = 0
    for d in districts:
        db.session.merge(
            District(code=d.code, province_code=PROVINCE_CODE, name_th=d.name_th, name_en=d.name_en)
        )
        for s in geothai.subdistricts(d.code):
            db.session.merge(
                Subdistrict(code=s.code, district_code=d.code, name_th=s.name_th, name_en=s.name_en)
            )
            subdistrict_count += 1
    db.session.flush()
    return len(districts), subdistrict_count


def seed_categories() -> None:
    for position, (code, name_th, name_en) in enumerate(CATEGORIES):
        db.session.merge(Category(code=code, name_th=name_th, name_en=name_en, position=position))


def seed_checklist_template() -> ChecklistTemplate:
    existing = db.session.scalar(
        select(ChecklistTemplate).where(
            ChecklistTemplate.code == "clean_tidy", ChecklistTemplate.version == 1
        )
    )
    if existing:
        return existing
    template = ChecklistTemplate(
        code="clean_tidy",
        version=1,
        name_th="PHITSANULOK CLEAN & TIDY แบบตรวจมาตรฐาน",
        name_en="PHITSANULOK CLEAN & TIDY standard checklist",
        items=[
            {"key": key, "text_th": th, "text_en": en, "max_score": 5}
            for key, th, en in CLEAN_TIDY_ITEMS
        ],
        grades=GRADES,
    )
    db.session.add(template)
    return template


def seed_service_levels() -> int:
    """The default days per category and urgency; levels an admin already set are kept."""
    existing = set(db.session.execute(select(ServiceLevel.category_code, ServiceLevel.urgency)))
    added = 0
    for code, *_ in CATEGORIES:
        for urgency, days in SERVICE_LEVEL_DAYS.items():
            if (code, urgency) not in existing:
                days = SERVICE_LEVEL_OVERRIDES.get((code, urgency), days)
                db.session.add(ServiceLevel(category_code=code, urgency=urgency, days=days))
                added += 1
    db.session.flush()
    return added


def seed_reference_data() -> None:
    from fieldapp.syncstore.feed import publish_reference_data

    seed_gazetteer()
    seed_categories()
    seed_checklist_template()
    db.session.flush()
    seed_service_levels()
    # Categories and templates reach devices through the change feed, like everything else.
    publish_reference_data()


def demo_village_id(subdistrict_code: str, moo: int) -> str:
    return str(uuid.uuid5(_VILLAGE_NAMESPACE, f"{subdistrict_code}/{moo}"))


def seed_demo() -> list[tuple[str, str]]:
    """Demo villages (three in each district's first subdistrict) and the demo accounts."""
    seed_reference_data()
    new_villages: list[ChangeRef] = []
    for district in db.session.scalars(select(District)):
        first = min(district.subdistricts, key=lambda s: s.code)
        for moo, name in enumerate(DEMO_VILLAGE_NAMES, start=1):
            exists = db.session.scalar(
                select(Village.id).where(Village.subdistrict_code == first.code, Village.moo == moo)
            )
            if not exists:
                village_id = demo_village_id(first.code, moo)
                db.session.add(
                    Village(
                        id=village_id,
                        subdistrict_code=first.code,
                        district_code=district.code,
                        moo=moo,
                        name_th=name,
                    )
                )
                new_villages.append(ChangeRef("village", village_id, district.code))
    db.session.flush()
    record_changes(new_villages)
    created = []
    for username, display_name, role, district_codes in DEMO_USERS:
        if db.session.scalar(select(User.id).where(User.username == username)):
            continue
        user = User(
            username=username,
            display_name=display_name,
            role=role,
            password_hash=hash_password(DEMO_PASSWORD),
            districts=[db.session.get(District, code) for code in district_codes],
        )
        db.session.add(user)
        created.append((username, role))
    db.session.flush()
    return created
