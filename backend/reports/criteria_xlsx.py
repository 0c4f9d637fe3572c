"""Bảng tổng hợp kết quả đánh giá các tiêu chí, chỉ tiêu as an Excel workbook (openpyxl)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from backend.core.report_content import ReportContent
from backend.reports.common import issuer
from backend.reports.sheets import (
    AMOUNT,
    CENTRE,
    COUNT,
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
        number = int(block.code) if block.code.isdigit() else block.code  # TT is an ordinal
        for col, value in ((1, number), (2, block.title)):
            put(sheet, first, col, value, bold=True, align=CENTRE)
            for below in range(first + 1, row):
                put(sheet, below, col, None)
            if row - 1 > first:
                sheet.merge_cells(
                    start_row=first, start_column=col, end_row=row - 1, end_column=col
                )
    return row


def _total_line(
    sheet: Worksheet,
    row: int,
    label: str,
    share: float | None,
    part: int | None,
    whole: int | None,
    unit: str = "%",
) -> None:
    """Label (columns 1–3), then the share, the part and the whole as numbers (columns 4–6)."""
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    put(sheet, row, 1, label, bold=True)
    for col in (2, 3):
        put(sheet, row, col, None)
    if unit == "%":
        put_percent(sheet, row, 4, share, bold=True)
    else:
        put_number(sheet, row, 4, share, AMOUNT, bold=True)
    put_number(sheet, row, 5, part, COUNT, bold=True)
    put_number(sheet, row, 6, whole, COUNT, bold=True)


def _totals(sheet: Worksheet, content: ReportContent, row: int) -> int:
    """Totals of met criteria and indicators, then the rates of the village tallies."""
    put(sheet, row, 1, None)
    for col, text in ((4, "Tỷ lệ"), (5, "Số đạt / tử số"), (6, "Tổng số / mẫu số")):
        put(sheet, row, col, text, bold=True, align=CENTRE)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
    row += 1
    criteria, indicators = len(content.criteria), len(content.lines)
    lines: list[tuple[str, float | None, int | None, int | None, str]] = [
        (
            "Tổng số tiêu chí đạt",
            _share(content.criteria_met, criteria),
            content.criteria_met,
            criteria,
            "%",
        ),
        (
            "Tổng số chỉ tiêu đạt",
            _share(content.indicators_met, indicators),
            content.indicators_met,
            indicators,
            "%",
        ),
    ]
    lines += [
        (rate.label, rate.value, rate.numerator, rate.denominator, rate.unit)
        for rate in content.rates
    ]
    for label, share, part, whole, unit in lines:
        _total_line(sheet, row, label, share, part, whole, unit)
        row += 1
    return row


def _share(part: int, whole: int) -> float | None:
    """part of whole in percent, None when there is nothing to count."""
    return 100 * part / whole if whole else None


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
    for row in range(header + 1, end):
        if isinstance(sheet.cell(row=row, column=1).value, int):
            sheet.cell(row=row, column=1).number_format = COUNT
    merged(sheet, end + 1, 1, COLUMNS, content.conclusion, italic=True)
    widths(sheet, [5, 28, 55, 38, 13, 30])
    fit_rows(sheet, header, end + 1)
    landscape(sheet, header)
    return to_bytes(book)
