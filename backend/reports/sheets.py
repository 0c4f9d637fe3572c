"""openpyxl helpers: the national header block, bordered wrapped cells, print setup."""

from __future__ import annotations

import io
from collections.abc import Sequence
from copy import copy
from functools import cache
from typing import Any
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from backend.reports.common import COUNCIL, FONT, MOTTO, NATION
from shared_schema.values import clean_text

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
RIGHT = Alignment(vertical="center", horizontal="right")
# Number formats: Excel shows them with the reader's separators (1.234 and 79,1% in Vietnamese).
PERCENT = "0.0%"
COUNT = "#,##0"
AMOUNT = "#,##0"
NO_FIGURE = "—"


def printable(value: Any) -> Any:
    """Text without control characters (a spreadsheet cannot hold them); other values as-is."""
    return clean_text(value) if isinstance(value, str) else value


@cache
def font(bold: bool = False, italic: bool = False, size: float = 12) -> Font:
    """Times New Roman, as official tables use (one shared font per style: a national table has
    tens of thousands of cells)."""
    return Font(name=FONT, bold=bold, italic=italic, size=size)


# Each distinct cell style of a workbook as one named style: assigning a name copies the style
# at once, where setting font, alignment, border and format one by one hashes each of them.
_STYLES: WeakKeyDictionary[Workbook, dict[tuple[Any, ...], str]] = WeakKeyDictionary()


def _style(
    sheet: Worksheet,
    bold: bool,
    italic: bool,
    align: Alignment,
    boxed: bool,
    number_format: str,
) -> str:
    """The name of the workbook's style with these properties, added on first use."""
    book = sheet.parent
    assert book is not None  # a worksheet always belongs to its workbook
    known = _STYLES.setdefault(book, {})
    key = (bold, italic, id(align), boxed, number_format)
    name = known.get(key)
    if name is None:
        name = known[key] = f"xhht-{len(known) + 1}"
        style = NamedStyle(name=name, font=font(bold, italic), alignment=copy(align))
        if boxed:
            style.border = copy(BOX)
        style.number_format = number_format
        book.add_named_style(style)
    return name


def put(
    sheet: Worksheet,
    row: int,
    col: int,
    value: Any,
    bold: bool = False,
    align: Alignment = WRAP,
    boxed: bool = True,
    italic: bool = False,
    number_format: str = "General",
) -> None:
    """One cell with the table's font, alignment, border and number format."""
    cell = sheet.cell(row=row, column=col, value=printable(value))
    cell.style = _style(sheet, bold, italic, align, boxed, number_format)


def put_number(
    sheet: Worksheet,
    row: int,
    col: int,
    value: float | None,
    number_format: str,
    bold: bool = False,
) -> None:
    """A figure as a number Excel can sort, sum and chart, or a dash when there is none."""
    if value is None:
        put(sheet, row, col, NO_FIGURE, bold=bold, align=CENTRE)
        return
    put(sheet, row, col, value, bold=bold, align=RIGHT, number_format=number_format)


def put_percent(
    sheet: Worksheet, row: int, col: int, percentage: float | None, bold: bool = False
) -> None:
    """A percentage (79.1) stored as the fraction Excel expects (0.791), shown as 79,1%."""
    value = None if percentage is None else round(percentage / 100, 10)
    put_number(sheet, row, col, value, PERCENT, bold)


def merged(
    sheet: Worksheet,
    row: int,
    first: int,
    last: int,
    value: str,
    bold: bool = False,
    italic: bool = False,
    size: float = 12,
) -> None:
    """A centred line spanning columns first..last."""
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = sheet.cell(row=row, column=first, value=printable(value))
    cell.font = font(bold, italic, size)
    cell.alignment = CENTRE


def national_header(sheet: Worksheet, issuer: str, columns: int, split: int) -> int:
    """Issuer left (columns 1..split), nation and motto right; returns the next free row."""
    merged(sheet, 1, 1, split, COUNCIL)
    merged(sheet, 2, 1, split, issuer, bold=True)
    merged(sheet, 1, split + 1, columns, NATION, bold=True)
    merged(sheet, 2, split + 1, columns, MOTTO, bold=True)
    return 4


def widths(sheet: Worksheet, values: Sequence[float]) -> None:
    """Column widths in characters."""
    for index, width in enumerate(values, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def landscape(sheet: Worksheet, header_row: int) -> None:
    """A4 landscape, fit to the page width, header row repeated on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    page = sheet.sheet_properties.pageSetUpPr
    assert page is not None  # openpyxl always creates it
    page.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_margins.left = sheet.page_margins.right = 0.5


def active_sheet(book: Workbook) -> Worksheet:
    """The workbook's first worksheet (a new workbook always has one)."""
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    return sheet


def to_bytes(book: Workbook) -> bytes:
    """The workbook as .xlsx bytes."""
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _lines(value: object, width: float) -> int:
    """Lines a wrapped value needs in a column this wide (Times New Roman 12 ≈ 1.1 char/unit)."""
    if value is None:
        return 1
    per_line = max(1, int(width * 1.1))
    return sum(max(1, -(-len(part) // per_line)) for part in str(value).split("\n"))


def fit_rows(sheet: Worksheet, first: int, last: int) -> None:
    """Row heights for wrapped text (LibreOffice and Excel do not grow rows written by openpyxl);
    a cell merged down several rows adds what it still lacks to its last row."""
    spans = {(r.min_row, r.min_col): r for r in sheet.merged_cells.ranges if r.min_row >= first}
    heights = {row: 1 for row in range(first, last + 1)}
    tall: list[tuple[int, int, int]] = []
    column_width: dict[int, float] = {}

    def width_of(column: int) -> float:
        if column not in column_width:
            dimension = sheet.column_dimensions[get_column_letter(column)]
            column_width[column] = dimension.width or 10
        return column_width[column]

    # One pass over the rows (indexing sheet[row] recounts every cell's column each time).
    for cells in sheet.iter_rows(min_row=first, max_row=last):
        for cell in cells:
            row, column = cell.row or first, cell.column or 1
            span = spans.get((row, column))
            cols = range(column, (span.max_col if span else column) + 1)
            needed = _lines(cell.value, sum(width_of(c) for c in cols))
            if span and span.max_row > row:
                tall.append((row, span.max_row, needed))
            else:
                heights[row] = max(heights[row], needed)
    for top, bottom, needed in tall:
        have = sum(heights.get(r, 1) for r in range(top, bottom + 1))
        if needed > have and bottom in heights:
            heights[bottom] += needed - have
    for row, lines in heights.items():
        sheet.row_dimensions[row].height = 16 * lines + 2
