"""Báo cáo tự đánh giá "Cộng đồng học tập" as a Word document (python-docx)."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.table import Table

from backend.core.numbers import fmt
from backend.core.report_content import ReportContent, percent, place_name
from backend.reports.common import COUNCIL, FONT, MOTTO, NATION, dateline, issuer

CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def _setup(document: DocumentType) -> None:
    """A4, the margins and 13-pt Times New Roman of administrative documents."""
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    normal.paragraph_format.space_after = Pt(3)


def _cell_text(
    table: Table, row: int, col: int, lines: list[tuple[str, bool, bool]], size: float = 13
) -> None:
    """Write (text, bold, italic) lines into a cell, centred."""
    cell = table.cell(row, col)
    cell.text = ""
    for index, (text, bold, italic) in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)


def _widths(table: Table, widths: list[float]) -> None:
    """Fixed column widths in cm (on the columns for LibreOffice, on every cell for Word)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Cm(width)


def _header(document: DocumentType, content: ReportContent) -> None:
    """Issuing body on the left, the national header and dateline on the right."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell_text(
        table,
        0,
        0,
        [
            (COUNCIL, False, False),
            (issuer(content.unit.name), True, False),
            ("———", False, False),
            ("Số:      /BC-UBND", False, False),
        ],
        12,
    )
    _cell_text(
        table,
        0,
        1,
        [
            (NATION, True, False),
            (MOTTO, True, False),
            ("—————————————", False, False),
            (dateline(place_name(content.unit.name), content.year + 1), False, True),
        ],
        12,
    )
    _widths(table, [6.0, 10.5])


def _para(document: DocumentType, text: str, bold: bool = False, align=JUSTIFY, indent=True):  # type: ignore[no-untyped-def]
    """A body paragraph."""
    paragraph = document.add_paragraph()
    paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    elif bold:
        paragraph.paragraph_format.space_before = Pt(6)
    paragraph.add_run(text).bold = bold
    return paragraph


def _title(document: DocumentType, content: ReportContent) -> None:
    """BÁO CÁO TỰ ĐÁNH GIÁ and what it is for."""
    document.add_paragraph()
    _para(document, "BÁO CÁO TỰ ĐÁNH GIÁ", bold=True, align=CENTER, indent=False)
    label = content.unit.level_label
    _para(
        document,
        f"Công nhận “Cộng đồng học tập” {label} năm {content.year}",
        bold=True,
        align=CENTER,
        indent=False,
    )
    _para(document, f"(Đề nghị công nhận mức độ {content.level})", align=CENTER, indent=False)


def _general(document: DocumentType, content: ReportContent) -> None:
    """I. Who is assessed."""
    unit = content.unit
    _para(document, "I. THÔNG TIN CHUNG", bold=True, indent=False)
    _para(document, f"- Tên đơn vị: {unit.name} (mã {unit.code}), thuộc {unit.parent_name}.")
    _para(
        document,
        f"- Năm đánh giá: {content.year}. Thời gian lấy số liệu: từ ngày 01/01 đến "
        f"ngày 31/12/{content.year}.",
    )
    _para(
        document,
        f"- Số thôn, tổ dân phố: {unit.villages_total}; đã báo cáo số liệu: "
        f"{unit.villages_reported}.",
    )


def _results(document: DocumentType, content: ReportContent) -> None:
    """II. Each criterion and indicator: result, evidence, verdict."""
    _para(
        document,
        f"II. KẾT QUẢ TỰ ĐÁNH GIÁ CÁC TIÊU CHÍ, CHỈ TIÊU MỨC ĐỘ {content.level}",
        bold=True,
        indent=False,
    )
    for block in content.criteria:
        verdict = "Đạt" if block.met else "Không đạt"
        _para(
            document, f"Tiêu chí {block.code}. {block.title} — {verdict}", bold=True, indent=False
        )
        for line in block.lines:
            _para(document, f"Chỉ tiêu {line.code}. {line.text}")
            if line.result:
                _para(document, f"- Kết quả: {line.result}")
            if content.responsible.get(line.code):
                _para(document, f"- Đơn vị {content.responsible[line.code]}")
            _para(document, "- Minh chứng: " + ("; ".join(line.evidence) or "không có"))
            _para(document, f"- Tự đánh giá: {line.verdict}")


def _totals(document: DocumentType, content: ReportContent) -> None:
    """III. Totals and the rates from the village tallies."""
    total_lines, total_criteria = len(content.lines), len(content.criteria)
    share = 100 * content.indicators_met / total_lines if total_lines else None
    _para(document, "III. TỔNG HỢP KẾT QUẢ", bold=True, indent=False)
    _para(document, f"- Số tiêu chí đạt: {content.criteria_met}/{total_criteria}.")
    _para(
        document,
        f"- Số chỉ tiêu đạt: {content.indicators_met}/{total_lines} (tỷ lệ {percent(share)}).",
    )
    if not content.rates:
        return
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for index, text in enumerate(("Chỉ số", "Số lượng", "Tổng số", "Tỷ lệ")):
        _cell_text(table, 0, index, [(text, True, False)], 12)
    for rate in content.rates:
        cells = table.add_row().cells
        values = (rate.label, fmt(rate.numerator, "vi", 0), fmt(rate.denominator, "vi", 0))
        for index, (cell, text) in enumerate(zip(cells, (*values, rate.shown), strict=True)):
            cell.text = text
            if index:
                cell.paragraphs[0].alignment = CENTER
    _widths(table, [9.5, 2.3, 2.3, 2.4])


def _closing(document: DocumentType, content: ReportContent) -> None:
    """IV. Conclusion and request, then the signature block."""
    _para(document, "IV. KẾT LUẬN VÀ ĐỀ NGHỊ", bold=True, indent=False)
    _para(document, content.conclusion)
    if content.level_reached >= content.level:
        _para(
            document,
            "Đề nghị cơ quan có thẩm quyền xem xét, công nhận “Cộng đồng học tập” "
            f"{content.unit.level_label} mức độ {content.level} năm {content.year}.",
        )
    table = document.add_table(rows=1, cols=2)
    _cell_text(
        table,
        0,
        0,
        [("Nơi nhận:", True, True), ("- Như trên;", False, False), ("- Lưu: VT.", False, False)],
        11,
    )
    _cell_text(
        table,
        0,
        1,
        [
            (f"TM. {COUNCIL}", True, False),
            ("CHỦ TỊCH", True, False),
            ("(Ký, ghi rõ họ tên, đóng dấu)", False, True),
        ],
        13,
    )
    for paragraph in table.cell(0, 0).paragraphs:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _widths(table, [7.0, 9.5])


def render_self_assessment(content: ReportContent) -> bytes:
    """The whole report as .docx bytes."""
    document = Document()
    _setup(document)
    _header(document, content)
    _title(document, content)
    _general(document, content)
    _results(document, content)
    _totals(document, content)
    _closing(document, content)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
