"""Bulk onboarding from a CSV: per-row verdicts, all or none, valid rows on request; the sheet."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2
import zxingcpp

from tests.conftest import Node
from tests.integration.onboarding_helpers import activate, add_villages

FIVE = (
    "village,full_name,phone\n"
    "23347-01,Nguyễn Văn An,0912345678\n"
    "23347-02,A Lưới,\n"
    "23347-03,Y Nhàn,0987 654 321\n"
    "23347-04,Đinh Thị Hằng,\n"
    "23347-05,Hồ Văn Mười,\n"
)


async def _import(node: Node, csv: str, actor: str = "xa_dakman", **params: str) -> object:
    """POST /api/users/import with a text/csv body."""
    return await node.client.post(
        "/api/users/import",
        content=csv.encode(),
        params=params,
        headers=node.auth(actor) | {"Content-Type": "text/csv"},
    )


async def test_five_village_heads_are_created_with_codes(node: Node):
    await add_villages(node, "xa_dakman", "23347", range(4, 6))
    preview = await _import(node, FIVE, dry_run="true")
    assert preview.status_code == 200 and preview.json()["committed"] is False, preview.text
    assert [r["username"] for r in preview.json()["rows"]] == [f"th23347-0{n}" for n in range(1, 6)]
    assert all(r["code"] == "" for r in preview.json()["rows"])
    done = await _import(node, FIVE)
    report = done.json()
    assert done.status_code == 200 and report["created"] == 5 and report["committed"]
    assert (
        report["rows"][0]["village_name"] == "Thôn 1" and report["rows"][2]["phone"] == "0987654321"
    )
    assert (await activate(node, report["rows"][1]["code"])).status_code == 200
    listed = await node.client.get(
        "/api/users", params={"unit": "23347"}, headers=node.auth("xa_dakman")
    )
    assert {u["username"] for u in listed.json()} >= {f"th23347-0{n}" for n in range(1, 6)}


async def test_every_bad_row_is_reported_and_nothing_is_created(node: Node):
    await node.client.post(
        "/api/users",
        json={
            "username": "truong-man-2",
            "full_name": "B",
            "role": "village_head",
            "unit": "23347-02",
        },
        headers=node.auth("xa_dakman"),
    )
    csv = (
        "village,full_name\n"
        "23347-01,Một\n"
        "99999-01,Không có\n"
        "23353-03,Ngoài xã\n"
        "23347-01,Lặp lại\n"
        "23347-02,Đã có trưởng thôn\n"
        "23347,Không phải thôn\n"
    )
    refused = await _import(node, csv)
    assert refused.status_code == 422 and refused.json()["code"] == "users_import_invalid"
    codes = {e["field"]: e["code"] for e in refused.json()["errors"]}
    assert codes == {
        "row 3.village": "village_unknown",
        "row 4.village": "village_out_of_scope",
        "row 5.village": "duplicate_row",
        "row 6.village": "village_has_head",
        "row 7.village": "unit_not_village",
    }
    listed = await node.client.get(
        "/api/users", params={"unit": "23347-01"}, headers=node.auth("xa_dakman")
    )
    assert listed.json() == []
    partial = await _import(node, csv, valid_only="true")
    assert partial.json()["created"] == 1 and partial.json()["invalid"] == 5


async def test_a_list_of_village_codes_is_enough_and_a_bad_header_is_refused(node: Node):
    codes_only = await _import(node, "village\n23347-01\n23347-03\n")
    assert codes_only.status_code == 200 and codes_only.json()["created"] == 2
    wrong = await _import(node, "thon,ho_ten\n23347-01,A\n")
    assert wrong.status_code == 422 and wrong.json()["code"] == "users_csv_invalid"
    latin1 = await node.client.post(
        "/api/users/import",
        content="village,full_name\n23347-01,Nguyễn\n".encode("latin-1", "replace")[:-3]
        + b"\xe9\n",
        headers=node.auth("xa_dakman") | {"Content-Type": "text/csv"},
    )
    assert latin1.status_code == 422 and latin1.json()["code"] == "csv_encoding"


async def test_village_heads_cannot_import(node: Node):
    answer = await _import(node, FIVE, actor="thon_dakpek_1")
    assert answer.status_code == 403


def _pages(pdf: bytes, out_dir: Path) -> list[object]:
    """The PDF's pages rendered at 200 dpi (kept as PNG next to the test's files)."""
    document = pypdfium2.PdfDocument(pdf)
    images = []
    for index in range(len(document)):
        image = document[index].render(scale=200 / 72).to_pil()
        image.save(out_dir / f"activation-sheet-{index + 1}.png")
        images.append(image)
    return images


async def test_the_sheet_has_a_card_per_open_code_whose_qr_opens_activation(
    node: Node, tmp_path: Path
):
    await add_villages(node, "xa_dakman", "23347", range(4, 6))
    report = (await _import(node, FIVE)).json()
    answer = await node.client.get(
        "/api/users/activation-sheet", params={"unit": "23347"}, headers=node.auth("xa_dakman")
    )
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    text = "".join(
        page.get_textpage().get_text_range()
        for page in pypdfium2.PdfDocument(io.BytesIO(answer.content))
    )
    for row in report["rows"]:
        assert row["full_name"] in text and row["username"] in text
        code = row["code"]
        assert f"{code[:3]} {code[3:6]} {code[6:]}" in text
    decoded = {
        found.text
        for image in _pages(answer.content, tmp_path)
        for found in zxingcpp.read_barcodes(image)
    }
    expected = {f"http://testserver/#/activate/{row['code']}" for row in report["rows"]}
    assert decoded == expected
    other = await node.client.get(
        "/api/users/activation-sheet", params={"unit": "23347"}, headers=node.auth("xa_dakpek")
    )
    assert other.status_code == 403
