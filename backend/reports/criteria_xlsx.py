"""Bảng tổng hợp kết quả đánh giá các tiêu chí, chỉ tiêu as an Excel workbook (openpyxl)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from backend.core.report_content import ReportContent, percent, rate_text
from backend.reports.common import issuer
from backend.reports.sheets import (
    CENTRE,
    active_sheet,
    fit_rows,
    landscape,
    merged,
    national_header,
    put,
    to_bytes,
    widths,
)

HEADINGS = ("TT", "Tiêu chí", "Chỉ tiêu", "Kết quả thực hiện", "Tự đánh giá", "Minh chứng")
COLUMNS = len(HEADINGS)


def _rows(sheet: Worksheet, content: ReportContent, row: int) -> int:
    """One row per indicator; the criterion cell spans its indicators, as in the appendix."""
    for block in content.criteria:
        first = row
        for line in block.lines:
            put(sheet, row, 3, f"{line.code}. {line.text}")
            put(sheet, row, 4, line.result)
            put(sheet, row, 5, line.verdict, bold=not line.met, align=CENTRE)
            put(sheet, row, 6, "\n".join(line.evidence))
            row += 1
        for col, value in ((1, block.code), (2, block.title)):
            put(sheet, first, col, value, bold=True, align=CENTRE)
            for below in range(first + 1, row):
                put(sheet, below, col, None)
            if row - 1 > first:
                sheet.merge_cells(
                    start_row=first, start_column=col, end_row=row - 1, end_column=col
                )
    return row


def _totals(sheet: Worksheet, content: ReportContent, row: int) -> int:
    """Totals of met criteria and indicators, then the rates of the village tallies."""
    total = len(content.lines)
    share = 100 * content.indicators_met / total if total else None
    lines = [
        ("Tổng số tiêu chí đạt", f"{content.criteria_met}/{len(content.criteria)}"),
        ("Tổng số chỉ tiêu đạt", f"{content.indicators_met}/{total}"),
        ("Tỷ lệ chỉ tiêu đạt", percent(share)),
    ]
    lines += [
        (rate.label, rate_text(rate.value, rate.numerator, rate.denominator))
        for rate in content.rates
    ]
    for label, value in lines:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        sheet.merge_cells(start_row=row, start_column=4, end_row=row, end_column=6)
        put(sheet, row, 1, label, bold=True)
        put(sheet, row, 4, value, bold=True)
        for col in (2, 3, 5, 6):
            put(sheet, row, col, None)
        row += 1
    return row


def render_criteria_summary(content: ReportContent) -> bytes:
    """The summary table for one unit, year and level."""
    book = Workbook()
    sheet = active_sheet(book)
    sheet.title = f"Tổng hợp {content.year}"
    row = national_header(sheet, issuer(content.unit.name), COLUMNS, 2)
    title = "BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ CÁC TIÊU CHÍ, CHỈ TIÊU"
    merged(sheet, row, 1, COLUMNS, title, bold=True, size=13)
    merged(
        sheet,
        row + 1,
        1,
        COLUMNS,
        f"“Cộng đồng học tập” {content.unit.level_label} mức độ {content.level} — "
        f"{content.unit.name} — năm {content.year}",
        bold=True,
    )
    header = row + 3
    for col, text in enumerate(HEADINGS, start=1):
        put(sheet, header, col, text, bold=True, align=CENTRE)
    end = _totals(sheet, content, _rows(sheet, content, header + 1))
    merged(sheet, end + 1, 1, COLUMNS, content.conclusion, italic=True)
    widths(sheet, [5, 28, 55, 38, 13, 30])
    fit_rows(sheet, header, end + 1)
    landscape(sheet, header)
    return to_bytes(book)
