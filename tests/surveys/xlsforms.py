"""Small XLSForm workbooks for tests, built in memory with openpyxl."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

SURVEY = ["type", "name", "label::Thai (th)", "label::English (en)"]
CHOICES = ["list_name", "name", "label::Thai (th)", "label::English (en)"]


def workbook(
    survey: list[list[Any]],
    choices: list[list[Any]] | None = None,
    *,
    form_id: str = "test_form",
    version: str = "1",
    title: str = "แบบทดสอบ",
    survey_columns: list[str] | None = None,
    settings: dict[str, Any] | None = None,
) -> bytes:
    book = Workbook()
    book.remove(book.active)
    sheet = book.create_sheet("survey")
    sheet.append(survey_columns or SURVEY)
    for row in survey:
        sheet.append(row)
    if choices is not None:
        sheet = book.create_sheet("choices")
        sheet.append(CHOICES)
        for row in choices:
            sheet.append(row)
    values = {"form_id": form_id, "version": version, "form_title": title}
    if settings is not None:
        values = settings
    sheet = book.create_sheet("settings")
    sheet.append(list(values))
    sheet.append(list(values.values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
