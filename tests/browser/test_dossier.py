"""Issue 6 in Chromium: evidence upload, dossier submission, return by the recogniser."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.browser.conftest import LiveNode, require_or_skip

require_or_skip()

from playwright.sync_api import Browser, BrowserContext, Page, expect  # noqa: E402

from tests.browser.pages import log_in  # noqa: E402
from tests.browser.test_assessment import LEVELS, OTHER_ATTESTED, TALLY  # noqa: E402

pytestmark = pytest.mark.browser
COMMUNE = "23344"  # Xã Đắk Plô; in the default vn-2025 hierarchy the province (62) recognises it
YEAR = date.today().year
REASON = "Thiếu biên bản họp xét công nhận"


def small_pdf() -> bytes:
    """A real one-page PDF (header, objects, cross-reference table, trailer)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>",
        b"<< /Length 36 >>\nstream\nBT /F1 12 Tf 20 50 Td (Ke hoach) Tj ET\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def phone(chromium: Browser, url: str) -> BrowserContext:
    """A phone-sized Vietnamese browser profile (360×740) with its own storage."""
    ctx = chromium.new_context(
        base_url=url,
        viewport={"width": 360, "height": 740},
        device_scale_factor=1,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    ctx.set_default_timeout(10_000)
    return ctx


@pytest.fixture
def officer_ctx(chromium: Browser, live_node: LiveNode) -> Iterator[BrowserContext]:
    """The commune officer's phone."""
    ctx = phone(chromium, live_node.url)
    yield ctx
    ctx.close()


@pytest.fixture
def province_ctx(chromium: Browser, live_node: LiveNode) -> Iterator[BrowserContext]:
    """The province officer's browser (separate storage: another session)."""
    ctx = phone(chromium, live_node.url)
    yield ctx
    ctx.close()


def prepare_all_but_indicator_1_1(node: LiveNode) -> None:
    """A village tally and every level-1 answer except 1.1, through the real API."""
    body = {"client_uuid": str(uuid.uuid4()), "village": f"{COMMUNE}-01", "year": YEAR}
    with node.api("thon_plo") as api:
        api.post("/api/tallies", json={**body, "values": TALLY}).raise_for_status()
    with node.api("xa_plo") as api:
        base = f"/api/units/{COMMUNE}/assessment/{YEAR}"
        for code in OTHER_ATTESTED:
            api.put(f"{base}/{code}", json={"met": True, "evidence": [f"KH {code}"]})
        for code, level in LEVELS.items():
            api.put(f"{base}/{code}", json={"level": level}).raise_for_status()


def officer_uploads_evidence_and_submits(
    page: Page, node: LiveNode, pdf: Path, shots: Path
) -> None:
    """Refused while no level is reached; then 1.1 with an uploaded PDF, and the dossier goes in."""
    log_in(page, "xa_plo")
    page.get_by_role("navigation").get_by_role("link", name="Tự đánh giá").click()
    panel = page.locator("section.dossier")
    expect(panel.locator(".ds-state")).to_have_text("Trạng thái: ✎ Đang soạn")
    expect(panel).to_contain_text("Chưa đến hạn")
    panel.get_by_role("button", name="Nộp hồ sơ").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Mức đạt theo tính toán: Chưa đạt")
    dialog.get_by_role("button", name="Nộp hồ sơ").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Mức độ đề nghị không hợp lệ")
    page.screenshot(path=shots / "dossier-submit-refused-vi.png")
    dialog.get_by_role("button", name="Huỷ").click()

    row = page.locator('.ind[data-indicator="1.1"]')
    row.get_by_role("button", name="Trả lời").click()
    row.get_by_label("Có — đạt").check()
    page.context.set_offline(True)
    expect(row.get_by_text("Cần có mạng để tải tệp minh chứng lên")).to_be_visible()
    expect(row.get_by_label("Tệp minh chứng")).to_be_disabled()
    page.context.set_offline(False)
    row.get_by_label("Tệp minh chứng").set_input_files(pdf)
    expect(row.get_by_role("status").first).to_contain_text(
        "Đã tải lên “ke-hoach-tuyen-truyen.pdf”"
    )
    opener = row.get_by_role("button", name="Mở tệp ke-hoach-tuyen-truyen.pdf")
    row.locator(".upload").evaluate("e => e.scrollIntoView({block: 'center'})")
    page.screenshot(path=shots / "evidence-uploaded-vi.png")
    with page.expect_popup() as shown:
        opener.click()
    assert shown.value.url.startswith("blob:")
    shown.value.close()
    row.get_by_role("button", name="Lưu câu trả lời").click()
    expect(page.locator(".level-box .big")).to_have_text("Mức độ 1")
    with node.api("xa_plo") as api:
        stored = api.get(f"/api/units/{COMMUNE}/assessment", params={"year": YEAR}).json()
    [entry] = [e for e in stored["entries"] if e["indicator"] == "1.1"]
    assert len(entry["evidence"]) == 1 and entry["evidence"][0].startswith("ev-")

    panel.get_by_role("button", name="Nộp hồ sơ").click()
    expect(dialog).to_contain_text("Mức đạt theo tính toán: Mức độ 1")
    dialog.get_by_role("button", name="Nộp hồ sơ").click()
    expect(dialog).to_be_hidden()
    expect(panel.locator(".ds-state")).to_contain_text("Đã nộp")
    claimed = panel.locator(".facts div", has_text="Mức đề nghị").locator("dd")
    expect(claimed).to_have_text("Mức độ 1")
    expect(panel.get_by_role("button", name="Nộp hồ sơ")).to_have_count(0)


def wait_for_snapshot(node: LiveNode, status: str) -> None:
    """The node's rebuilder folds the dossier into the commune's snapshot in the background."""
    query = {"year": YEAR, "level": "commune", "q": COMMUNE}
    deadline = time.monotonic() + 15
    with node.api("tinh") as api:
        while time.monotonic() < deadline:
            [row] = api.get("/api/federation/status", params=query).json()
            if row["evaluation"].get("dossier_status") == status:
                return
            time.sleep(0.2)
    raise AssertionError(f"the snapshot of {COMMUNE} never showed the dossier as {status}")


def province_returns_it(page: Page, node: LiveNode, artifacts: Path) -> None:
    """The recogniser finds the commune in the federation view, opens the dossier, returns it."""
    wait_for_snapshot(node, "submitted")
    log_in(page, "tinh")
    page.get_by_label("Cấp hiển thị").select_option("commune")
    page.get_by_label("Tìm đơn vị").fill("Plô")
    table = page.locator('.fed-wrap[aria-busy="false"] table.fed')  # rows of the current query only
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Xã Đắk Plô")
    expect(table.locator(".tl-cell .pill")).to_have_text(re.compile("Đúng hạn|Nộp muộn"))
    level = table.locator("td.level-cell")
    expect(level.get_by_role("link")).to_have_text("Mức độ 1")
    expect(level).to_contain_text("Đề nghị: 1")
    expect(level.locator(".badge")).to_have_text("⧗ Đã nộp")
    page.get_by_label("Tìm đơn vị").fill("")
    expect(table.locator("tbody tr")).to_have_count(12)
    expect(table).to_contain_text("chưa đồng bộ")
    expect(page.locator("figure.chart")).to_contain_text("Số đơn vị theo mức độ đạt")
    page.locator("h1").click()  # leave the search box, as a user would
    page.screenshot(path=artifacts / "federation-overview-vi.png")
    table.evaluate("e => e.scrollIntoView()")
    page.screenshot(path=artifacts / "federation-table-vi.png")
    page.locator(".table-wrap").evaluate("e => e.scrollLeft = e.scrollWidth")
    page.screenshot(path=artifacts / "federation-table-scrolled-vi.png")
    page.locator(".table-wrap").evaluate("e => e.scrollLeft = 0")
    page.screenshot(path=artifacts / "federation-overview-vi-full.png", full_page=True)

    table.get_by_role("link", name="Tự đánh giá của Xã Đắk Plô").click()
    panel = page.locator("section.dossier")
    expect(panel.locator(".ds-state")).to_contain_text("Đã nộp")
    expect(page.locator('.ind[data-indicator="1.1"]')).to_contain_text("ke-hoach-tuyen-truyen.pdf")
    panel.get_by_role("button", name="Nhận hồ sơ để thẩm định").click()
    expect(panel.locator(".ds-state")).to_contain_text("Đang thẩm định")
    panel.get_by_role("button", name="Trả lại hồ sơ").click()
    panel.locator("form").get_by_role("button", name="Trả lại hồ sơ").click()
    expect(panel.get_by_role("alert")).to_contain_text("Nhập lý do trả lại")
    panel.get_by_label("Lý do trả lại").fill(REASON)
    panel.locator("form").get_by_role("button", name="Trả lại hồ sơ").click()
    expect(panel.locator(".ds-state")).to_contain_text("Trả lại để bổ sung")
    panel.evaluate("e => e.scrollIntoView()")
    page.screenshot(path=artifacts / "dossier-returned-recogniser-vi.png")


def test_officer_submits_with_an_uploaded_pdf_and_sees_the_province_return_reason(
    officer_ctx: BrowserContext,
    province_ctx: BrowserContext,
    live_node: LiveNode,
    artifacts: Path,
    tmp_path: Path,
):
    prepare_all_but_indicator_1_1(live_node)
    pdf = tmp_path / "ke-hoach-tuyen-truyen.pdf"
    pdf.write_bytes(small_pdf())
    officer = officer_ctx.new_page()
    officer_uploads_evidence_and_submits(officer, live_node, pdf, artifacts)
    officer.locator("section.dossier").evaluate("e => e.scrollIntoView()")
    officer.screenshot(path=artifacts / "dossier-submitted-vi.png")

    province_returns_it(province_ctx.new_page(), live_node, artifacts)

    officer.reload()
    panel = officer.locator("section.dossier")
    expect(panel.locator(".ds-state")).to_contain_text("Trả lại để bổ sung")
    expect(panel.get_by_role("note")).to_have_text(f"Lý do trả lại: {REASON}")
    expect(panel.get_by_role("button", name="Nộp hồ sơ")).to_be_visible()
    panel.get_by_text("Lịch sử hồ sơ").click()
    expect(panel.locator(".history li")).to_have_count(3)
    panel.evaluate("e => e.scrollIntoView()")
    officer.screenshot(path=artifacts / "dossier-returned-officer-vi.png")
    officer.screenshot(path=artifacts / "dossier-returned-officer-vi-full.png", full_page=True)
