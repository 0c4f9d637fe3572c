"""Evidence files: type from content, size limit before storage, SHA-256, scoped downloads."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import docx
import openpyxl
from sqlalchemy import func, select

from backend.db.tables import evidence_files
from tests.conftest import Node
from tests.integration.dossier_helpers import reconfigured

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes() -> bytes:
    """A real Word document."""
    document = docx.Document()
    document.add_paragraph("Biên bản họp")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    """A real Excel workbook."""
    book = openpyxl.Workbook()
    book.active["A1"] = "Kinh phí"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def upload(node: Node, user: str, content, filename: str, unit="23353", indicator="2.1"):
    """POST raw bytes as an evidence file."""
    return await node.client.post(
        f"/api/units/{unit}/evidence",
        params={"year": 2025, "indicator": indicator, "filename": filename},
        content=content,
        headers=node.auth(user),
    )


async def stored_count(node: Node) -> int:
    """Rows of evidence metadata."""
    async with node.db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(evidence_files))).scalar())


def files_on_disk(node: Node) -> list[Path]:
    """Every stored evidence file (temporary uploads included)."""
    root = node.settings.evidence_dir
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


async def test_upload_list_cite_and_download_a_pdf(node: Node):
    answer = await upload(node, "xa_dakpek", PDF, "Quyết định kinh phí 2025.pdf")
    assert answer.status_code == 201, answer.text
    meta = answer.json()
    assert meta["media_type"] == "application/pdf" and meta["size"] == len(PDF)
    assert meta["sha256"] == hashlib.sha256(PDF).hexdigest()
    on_disk = node.settings.evidence_dir / meta["sha256"][:2] / meta["sha256"]
    assert on_disk.read_bytes() == PDF
    listed = await node.client.get(
        "/api/units/23353/evidence", params={"year": 2025}, headers=node.auth("huyen")
    )
    assert [m["id"] for m in listed.json()] == [meta["id"]]
    cited = await node.client.put(
        "/api/units/23353/assessment/2025/2.1",
        json={"met": True, "evidence": [meta["id"], "Sổ theo dõi (bản giấy)"]},
        headers=node.auth("xa_dakpek"),
    )
    assert cited.status_code == 200, cited.text
    got = await node.client.get(f"/api/evidence/{meta['id']}", headers=node.auth("huyen"))
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"].startswith("application/pdf")
    assert "Quy%E1%BA%BFt" in got.headers["content-disposition"]


async def test_a_file_renamed_to_pdf_that_is_not_a_pdf_is_refused(node: Node):
    answer = await upload(node, "xa_dakpek", b"hello, this is plain text\n" * 10, "bao-cao.pdf")
    assert answer.status_code == 415 and answer.json()["code"] == "evidence_type_refused"
    png_named_pdf = await upload(node, "xa_dakpek", PNG, "anh.pdf")
    assert png_named_pdf.status_code == 415
    assert png_named_pdf.json()["code"] == "evidence_type_mismatch"
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("readme.txt", "not an office file")
    zipped = await upload(node, "xa_dakpek", plain_zip.getvalue(), "bang.xlsx")
    assert zipped.status_code == 415
    assert await stored_count(node) == 0 and files_on_disk(node) == []


async def test_office_documents_and_images_are_recognised_from_their_content(node: Node):
    cases = [
        (docx_bytes(), "bien-ban.docx", "wordprocessingml"),
        (xlsx_bytes(), "kinh-phi.xlsx", "spreadsheetml"),
        (PNG, "anh-hop.png", "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 32, "anh.jpeg", "image/jpeg"),
    ]
    for content, name, kind in cases:
        answer = await upload(node, "xa_dakpek", content, name)
        assert answer.status_code == 201, (name, answer.text)
        assert kind in answer.json()["media_type"]


async def test_an_oversized_file_is_refused_without_being_stored(node: Node):
    small = reconfigured(node, evidence_max_bytes=1000)
    declared = await upload(small, "xa_dakpek", PDF + b"0" * 2000, "lon.pdf")
    assert declared.status_code == 413 and declared.json()["code"] == "evidence_too_large"

    async def chunks():
        yield PDF
        for _ in range(10):
            yield b"0" * 500

    streamed = await upload(small, "xa_dakpek", chunks(), "lon.pdf")
    assert streamed.status_code == 413 and streamed.json()["code"] == "evidence_too_large"
    assert await stored_count(node) == 0 and files_on_disk(node) == []
    fits = await upload(small, "xa_dakpek", PDF, "nho.pdf")
    assert fits.status_code == 201


async def test_another_units_evidence_cannot_be_downloaded_or_cited(node: Node):
    meta = (await upload(node, "xa_dakpek", PDF, "kh.pdf")).json()
    other = await node.client.get(f"/api/evidence/{meta['id']}", headers=node.auth("xa_dakman"))
    assert other.status_code == 403 and other.json()["code"] == "out_of_scope"
    village = await node.client.get(
        f"/api/evidence/{meta['id']}", headers=node.auth("thon_dakpek_1")
    )
    assert village.status_code == 403
    no_token = await node.client.get(f"/api/evidence/{meta['id']}")
    assert no_token.status_code == 401
    cross = await node.client.put(
        "/api/units/23347/assessment/2025/2.1",
        json={"met": True, "evidence": [meta["id"]]},
        headers=node.auth("xa_dakman"),
    )
    assert cross.status_code == 422 and cross.json()["code"] == "evidence_unknown"
    upload_elsewhere = await upload(node, "xa_dakman", PDF, "kh.pdf", unit="23353")
    assert upload_elsewhere.status_code == 403
    missing = await node.client.get("/api/evidence/ev-0000", headers=node.auth("admin"))
    assert missing.status_code == 404 and missing.json()["code"] == "evidence_not_found"


async def test_evidence_must_name_an_indicator_of_the_unit(node: Node):
    answer = await upload(node, "xa_dakpek", PDF, "kh.pdf", indicator="9.9")
    assert answer.status_code == 404 and answer.json()["code"] == "indicator_not_found"
