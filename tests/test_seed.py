"""The Phitsanulok gazetteer, reference data and demo accounts."""

from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.models import Category, ChecklistTemplate, District, Subdistrict, User, Village
from fieldapp.seed import seed_demo


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_gazetteer_has_nine_districts_and_93_subdistricts_in_thai(app):
    assert count(District) == 9
    assert count(Subdistrict) == 93
    mueang = db.session.get(District, "6501")
    assert (mueang.name_th, mueang.name_en) == ("เมืองพิษณุโลก", "Mueang Phitsanulok")
    names = set(db.session.scalars(select(District.name_th)))
    assert {
        "นครไทย",
        "ชาติตระการ",
        "บางระกำ",
        "บางกระทุ่ม",
        "พรหมพิราม",
        "วัดโบสถ์",
        "วังทอง",
        "เนินมะปราง",
    } <= names
    assert db.session.get(Subdistrict, "650101").name_th == "ในเมือง"


def test_categories_and_checklist_are_bilingual(app):
    assert count(Category) == 11
    assert db.session.get(Category, "haze").name_th == "หมอกควันและไฟป่า"
    template = db.session.scalar(select(ChecklistTemplate))
    assert template.code == "clean_tidy" and template.version == 1
    assert all(item["text_th"] and item["text_en"] for item in template.items)
    assert template.max_total == 50


def test_demo_seed_is_idempotent(app):
    created = seed_demo()
    db.session.commit()
    assert {name for name, _ in created} == {
        "demo-official",
        "demo-official2",
        "demo-supervisor",
        "demo-admin",
    }
    before = (count(User), count(Village), count(Category), count(ChecklistTemplate))
    assert seed_demo() == []
    db.session.commit()
    assert (count(User), count(Village), count(Category), count(ChecklistTemplate)) == before
    assert before[1] == 27  # three villages in each of the nine districts


def test_demo_accounts_have_their_districts(app, client):
    seed_demo()
    db.session.commit()
    for username, districts in [
        ("demo-official", ["6501"]),
        ("demo-official2", ["6502"]),
        ("demo-supervisor", ["6501"]),
        ("demo-admin", []),
    ]:
        response = client.post(
            "/api/auth/login", json={"username": username, "password": "demo-pass-2026"}
        )
        assert response.status_code == 201
        assert response.get_json()["user"]["district_codes"] == districts
