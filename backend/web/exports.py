"""The federation view as CSV or XLSX, with Vietnamese and English column headings."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from shared_schema.framework import Framework
from shared_schema.sync import FederationRow
from shared_schema.values import clean_text

TIMELINESS_VI = {"on_time": "Đúng hạn", "late": "Trễ hạn", "missing": "Chưa báo cáo"}
COLUMNS: list[tuple[str, str]] = [
    ("unit", "Mã đơn vị / Unit code"),
    ("unit_name", "Tên đơn vị / Unit"),
    ("level", "Cấp / Level"),
    ("parent", "Đơn vị cấp trên / Parent"),
    ("year", "Năm / Year"),
    ("villages_reported", "Thôn đã báo cáo / Villages reported"),
    ("villages_total", "Tổng số thôn / Villages"),
    ("children_reported", "Đơn vị trực thuộc đã báo cáo / Children reported"),
    ("children_total", "Đơn vị trực thuộc / Children"),
    ("completeness", "Tỷ lệ đầy đủ (%) / Completeness (%)"),
    ("timeliness", "Đúng hạn / Timeliness"),
    ("last_reported_at", "Báo cáo gần nhất / Last report"),
    ("last_sync_at", "Đồng bộ gần nhất / Last sync"),
    ("staleness_seconds", "Độ trễ (giây) / Staleness (s)"),
    ("origin", "Nút gửi / Origin node"),
    ("revision", "Phiên bản / Revision"),
]
NAMES = [name for name, _ in COLUMNS]


def _cell(value: Any) -> Any:
    """Spreadsheet-friendly values (no time zones, no None)."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, str):
        return clean_text(value)
    return "" if value is None else value


def table(rows: Sequence[FederationRow], framework: Framework) -> list[list[Any]]:
    """Header line plus one line per row, rates after the fixed columns."""
    rates = framework.tally.rates
    header = [label for _, label in COLUMNS] + [f"{r.label.vi} / {r.label.en} (%)" for r in rates]
    lines: list[list[Any]] = [header]
    for row in rows:
        fixed = [getattr(row, name) for name, _ in COLUMNS]
        fixed[NAMES.index("timeliness")] = f"{TIMELINESS_VI[row.timeliness]} / {row.timeliness}"
        lines.append([_cell(v) for v in fixed] + [_cell(row.rates.get(r.code)) for r in rates])
    return lines


def to_csv(rows: Sequence[FederationRow], framework: Framework) -> bytes:
    """UTF-8 CSV with a BOM so spreadsheet programs show the diacritics."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table(rows, framework))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[FederationRow], framework: Framework) -> bytes:
    """One worksheet, header frozen (openpyxl imported on demand: it is slow to load).

    Write-only mode streams the rows: a national export of 3,321 communes takes a third of the
    time and memory of a workbook held cell by cell.
    """
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tong hop")
    sheet.freeze_panes = "A2"
    for line in table(rows, framework):
        sheet.append(line)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
