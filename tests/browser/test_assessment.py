"""Issue 5 items 5–6 in Debian's Chromium: a commune officer answers the self-assessment."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.browser.conftest import LiveNode, require_or_skip

require_or_skip()

from playwright.sync_api import Browser, BrowserContext, Page, expect  # noqa: E402

from tests.browser.pages import LEVEL_1_TALLY, log_in  # noqa: E402

pytestmark = pytest.mark.browser
COMMUNE = "23347"
YEAR = date.today().year
TALLY = LEVEL_1_TALLY
OTHER_ATTESTED = ["1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3"]
LEVELS = {"4.1": 1, "4.2": 2, "4.3": 2, "4.4": 1}


@pytest.fixture
def page(chromium: Browser, live_node: LiveNode) -> Iterator[Page]:
    """A phone-sized Vietnamese browser page (360×740)."""
    ctx: BrowserContext = chromium.new_context(
        base_url=live_node.url,
        viewport={"width": 360, "height": 740},
        device_scale_factor=1,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    ctx.set_default_timeout(10_000)
    yield ctx.new_page()
    ctx.close()


def prepare_all_but_one_answer(node: LiveNode) -> None:
    """Everything level 1 needs except indicator 1.1, through the real API."""
    body = {"client_uuid": str(uuid.uuid4()), "village": f"{COMMUNE}-01", "year": YEAR}
    with node.api("thon_man") as api:
        api.post("/api/tallies", json={**body, "values": TALLY}).raise_for_status()
    with node.api("xa_man") as api:
        base = f"/api/units/{COMMUNE}/assessment/{YEAR}"
        for code in OTHER_ATTESTED:
            answer = {"met": True, "evidence": [f"KH {code}/KH-UBND"]}
            api.put(f"{base}/{code}", json=answer).raise_for_status()
        for code, level in LEVELS.items():
            api.put(f"{base}/{code}", json={"level": level}).raise_for_status()


def test_officer_answers_an_attested_indicator_and_the_level_updates(
    page: Page, live_node: LiveNode, artifacts: Path
):
    prepare_all_but_one_answer(live_node)
    log_in(page, "xa_man")
    page.get_by_role("navigation").get_by_role("link", name="Tự đánh giá").click()

    level = page.locator(".level-box .big")
    expect(level).to_have_text("Chưa đạt mức độ nào")
    missing = page.locator(".missing")
    expect(missing.get_by_role("heading")).to_have_text("Còn thiếu để đạt mức độ 1 (1 chỉ tiêu)")
    not_assessed = "Chỉ tiêu 1.1 (tuyên truyền về học tập suốt đời): chưa tự đánh giá"
    expect(missing).to_contain_text(not_assessed)
    row = page.locator('.ind[data-indicator="1.1"]')
    expect(row.locator(".pill")).to_have_text("? Chưa có dữ liệu")
    expect(page.locator('.ind[data-indicator="5.1"]')).to_contain_text("62,5% / 60%")

    row.get_by_role("button", name="Trả lời").click()
    row.get_by_label("Có — đạt").check()
    expect(row).to_contain_text("Cần ít nhất một minh chứng")
    row.get_by_label("Số hiệu văn bản minh chứng").fill("QĐ 12/QĐ-UBND")
    row.get_by_role("button", name="Thêm minh chứng").click()
    expect(row.get_by_role("button", name="Bỏ minh chứng QĐ 12/QĐ-UBND")).to_be_visible()
    row.get_by_label("Ghi chú").fill("Kế hoạch tuyên truyền năm nay")
    page.screenshot(path=artifacts / "assessment-answer-vi.png")
    row.get_by_role("button", name="Lưu câu trả lời").click()

    expect(row.get_by_role("status")).to_contain_text("Đã lưu lúc")
    expect(level).to_have_text("Mức độ 1")
    expect(missing.get_by_role("heading")).to_contain_text("Còn thiếu để đạt mức độ 2")
    expect(missing).not_to_contain_text("Chỉ tiêu 1.1")
    expect(row.locator(".ind-head .pill")).to_have_text("✓ Đạt")
    expect(row).to_contain_text("Minh chứng: QĐ 12/QĐ-UBND")
    with live_node.api("xa_man") as api:
        stored = api.get(f"/api/units/{COMMUNE}/assessment", params={"year": YEAR}).json()
    entry = next(e for e in stored["entries"] if e["indicator"] == "1.1")
    assert (entry["met"], entry["evidence"], entry["recorded_by"]) == (
        True,
        ["QĐ 12/QĐ-UBND"],
        "xa_man",
    )
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=artifacts / "assessment-summary-vi.png")
    page.locator(".checklist").evaluate("e => e.scrollIntoView()")
    page.screenshot(path=artifacts / "assessment-checklist-vi.png")
    page.screenshot(path=artifacts / "assessment-checklist-vi-full.png", full_page=True)
