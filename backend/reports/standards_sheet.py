"""The sheet of communes per level of the universal-education and literacy standards (seed 001)."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook

from backend.reports.sheets import (
    CENTRE,
    COUNT,
    WRAP,
    fit_rows,
    landscape,
    merged,
    put,
    put_number,
    put_percent,
    widths,
)
from shared_schema.plan_wire import LevelCountView

HEADINGS = (
    "TT",
    "Chuẩn",
    "Mức độ",
    "Số xã đạt đúng mức độ",
    "Số xã đạt mức độ trở lên",
    "Số xã có số liệu",
    "Tỷ lệ đạt mức độ trở lên",
)


def add_standards_sheet(
    book: Workbook, unit_name: str, year: int, counts: Sequence[LevelCountView]
) -> None:
    """One row per standard and level, as the appendices' total rows ("Tổng toàn huyện")."""
    sheet = book.create_sheet(f"Phổ cập, XMC {year}")
    columns = len(HEADINGS)
    merged(sheet, 1, 1, columns, "KẾT QUẢ PHỔ CẬP GIÁO DỤC, XÓA MÙ CHỮ VÀ CÔNG NHẬN CÁC XÃ", True)
    merged(sheet, 2, 1, columns, f"{unit_name} — năm {year}", bold=True)
    header = 4
    for col, text in enumerate(HEADINGS, start=1):
        put(sheet, header, col, text, bold=True, align=CENTRE)
    row = header + 1
    for index, count in enumerate(counts, start=1):
        put_number(sheet, row, 1, index, COUNT)
        put(sheet, row, 2, count.label_vi, align=WRAP)
        put(sheet, row, 3, count.level_vi, align=CENTRE)
        put_number(sheet, row, 4, count.exactly, COUNT)
        put_number(sheet, row, 5, count.at_least, COUNT)
        put_number(sheet, row, 6, count.units, COUNT)
        put_percent(sheet, row, 7, count.share if count.level > 0 else None)
        row += 1
    widths(sheet, [5, 40, 14, 12, 12, 12, 14])
    fit_rows(sheet, header, row)
    landscape(sheet, header)
