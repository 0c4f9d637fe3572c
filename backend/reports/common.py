"""Wording shared by every official document: the national header and the issuing body."""

from __future__ import annotations

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
COUNCIL = "ỦY BAN NHÂN DÂN"
FONT = "Times New Roman"


def issuer(unit_name: str) -> str:
    """'Xã Đắk Pék' → 'XÃ ĐẮK PÉK' under 'ỦY BAN NHÂN DÂN'."""
    return unit_name.upper()


def dateline(place: str, year: int) -> str:
    """'Đắk Pék, ngày … tháng … năm 2026' — the day is written in when the report is signed."""
    return f"{place}, ngày      tháng      năm {year}"
