"""A problem of an uploaded XLSForm, named by sheet, row and column, worded in Thai and English."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# code -> (Thai, English); `{…}` are the problem's params.
MESSAGES: dict[str, tuple[str, str]] = {
    "not_xlsx": (
        "ไฟล์ไม่ใช่สเปรดชีต Excel (.xlsx) ที่อ่านได้",
        "The file is not a readable Excel spreadsheet (.xlsx).",
    ),
    "missing_sheet": ("ไม่มีแผ่นงาน '{sheet}'", "The '{sheet}' sheet is missing."),
    "missing_column": (
        "แผ่นงาน '{sheet}' ไม่มีคอลัมน์ '{column}'",
        "The '{sheet}' sheet has no '{column}' column.",
    ),
    "missing_setting": (
        "ต้องระบุ '{column}' ในแผ่นงาน settings",
        "Give '{column}' on the settings sheet.",
    ),
    "bad_setting": (
        "ค่า '{column}' ในแผ่นงาน settings ไม่ถูกต้อง: {value}",
        "The settings value '{column}' is invalid: {value}",
    ),
    "repeat_unsupported": (
        "ยังไม่รองรับกลุ่มคำถามซ้ำ (repeat) ให้แยกเป็นคำถามหรือแบบฟอร์มต่างหาก",
        "Repeat groups are not supported: use separate questions or another form.",
    ),
    "unsupported_type": (
        "ไม่รองรับคำถามประเภท '{value}' (รองรับ: {supported})",
        "The question type '{value}' is not supported (supported: {supported}).",
    ),
    "missing_name": ("คำถามไม่มีชื่อ (name)", "The question has no name."),
    "duplicate_name": (
        "ชื่อคำถาม '{value}' ซ้ำกับแถว {other_row}",
        "The question name '{value}' is already used on row {other_row}.",
    ),
    "missing_thai_label": ("ไม่มีข้อความภาษาไทย", "The Thai label is missing."),
    "unknown_choice_list": (
        "ไม่พบรายการตัวเลือก '{value}' ในแผ่นงาน choices",
        "The choice list '{value}' is not on the choices sheet.",
    ),
    "unknown_concern_category": (
        "ไม่มีหมวดเรื่องร้องเรียน '{value}' (มี: {categories})",
        "There is no concern category '{value}' (there are: {categories}).",
    ),
    "unknown_concern_choice": (
        "'{value}' ไม่ใช่ตัวเลือกของคำถามนี้",
        "'{value}' is not a choice of this question.",
    ),
    "concern_not_question": (
        "แจ้งเรื่องได้เฉพาะจากคำถามที่มีคำตอบ",
        "Only a question with an answer can raise a concern.",
    ),
    "version_exists": (
        "มีแบบฟอร์มรุ่น '{value}' อยู่แล้วแต่เนื้อหาต่างกัน ให้เปลี่ยน version",
        "Version '{value}' exists with other content: give the form a new version.",
    ),
    "pyxform": (
        "แบบฟอร์มไม่ถูกต้องตามหลัก XLSForm: {detail}",
        "The form is not valid XLSForm: {detail}",
    ),
    "pyxform_reference": (
        "อ้างถึงคำถาม '{value}' ซึ่งไม่มีในแบบฟอร์ม",
        "Refers to a question '{value}' the form does not have.",
    ),
    "pyxform_unmatched": (
        "'{value}' ไม่มีคู่ปิด/เปิด",
        "'{value}' has no matching begin or end.",
    ),
    "pyxform_name": (
        "ชื่อคำถามต้องขึ้นต้นด้วยตัวอักษรหรือ _ และมีได้เฉพาะตัวอักษร ตัวเลข _ - .",
        "A name begins with a letter or underscore, then letters, digits, _ - or . only.",
    ),
}


@dataclass
class FormProblem:
    code: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        th, en = MESSAGES[self.code]
        values = {"sheet": self.sheet, "column": self.column, **self.params}
        where_th, where_en = self._where()
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message_th": where_th + th.format(**values),
            "message_en": where_en + en.format(**values),
        }

    def _where(self) -> tuple[str, str]:
        if self.sheet is None:
            return "", ""
        th = f"แผ่นงาน {self.sheet}"
        en = f"Sheet {self.sheet}"
        if self.row is not None:
            th += f" แถว {self.row}"
            en += f", row {self.row}"
        if self.column:
            th += f" คอลัมน์ {self.column}"
            en += f", column {self.column}"
        return th + ": ", en + ": "


class FormRefused(Exception):
    """An XLSForm that cannot be imported; `problems` names every problem found."""

    def __init__(self, problems: list[FormProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the form")
        self.problems = problems
