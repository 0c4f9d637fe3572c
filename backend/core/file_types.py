"""Evidence file types told from their content (magic bytes), never from the name."""

from __future__ import annotations

from collections.abc import Collection

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", DOCX: ".docx", XLSX: ".xlsx"}
ZIP_MAGIC = b"PK\x03\x04"
HEAD_BYTES = 16


def is_zip(head: bytes) -> bool:
    """Office Open XML documents are ZIP archives."""
    return head.startswith(ZIP_MAGIC)


def detect(head: bytes, zip_names: Collection[str] | None = None) -> str | None:
    """The media type of an accepted file from its first bytes (and ZIP member names), or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if is_zip(head) and zip_names is not None and "[Content_Types].xml" in zip_names:
        if any(n.startswith("word/") for n in zip_names):
            return DOCX
        if any(n.startswith("xl/") for n in zip_names):
            return XLSX
    return None
