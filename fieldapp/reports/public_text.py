"""The public page's words, Thai first, and dates as Thai readers write them."""

from __future__ import annotations

from datetime import date, datetime

from fieldapp.reports.open311 import STATUS_NOTES
from fieldapp.reports.sqltime import BANGKOK

LANGUAGES = ("th", "en")
MONTHS_TH = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

TEXT = {
    "th": {
        "title": "ผลการแก้ไขปัญหาความเดือดร้อนของประชาชน จังหวัดพิษณุโลก",
        "intro": "เรื่องที่ประชาชนแจ้งผ่านเจ้าหน้าที่ลงพื้นที่ และผลการดำเนินการ ไม่มีข้อมูลส่วนบุคคล",
        "other_language": "English",
        "staff": "สำหรับเจ้าหน้าที่: เข้าสู่ระบบ",
        "lookup": "ติดตามเรื่องของท่าน",
        "lookup_label": "รหัสติดตามเรื่อง (เช่น PL-7K4Q-9M2T)",
        "lookup_button": "ค้นหา",
        "by_district": "ผลการดำเนินงานรายอำเภอ",
        "by_category": "ผลการดำเนินงานตามประเภทปัญหา",
        "district": "อำเภอ",
        "category": "ประเภท",
        "received": "รับเรื่อง",
        "resolved": "แก้ไขแล้ว",
        "median_days": "มัธยฐาน (วัน)",
        "within": "เสร็จตามกำหนด",
        "total": "รวมทั้งจังหวัด",
        "trend": "เรื่องที่รับและแก้ไขรายเดือน",
        "surveys": "ผลการสำรวจที่เปิดเผย",
        "surveys_filled": "จำนวนแบบสำรวจ",
        "last_surveyed": "สำรวจล่าสุด",
        "month": "เดือน",
        "recent": "เรื่องที่แก้ไขเสร็จล่าสุด",
        "none_yet": "ยังไม่มีข้อมูล",
        "reported": "แจ้งเมื่อ",
        "resolved_on": "แก้ไขเมื่อ",
        "days_taken": "ใช้เวลา {days} วัน",
        "before": "ก่อนแก้ไข",
        "after": "หลังแก้ไข",
        "confirmed": "ชาวบ้านยืนยันว่าแก้ไขแล้ว",
        "case": "เรื่องรหัส {code}",
        "not_found": "ไม่พบเรื่องรหัสนี้ โปรดตรวจสอบรหัสอีกครั้ง",
        "status": "สถานะ",
        "timeline": "ลำดับการดำเนินการ",
        "place": "สถานที่",
        "due": "กำหนดแล้วเสร็จ",
        "step_received": "ได้รับเรื่อง",
        "back": "กลับหน้าหลัก",
        "open_data": "ข้อมูลเปิด: Open311 GeoReport v2",
        "audit_head": "ลายนิ้วมือล่าสุดของบันทึกการตรวจสอบ",
        "moo": "หมู่ที่",
    },
    "en": {
        "title": "Citizens' concerns and what was done: Phitsanulok Province",
        "intro": "Concerns villagers raised with officials in the field, and their outcome. "
        "No personal data.",
        "other_language": "ภาษาไทย",
        "staff": "Staff: sign in",
        "lookup": "Follow your case",
        "lookup_label": "Tracking code (e.g. PL-7K4Q-9M2T)",
        "lookup_button": "Find",
        "by_district": "Results by district",
        "by_category": "Results by kind of concern",
        "district": "District",
        "category": "Kind",
        "received": "Received",
        "resolved": "Resolved",
        "median_days": "Median (days)",
        "within": "On time",
        "total": "Whole province",
        "trend": "Concerns received and resolved per month",
        "surveys": "Public survey results",
        "surveys_filled": "Surveys filled",
        "last_surveyed": "Last surveyed",
        "month": "Month",
        "recent": "Recently resolved",
        "none_yet": "Nothing yet",
        "reported": "Reported",
        "resolved_on": "Resolved",
        "days_taken": "took {days} days",
        "before": "Before",
        "after": "After",
        "confirmed": "The villager confirmed the fix",
        "case": "Case {code}",
        "not_found": "No case has this code. Please check it.",
        "status": "Status",
        "timeline": "What happened",
        "place": "Place",
        "due": "Due",
        "step_received": "Received",
        "back": "Back to the results",
        "open_data": "Open data: Open311 GeoReport v2",
        "audit_head": "Latest fingerprint of the audit log",
        "moo": "Moo",
    },
}

ROLES = {
    "th": {"official": "เจ้าหน้าที่", "supervisor": "หัวหน้างาน", "admin": "ผู้ดูแลระบบ"},
    "en": {"official": "an official", "supervisor": "a supervisor", "admin": "an administrator"},
}
ACTIONS = {
    "th": {
        "accept": "รับเรื่องไว้ดำเนินการ",
        "assign": "มอบหมายผู้รับผิดชอบ",
        "start": "เริ่มดำเนินการ",
        "resolve": "แก้ไขเสร็จแล้ว",
        "close": "ปิดเรื่อง",
        "reopen": "เปิดเรื่องอีกครั้ง",
        "reject": "ไม่รับเรื่อง",
        "mark_duplicate": "เป็นเรื่องเดียวกับที่แจ้งไว้แล้ว",
        # villager (issue 13): the villager's word, by answer (public.py: case_timeline)
        "confirm_fix.fixed": "ชาวบ้านยืนยันว่าแก้ไขแล้ว",
        "confirm_fix.not_fixed": "ชาวบ้านแจ้งว่ายังไม่ได้แก้ไข",
    },
    "en": {
        "accept": "Accepted",
        "assign": "Assigned",
        "start": "Work started",
        "resolve": "Resolved",
        "close": "Closed",
        "reopen": "Reopened",
        "reject": "Not taken up",
        "mark_duplicate": "Same as an earlier report",
        "confirm_fix.fixed": "The villager confirmed the fix",
        "confirm_fix.not_fixed": "The villager said it is not fixed",
    },
}


def status_label(status: str, lang: str) -> str:
    th, en = STATUS_NOTES.get(status, (status, status))
    return th if lang == "th" else en


def format_day(value: date | datetime | None, lang: str) -> str:
    """12 ม.ค. 2569 (Buddhist era) or 12 Jan 2026; times are shown as their Bangkok day."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(BANGKOK).date()
    if lang == "th":
        return f"{value.day} {MONTHS_TH[value.month - 1]} {value.year + 543}"
    return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"


def format_month(month: str, lang: str) -> str:
    """`2026-03` as มี.ค. 69 or Mar 2026."""
    year, number = int(month[:4]), int(month[5:7])
    if lang == "th":
        return f"{MONTHS_TH[number - 1]} {str(year + 543)[-2:]}"
    return f"{MONTHS_EN[number - 1]} {year}"
