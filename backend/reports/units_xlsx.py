"""Bảng tổng hợp kết quả xây dựng "Cộng đồng học tập" of every unit below, as Excel."""

from __future__ import annotations

from openpyxl import Workbook

from backend.core.report_content import percent
from backend.core.units_summary import UnitsSummary
from backend.reports.common import issuer
from backend.reports.sheets import (
    CENTRE,
    WRAP,
    active_sheet,
    fit_rows,
    landscape,
    merged,
    national_header,
    put,
    to_bytes,
    widths,
)

FIXED = ("TT", "Mã", "Đơn vị", "Cấp", "Thôn đã báo cáo")
LEVELS = ("Mức đạt (tính toán)", "Mức đề nghị", "Mức được công nhận", "Hồ sơ", "Hạn nộp hồ sơ")


def render_units_summary(summary: UnitsSummary) -> bytes:
    """One row per unit, then the counts and shares of units reaching and recognised."""
    headings = FIXED + summary.rate_labels + LEVELS
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
        values = (
            index,
            unit.code,
            unit.name,
            unit.level_label,
            f"{unit.villages_reported}/{unit.villages_total}",
            *tuple(percent(v) for v in unit.rates),
            unit.level_reached,
            unit.claimed_level or "—",
            unit.recognised_level or "—",
            unit.dossier,
            unit.timeliness,
        )
        for col, value in enumerate(values, start=1):
            put(sheet, row, col, value, align=CENTRE if col != 3 else WRAP)
        row += 1
    totals = [
        ("Tổng số đơn vị", str(len(summary.rows))),
        (
            "Số đơn vị đạt mức độ 1 trở lên (tính toán)",
            f"{summary.count('level_reached')} ({percent(summary.share('level_reached'))})",
        ),
        (
            "Số đơn vị được công nhận mức độ 1 trở lên",
            f"{summary.count('recognised_level')} ({percent(summary.share('recognised_level'))})",
        ),
    ]
    totals += [
        (f"{label} (toàn địa bàn)", percent(value))
        for label, value in zip(summary.rate_labels, summary.overall_rates, strict=True)
    ]
    for label, value in totals:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
        put(sheet, row, 1, label, bold=True)
        for col in range(2, columns + 1):
            put(sheet, row, col, None)
        sheet.merge_cells(start_row=row, start_column=6, end_row=row, end_column=columns)
        put(sheet, row, 6, value, bold=True)
        row += 1
    widths(sheet, [5, 9, 26, 9, 10] + [14] * len(summary.rate_labels) + [11, 10, 11, 16, 12])
    fit_rows(sheet, header, row)
    landscape(sheet, header)
    return to_bytes(book)
