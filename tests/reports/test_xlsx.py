"""The streamed XLSX writer: Excel's format as openpyxl reads it, sent before it is finished."""

from __future__ import annotations

import io
import itertools

import openpyxl

from fieldapp.reports.xlsx import column_letters, xlsx_stream


def test_cells_read_back_with_their_types():
    header = ["text", "number", "flag", "empty"]
    rows = [
        ('ถนน <ชำรุด> & "หลุม"', 1.5, True, None),
        ("line\nbreak\x01", 42, False, None),
    ]
    data = b"".join(xlsx_stream(header, iter(rows), "concerns"))
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["concerns"]
    assert [c.value for c in sheet[1]] == header
    assert sheet["A1"].font.b and not sheet["A2"].font.b
    read = list(sheet.iter_rows(min_row=2, values_only=True))
    assert read == [
        ('ถนน <ชำรุด> & "หลุม"', 1.5, True, None),
        ("line\nbreak", 42, False, None),
    ]


def test_the_first_bytes_leave_before_the_last_row_is_read():
    read = 0

    def rows():
        nonlocal read
        for n in itertools.count():
            read = n
            yield (f"เรื่องที่ {n} " * 5, n)

    chunks = xlsx_stream(["description", "n"], itertools.islice(rows(), 50_000), "concerns")
    next(chunks)  # the fixed parts
    first_sheet_chunk = next(chunks)
    assert first_sheet_chunk and read < 5_000


def test_column_letters():
    assert [column_letters(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
