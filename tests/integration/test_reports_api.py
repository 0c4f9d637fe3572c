"""The official reports open in python-docx / openpyxl and say the right things."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import docx
import openpyxl

from shared_schema.framework_loader import load_framework
from tests.conftest import Node
from tests.integration.dossier_helpers import DECISION, act, commune_at_level_1, reconfigured
from tests.integration.test_evidence_api import PDF, upload

INDICATORS = [
    i.code
    for _c, i in load_framework().criteria["commune"].level(1).indicators()  # type: ignore[union-attr]
]


async def download(node: Node, path: str, user: str = "huyen") -> bytes:
    """GET a report and keep a copy when XHHT_REPORTS_OUT is set (for rendering by hand)."""
    answer = await node.client.get(path, params={"year": 2025}, headers=node.auth(user))
    assert answer.status_code == 200, answer.text
    assert "attachment" in answer.headers["content-disposition"]
    out = os.environ.get("XHHT_REPORTS_OUT")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        (Path(out) / path.rsplit("/", 1)[-1]).write_bytes(answer.content)
    return answer.content


async def prepared(node: Node) -> Node:
    """Đắk Pék at level 1 with an uploaded file cited for 2.1, its dossier recognised."""
    node = reconfigured(node, hierarchy="vn-2008")
    await commune_at_level_1(node, "23353", "xa_dakpek")
    meta = (await upload(node, "xa_dakpek", PDF, "Dự toán kinh phí 2025.pdf")).json()
    await node.client.put(
        "/api/units/23353/assessment/2025/2.1",
        json={"met": True, "evidence": [meta["id"], "QĐ-2.1"], "comment": "Bố trí 50 triệu đồng"},
        headers=node.auth("xa_dakpek"),
    )
    await act(node, "xa_dakpek", "23353", "submit")
    await act(node, "huyen", "23353", "open")
    await act(node, "huyen", "23353", "recognise", DECISION)
    await node.rebuild()  # tables read the kept roll-ups, as the node's rebuilder keeps them
    return node


async def test_self_assessment_report_docx(node: Node):
    node = await prepared(node)
    document = docx.Document(
        io.BytesIO(await download(node, "/api/units/23353/reports/self-assessment.docx"))
    )
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "XÃ ĐẮK PÉK" in text and "năm 2025" in text and "BÁO CÁO TỰ ĐÁNH GIÁ" in text
    for code in INDICATORS:
        assert f"Chỉ tiêu {code}." in text
    assert text.count("- Tự đánh giá: Đạt") == len(INDICATORS)
    assert "Dự toán kinh phí 2025.pdf; QĐ-2.1" in text and "Bố trí 50 triệu đồng" in text
    n = len(INDICATORS)
    assert f"Số chỉ tiêu đạt: {n}/{n}" in text and "Số tiêu chí đạt: 5/5" in text
    assert "60%" in text  # learning citizens 720 / 1200


async def test_criteria_summary_xlsx(node: Node):
    node = await prepared(node)
    book = openpyxl.load_workbook(
        io.BytesIO(await download(node, "/api/units/23353/reports/criteria-summary.xlsx"))
    )
    sheet = book.active
    values = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    text = "\n".join(values)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "XÃ ĐẮK PÉK" in text
    assert "Xã Đắk Pék — năm 2025" in text
    rows = {
        str(r[2]).split(".")[0] + "." + str(r[2]).split(".")[1][:1]: r
        for r in sheet.iter_rows(values_only=True)
        if r[2] and str(r[2])[:1].isdigit()
    }
    assert sorted(rows) == sorted(INDICATORS)
    assert all(r[4] == "Đạt" for r in rows.values())
    assert "Dự toán kinh phí 2025.pdf" in rows["2.1"][5]
    n = len(INDICATORS)
    totals = {r[0]: r[3:6] for r in sheet.iter_rows(values_only=True) if r[0] and r[3] is not None}
    assert totals["Tổng số chỉ tiêu đạt"] == (1, n, n)
    assert totals["Tổng số tiêu chí đạt"] == (1, 5, 5)


async def test_units_summary_xlsx_lists_every_commune_with_levels(node: Node):
    node = await prepared(node)
    book = openpyxl.load_workbook(
        io.BytesIO(await download(node, "/api/units/610/reports/units-summary.xlsx"))
    )
    rows = [r for r in book.active.iter_rows(values_only=True) if r[1] and str(r[1]).isdigit()]
    assert len(rows) == 12
    dakpek = next(r for r in rows if r[1] == "23353")
    assert dakpek[2] == "Xã Đắk Pék" and dakpek[-5:-2] == (1, 1, 1)
    assert dakpek[-2] == "Đã công nhận"
    totals = {r[0]: r[6:8] for r in book.active.iter_rows(values_only=True) if r[0]}
    count, share = totals["Số đơn vị được công nhận mức độ 1 trở lên"]
    assert count == 1 and abs(share - 1 / 12) < 1e-9


async def test_units_summary_dossier_column_agrees_with_each_units_timeliness(node: Node):
    node = await prepared(node)
    book = openpyxl.load_workbook(
        io.BytesIO(await download(node, "/api/units/610/reports/units-summary.xlsx"))
    )
    rows = [r for r in book.active.iter_rows(values_only=True) if r[1] and str(r[1]).isdigit()]
    shown = {r[1]: r[-1] for r in rows}
    words = {
        "on_time": "Đúng hạn",
        "late": "Trễ hạn",
        "missing": "Chưa nộp",
        "not_due": "Chưa đến hạn",
    }
    for code, cell in shown.items():
        answer = await node.client.get(
            f"/api/units/{code}/timeliness", params={"year": 2025}, headers=node.auth("admin")
        )
        dossier = [t["status"] for t in answer.json() if t["tracks"] == "dossier"]
        assert cell == (words[dossier[0]] if dossier else "—"), code
    assert shown["23353"] != shown["23347"]  # one dossier was submitted, the other not


FIGURE_AS_TEXT = re.compile(r"^\s*[\d.,]+\s*(%|/\s*[\d.,]+)?(\s*\(.*\))?\s*$")


def figures_in(sheet) -> tuple[list, list]:
    """(numeric cells below the header block, cells whose text is a figure); unit codes are text."""
    numbers, as_text = [], []
    codes = {c.column for row in sheet.iter_rows() for c in row if c.value == "Mã"}
    for row in sheet.iter_rows(min_row=5):
        for cell in row:
            if isinstance(cell.value, bool) or cell.value is None or cell.column in codes:
                continue
            if isinstance(cell.value, int | float):
                numbers.append(cell)
            elif FIGURE_AS_TEXT.match(str(cell.value)):
                as_text.append(cell.value)
    return numbers, as_text


async def test_both_workbooks_hold_every_rate_and_count_as_a_formatted_number(node: Node):
    node = await prepared(node)
    for path in (
        "/api/units/610/reports/units-summary.xlsx",
        "/api/units/23353/reports/criteria-summary.xlsx",
    ):
        book = openpyxl.load_workbook(io.BytesIO(await download(node, path)))
        for sheet in book.worksheets:
            numbers, as_text = figures_in(sheet)
            assert numbers, f"{path} {sheet.title}: no numeric cells"
            assert as_text == [], f"{path} {sheet.title}: figures written as text: {as_text[:5]}"
            unformatted = [c.coordinate for c in numbers if c.number_format == "General"]
            assert unformatted == [], f"{path} {sheet.title}: numbers without a format"
            rates = [c for c in numbers if c.number_format.endswith("%")]
            assert rates and all(0 <= c.value <= 1 for c in rates)


async def test_reports_respect_scope(node: Node):
    other = await node.client.get(
        "/api/units/23353/reports/self-assessment.docx",
        params={"year": 2025},
        headers=node.auth("xa_dakman"),
    )
    assert other.status_code == 403
    village = await node.client.get(
        "/api/units/23353-01/reports/criteria-summary.xlsx",
        params={"year": 2025},
        headers=node.auth("admin"),
    )
    assert village.status_code == 422 and village.json()["code"] == "report_not_applicable"
