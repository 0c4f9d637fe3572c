"""Bảng tổng hợp kết quả xây dựng "Cộng đồng học tập" of every unit below, as Excel."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from backend.core.units_summary import UnitsSummary, UnitSummaryRow
from backend.reports.common import issuer
from backend.reports.sheets import (
    AMOUNT,
    CENTRE,
    COUNT,
    WRAP,
    active_sheet,
    fit_rows,
    landscape,
    merged,
    national_header,
    put,
    put_number,
    put_percent,
    to_bytes,
    widths,
)
from backend.reports.standards_sheet import add_standards_sheet

FIXED = ("TT", "Mã", "Đơn vị", "Cấp", "Thôn đã báo cáo", "Tổng số thôn")
FIRST_RATE = len(FIXED) + 1
NO_SHARE = -1.0  # a total line that has a count only
LEVELS = ("Mức đạt (tính toán)", "Mức đề nghị", "Mức được công nhận", "Hồ sơ", "Hạn nộp hồ sơ")


def put_rate(
    sheet: Worksheet, row: int, col: int, value: float | None, unit: str, bold: bool = False
) -> None:
    """A percentage, or an amount per person with thousands separators."""
    if unit == "%":
        put_percent(sheet, row, col, value, bold)
    else:
        put_number(sheet, row, col, value, AMOUNT, bold)


def _unit_row(
    sheet: Worksheet, row: int, index: int, unit: UnitSummaryRow, units: tuple[str, ...]
) -> None:
    """One unit: counts and levels as numbers, rates as percentages, states as text."""
    texts = (unit.code, unit.name, unit.level_label)
    put_number(sheet, row, 1, index, COUNT)
    for col, text in enumerate(texts, start=2):
        put(sheet, row, col, text, align=CENTRE if col != 3 else WRAP)
    put_number(sheet, row, 5, unit.villages_reported, COUNT)
    put_number(sheet, row, 6, unit.villages_total, COUNT)
    for col, (value, kind) in enumerate(zip(unit.rates, units, strict=True), start=FIRST_RATE):
        put_rate(sheet, row, col, value, kind)
    col = FIRST_RATE + len(unit.rates)
    for offset, level in enumerate((unit.level_reached, unit.claimed_level, unit.recognised_level)):
        put_number(sheet, row, col + offset, level, COUNT)
    put(sheet, row, col + 3, unit.dossier, align=CENTRE)
    put(sheet, row, col + 4, unit.timeliness, align=CENTRE)


def _total_row(
    sheet: Worksheet,
    row: int,
    columns: int,
    label: str,
    count: int | None,
    share: float | None,
    unit: str = "%",
) -> None:
    """A closing line: the label, then the count and the share as numbers."""
    last_label = len(FIXED)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_label)
    put(sheet, row, 1, label, bold=True)
    for col in range(2, columns + 1):
        put(sheet, row, col, None)
    if count is not None:
        put_number(sheet, row, last_label + 1, count, COUNT, bold=True)
    if share is not NO_SHARE:
        put_rate(sheet, row, last_label + (2 if count is not None else 1), share, unit, True)


def render_units_summary(summary: UnitsSummary) -> bytes:
    """One row per unit, then the counts and shares of units reaching and recognised."""
    headings = FIXED + summary.rate_labels + LEVELS
    units = summary.rate_units or ("%",) * len(summary.rate_labels)
    columns = len(headings)
    book = Workbook()
    sheet = active_sheet(book)
    sheet.title = f"Các đơn vị {summary.year}"
    row = national_header(sheet, issuer(summary.unit_name), columns, 3)
    merged(
        sheet, row, 1, columns, "BẢNG TỔNG HỢP KẾT QUẢ XÂY DỰNG “CỘNG ĐỒNG HỌC TẬP”", True, size=13
    )
    merged(sheet, row + 1, 1, columns, f"{summary.unit_name} — năm {summary.year}", bold=True)
    header = row + 3
    for col, text in enumerate(headings, start=1):
        put(sheet, header, col, text, bold=True, align=CENTRE)
    row = header + 1
    for index, unit in enumerate(summary.rows, start=1):
        _unit_row(sheet, row, index, unit, units)
        row += 1
    totals: list[tuple[str, int | None, float | None, str]] = [
        ("Tổng số đơn vị", len(summary.rows), NO_SHARE, "%"),
        (
            "Số đơn vị đạt mức độ 1 trở lên (tính toán)",
            summary.count("level_reached"),
            summary.share("level_reached"),
            "%",
        ),
        (
            "Số đơn vị được công nhận mức độ 1 trở lên",
            summary.count("recognised_level"),
            summary.share("recognised_level"),
            "%",
        ),
    ]
    totals += [
        (f"{label} (toàn địa bàn)", None, value, kind)
        for label, value, kind in zip(
            summary.rate_labels, summary.overall_rates, units, strict=True
        )
    ]
    for label, count, share, kind in totals:
        _total_row(sheet, row, columns, label, count, share, kind)
        row += 1
    widths(sheet, [5, 9, 26, 9, 10, 9] + [14] * len(summary.rate_labels) + [11, 10, 11, 16, 12])
    fit_rows(sheet, header, row)
    landscape(sheet, header)
    if summary.standards:
        add_standards_sheet(book, summary.unit_name, summary.year, summary.standards)
    return to_bytes(book)
