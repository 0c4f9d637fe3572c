"""What a first-time user stumbled on: numbers, a sent year, the wide table, real durations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.browser.conftest import PASSWORD, LiveNode, require_or_skip

require_or_skip()

from playwright.sync_api import Browser, BrowserContext, expect  # noqa: E402

from tests.browser.pages import (  # noqa: E402
    LEVEL_1_TALLY,
    fill,
    log_in,
    new_phone,
    open_form,
    revisions,
    submit,
)

pytestmark = pytest.mark.browser
YEAR = date.today().year
VILLAGE_B = "23353-03"  # thon3
GOOD = {**LEVEL_1_TALLY, "trained_total": 90, "university_total": 20}


@pytest.fixture
def context(chromium: Browser, live_node: LiveNode) -> Iterator[BrowserContext]:
    """A fresh phone for each test."""
    ctx = new_phone(chromium, live_node)
    ctx.set_default_timeout(20_000)  # a shared, busy test machine: waits, not hard deadlines
    expect.set_options(timeout=15_000)
    yield ctx
    ctx.close()


def test_money_typed_with_dots_the_sent_year_and_limits_with_separators(
    context: BrowserContext, live_node: LiveNode, artifacts: Path
):
    page = context.new_page()
    log_in(page, "thon3")
    year = YEAR - 1
    open_form(page, year)
    money = page.locator(".field", has=page.locator("#f-scholarship_fund_vnd"))
    page.fill("#f-households_total", "3000000000000")
    households = page.locator(".field", has=page.locator("#f-households_total"))
    expect(households).to_contain_text("Giá trị không được lớn hơn 2.000.000.000.000")
    fill(page, {**GOOD, "scholarship_fund_vnd": "52.000.000"})
    page.locator("#f-university_total").focus()
    expect(page.locator("#f-scholarship_fund_vnd")).to_have_value("52.000.000")
    expect(money.locator(".msg")).to_have_count(0)
    expect(page.locator("#f-households_total")).to_have_value("120")
    money.evaluate("field => field.scrollIntoView({ block: 'center' })")
    page.screenshot(path=artifacts / "money-field-52000000-vi.png")
    submit(page)
    expect(page.locator(".outbox-item")).to_have_attribute("data-state", "sent")
    stored = revisions(live_node, VILLAGE_B, year)
    assert stored[-1]["values"]["scholarship_fund_vnd"] == 52_000_000

    open_form(page, year)  # reopening a year already sent shows what was sent
    expect(page.locator(".shown-sent")).to_contain_text("Đây là số liệu đã gửi lên máy chủ")
    expect(page.locator("#f-scholarship_fund_vnd")).to_have_value("52.000.000")
    expect(page.locator("#f-families_recognized")).to_have_value("80")
    expect(page.locator(".note").first).to_contain_text("Đã nộp")
    page.screenshot(path=artifacts / "tally-sent-year-vi.png")
    page.screenshot(path=artifacts / "tally-sent-year-vi-full.png", full_page=True)


def test_federation_table_at_360_px_keeps_the_unit_column_and_shows_a_scroll_cue(
    context: BrowserContext, artifacts: Path
):
    page = context.new_page()
    log_in(page, "tinh")
    table = page.locator("table.status")
    expect(table).to_contain_text("Huyện Đắk Glei")
    cue = page.locator(".scroll-cue")
    expect(cue).to_be_visible()
    expect(cue).to_contain_text("Vuốt ngang bảng để xem cột %, thời hạn và đồng bộ")
    wrap = page.locator(".fed-wrap")
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
    wrap.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "federation-360-vi.png")
    unit_cell = table.locator("tbody th[scope=row]").first
    before = unit_cell.bounding_box()
    wrap.evaluate("w => { w.scrollLeft = w.scrollWidth }")
    after = unit_cell.bounding_box()
    assert before and after and abs(before["x"] - after["x"]) < 1  # the unit column stays put
    expect(table.locator("thead th", has_text="Đồng bộ")).to_be_in_viewport()
    expect(table.locator("thead th", has_text="Đơn vị")).to_be_in_viewport()
    page.screenshot(path=artifacts / "federation-360-scrolled-vi.png")


def test_the_app_opens_on_the_reporting_year_in_force(context: BrowserContext):
    page = context.new_page()
    page.clock.set_fixed_time(f"{YEAR}-02-10T10:00:00+07:00")  # the last year's dossiers still run
    log_in(page, "tinh")
    expect(page.get_by_label("Năm")).to_have_value(str(YEAR - 1))


def test_the_lockout_message_states_the_real_duration(context: BrowserContext):
    page = context.new_page()
    page.goto("/")
    page.fill("#username", "khoa")
    for _ in range(6):
        page.fill("#password", "sai-mat-khau")
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("button", name="Đăng nhập")).to_be_enabled()
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    # the node's own delay (Retry-After), in words: a doubling delay of seconds after 5 failures
    expect(page.get_by_role("alert")).to_have_text(
        re.compile(r"^Đăng nhập sai quá nhiều lần\. Hãy thử lại sau \d+ giây\.$")
    )
