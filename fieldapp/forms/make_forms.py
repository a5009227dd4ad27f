"""Write the province's two seeded XLSForm files (haze_survey.xlsx, safe_vegetables.xlsx).

    .venv/bin/python fieldapp/forms/make_forms.py

The spreadsheets are what an admin would upload; this script keeps them reviewable as text.
Columns follow XLSForm (https://xlsform.org) with Thai and English labels, plus fieldapp's own
`fieldapp::concern` / `fieldapp::concern_when` (docs/surveys.md).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
TH, EN = "Thai (th)", "English (en)"
SURVEY_COLUMNS = [
    "type",
    "name",
    f"label::{TH}",
    f"label::{EN}",
    f"hint::{TH}",
    f"hint::{EN}",
    "required",
    "constraint",
    f"constraint_message::{TH}",
    f"constraint_message::{EN}",
    "relevant",
    "default",
    "fieldapp::concern",
    "fieldapp::concern_when",
]
CHOICE_COLUMNS = ["list_name", "name", f"label::{TH}", f"label::{EN}"]
SETTINGS_COLUMNS = ["form_id", "version", "form_title", "default_language", "fieldapp::title_en"]


def q(kind: str, name: str, th: str, en: str, **more: str) -> dict[str, str]:
    return {"type": kind, "name": name, f"label::{TH}": th, f"label::{EN}": en, **more}


def c(list_name: str, name: str, th: str, en: str) -> dict[str, str]:
    return {"list_name": list_name, "name": name, f"label::{TH}": th, f"label::{EN}": en}


def positive_area() -> dict[str, str]:
    return {
        "constraint": ". > 0 and . <= 100000",
        f"constraint_message::{TH}": "พื้นที่ต้องมากกว่า 0 และไม่เกิน 100,000 ไร่",
        f"constraint_message::{EN}": "The area is more than 0 and at most 100,000 rai",
    }


HAZE_SURVEY = [
    {
        "type": "begin_group",
        "name": "found",
        f"label::{TH}": "สิ่งที่พบ",
        f"label::{EN}": "What was found",
    },
    q(
        "select_one fire_kind",
        "kind",
        "พบจุดเผาหรือหมอกควัน",
        "Burn spot or smoke",
        required="yes",
        **{"fieldapp::concern": "haze", "fieldapp::concern_when": "burn_spot"},
    ),
    q("select_one land_type", "land_type", "ประเภทพื้นที่", "Land type", required="yes"),
    q(
        "decimal",
        "area_rai",
        "พื้นที่ที่ถูกเผา (ไร่)",
        "Area burnt (rai)",
        relevant="${kind} = 'burn_spot'",
        **positive_area(),
    ),
    q(
        "decimal",
        "distance_km",
        "ระยะห่างจากหมู่บ้าน (กิโลเมตร)",
        "Distance to the village (km)",
        constraint=". >= 0 and . <= 100",
        **{
            f"constraint_message::{TH}": "ระยะห่างต้องอยู่ระหว่าง 0 ถึง 100 กิโลเมตร",
            f"constraint_message::{EN}": "The distance is between 0 and 100 km",
        },
    ),
    q("select_one cause", "cause", "สาเหตุ (ถ้าทราบ)", "Cause, if known"),
    q(
        "text",
        "cause_other",
        "สาเหตุอื่น ๆ โปรดระบุ",
        "Other cause",
        relevant="${cause} = 'other'",
        required="yes",
    ),
    {"type": "end_group", "name": "found"},
    q("select_multiple action", "action_taken", "การดำเนินการ", "Action taken", required="yes"),
    q(
        "image",
        "photo",
        "ภาพถ่าย",
        "Photo",
        **{f"hint::{TH}": "ถ่ายให้เห็นพื้นที่", f"hint::{EN}": "Show the place"},
    ),
    q("geopoint", "position", "ตำแหน่ง", "Position", required="yes"),
    q("text", "remarks", "หมายเหตุ", "Remarks"),
]
HAZE_CHOICES = [
    c("fire_kind", "burn_spot", "จุดเผา / ไฟไหม้", "Burn spot / fire"),
    c("fire_kind", "smoke", "หมอกควัน", "Smoke"),
    c("land_type", "forest", "ป่าไม้", "Forest"),
    c("land_type", "farmland", "พื้นที่เกษตร", "Farmland"),
    c("land_type", "roadside", "ริมทาง", "Roadside"),
    c("land_type", "community", "ชุมชน", "Community"),
    c("land_type", "other", "อื่น ๆ", "Other"),
    c("cause", "crop_burning", "เผาเศษวัสดุการเกษตร", "Burning crop residue"),
    c("cause", "foraging", "หาของป่า", "Foraging"),
    c("cause", "hunting", "ล่าสัตว์", "Hunting"),
    c("cause", "garbage", "เผาขยะ", "Burning garbage"),
    c("cause", "unknown", "ไม่ทราบ", "Unknown"),
    c("cause", "other", "อื่น ๆ", "Other"),
    c("action", "extinguished", "ดับไฟแล้ว", "Put out"),
    c("action", "reported", "แจ้งหน่วยงานที่เกี่ยวข้อง", "Reported to the agency"),
    c("action", "warned", "แจ้งเตือนชาวบ้าน", "Warned villagers"),
    c("action", "none", "ยังไม่ได้ดำเนินการ", "None yet"),
]

SAFE_VEGETABLES_SURVEY = [
    q(
        "text",
        "enterprise",
        "วิสาหกิจชุมชน / เกษตรกร",
        "Community enterprise / farmer",
        required="yes",
    ),
    q("select_multiple crops", "crops", "พืชผักที่ปลูก", "Crops grown", required="yes"),
    q("decimal", "area_rai", "พื้นที่ปลูก (ไร่)", "Area grown (rai)", **positive_area()),
    q("select_one used", "chemicals_used", "การใช้สารเคมี", "Chemicals used", required="yes"),
    q(
        "text",
        "chemical_names",
        "สารเคมีที่ใช้",
        "Which chemicals",
        relevant="${chemicals_used} = 'yes'",
        required="yes",
    ),
    q(
        "select_one certification",
        "certification",
        "สถานะการรับรอง",
        "Certification status",
        required="yes",
    ),
    q(
        "date",
        "certified_until",
        "วันหมดอายุใบรับรอง",
        "Certified until",
        relevant="${certification} = 'gap' or ${certification} = 'organic'",
    ),
    q("text", "advice", "คำแนะนำที่ให้", "Advice given", required="yes"),
    q("image", "photo", "ภาพถ่ายแปลงผัก", "Photo of the plot"),
    q("geopoint", "position", "ตำแหน่งแปลง", "Position of the plot", required="yes"),
]
SAFE_VEGETABLES_CHOICES = [
    c("crops", "kale", "คะน้า", "Kale"),
    c("crops", "morning_glory", "ผักบุ้ง", "Morning glory"),
    c("crops", "chinese_cabbage", "ผักกาดขาว", "Chinese cabbage"),
    c("crops", "lettuce", "ผักสลัด", "Lettuce"),
    c("crops", "chili", "พริก", "Chili"),
    c("crops", "cucumber", "แตงกวา", "Cucumber"),
    c("crops", "other", "อื่น ๆ", "Other"),
    c("used", "no", "ไม่ใช้", "None"),
    c("used", "yes", "ใช้", "Yes"),
    c("used", "unsure", "ไม่แน่ใจ", "Not sure"),
    c("certification", "gap", "GAP", "GAP"),
    c("certification", "organic", "เกษตรอินทรีย์ (Organic Thailand)", "Organic Thailand"),
    c("certification", "pgs", "PGS (รับรองแบบมีส่วนร่วม)", "PGS (participatory)"),
    c("certification", "in_progress", "อยู่ระหว่างขอรับรอง", "Applying"),
    c("certification", "none", "ยังไม่ได้รับรอง", "Not certified"),
]

FORMS = {
    "haze_survey": (
        HAZE_SURVEY,
        HAZE_CHOICES,
        {
            "form_id": "haze_survey",
            "version": "2026120301",
            "form_title": "การสำรวจไฟป่าหมอกควัน",
            "default_language": TH,
            "fieldapp::title_en": "Forest fire and haze survey",
        },
    ),
    "safe_vegetables": (
        SAFE_VEGETABLES_SURVEY,
        SAFE_VEGETABLES_CHOICES,
        {
            "form_id": "safe_vegetables",
            "version": "2026120301",
            "form_title": "การเยี่ยมแปลงผักปลอดภัย",
            "default_language": TH,
            "fieldapp::title_en": "Safe vegetables farm visit",
        },
    ),
}


def sheet(workbook: Workbook, title: str, columns: list[str], rows: list[dict[str, str]]) -> None:
    ws = workbook.create_sheet(title)
    ws.append(columns)
    for row in rows:
        ws.append([row.get(column) for column in columns])


def write_form(path: Path, survey: list, choices: list, settings: dict[str, str]) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet(workbook, "survey", SURVEY_COLUMNS, survey)
    sheet(workbook, "choices", CHOICE_COLUMNS, choices)
    sheet(workbook, "settings", SETTINGS_COLUMNS, [settings])
    workbook.save(path)


def main() -> None:
    for key, (survey, choices, settings) in FORMS.items():
        write_form(HERE / f"{key}.xlsx", survey, choices, settings)


if __name__ == "__main__":
    main()
