"""The printable activation sheet: A4, one card per new or reset user, the code large, a QR."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

CARD_W, CARD_H = 95.0, 66.0  # mm: 2 columns × 4 rows on A4 with margins
MARGIN_X, MARGIN_Y = 10.0, 12.0
QR_SIZE = 34.0


@dataclass(frozen=True)
class SheetCard:
    """What one card shows: where, who, which node, the code and the link the QR opens."""

    village_name: str
    unit_code: str
    full_name: str
    username: str
    node_url: str
    code: str
    url: str
    expires_at: datetime


def _pdf() -> FPDF:
    """An A4 document with a font that has every Vietnamese letter (fpdf loads only here: cold)."""
    import font_roboto  # type: ignore[import-untyped]
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.add_font("Roboto", "", font_roboto.Roboto)
    pdf.add_font("Roboto", "B", font_roboto.RobotoBold)
    pdf.set_title("Phiếu kích hoạt tài khoản / Activation sheet")
    return pdf


def _qr(pdf: FPDF, url: str, x: float, y: float) -> None:
    """The QR code drawn as vector squares (sharp at any printer resolution)."""
    import segno

    matrix = segno.make(url, error="m").matrix
    cell = QR_SIZE / (len(matrix) + 8)  # four modules of quiet zone on each side
    pdf.set_fill_color(0, 0, 0)
    for row, line in enumerate(matrix):
        for col, dark in enumerate(line):
            if dark:
                pdf.rect(x + (col + 4) * cell, y + (row + 4) * cell, cell, cell, style="F")


def _text(
    pdf: FPDF, x: float, y: float, width: float, size: float, text: str, bold: bool = False
) -> None:
    """One line of text, shrunk to fit its width."""
    pdf.set_font("Roboto", "B" if bold else "", size)
    while size > 6 and pdf.get_string_width(text) > width:
        size -= 0.5
        pdf.set_font_size(size)
    pdf.text(x, y, text)


def _card(pdf: FPDF, card: SheetCard, x: float, y: float) -> None:
    """One card with a dashed cutting border."""
    pdf.set_draw_color(150, 150, 150)
    pdf.set_dash_pattern(dash=1.5, gap=1.5)
    pdf.rect(x, y, CARD_W, CARD_H)
    pdf.set_dash_pattern()
    text_w = CARD_W - QR_SIZE - 6
    left = x + 4
    _text(pdf, left, y + 8, text_w, 12, f"{card.village_name} · {card.unit_code}", bold=True)
    _text(pdf, left, y + 14, text_w, 10, card.full_name or "—")
    _text(pdf, left, y + 20, text_w, 8, f"Tên đăng nhập / username: {card.username}")
    _text(pdf, left, y + 25, text_w, 8, f"Địa chỉ / address: {card.node_url}")
    _text(pdf, left, y + 33, text_w, 7, "Mã kích hoạt / activation code")
    _text(pdf, left, y + 43, text_w, 22, card.code, bold=True)
    _text(pdf, left, y + 50, text_w, 7, f"Hết hạn / expires {card.expires_at:%d/%m/%Y}")
    _text(
        pdf, left, y + 56, CARD_W - 8, 7, "Quét mã QR bằng camera điện thoại, đặt mật khẩu của bạn."
    )
    _text(
        pdf,
        left,
        y + 60,
        CARD_W - 8,
        7,
        "Scan the QR code with the phone's camera and set your password.",
    )
    _qr(pdf, card.url, x + CARD_W - QR_SIZE - 1, y + 3)


def activation_sheet_pdf(cards: list[SheetCard], heading: str) -> bytes:
    """Every card, eight to a page, under a heading naming the unit."""
    pdf = _pdf()
    per_page = 8
    if not cards:
        pdf.add_page()
        _text(pdf, MARGIN_X, 8, 190, 10, heading, bold=True)
        _text(pdf, MARGIN_X, 20, 190, 10, "Không có mã kích hoạt nào đang chờ / No pending codes")
    for index, card in enumerate(cards):
        if index % per_page == 0:
            pdf.add_page()
            _text(pdf, MARGIN_X, 8, 190, 10, heading, bold=True)
        slot = index % per_page
        _card(pdf, card, MARGIN_X + (slot % 2) * CARD_W, MARGIN_Y + (slot // 2) * CARD_H)
    return bytes(pdf.output())
