"""Issue 5 acceptance in Debian's Chromium against a real node: offline form, outbox, once only."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveNode, require_or_skip
from tests.browser.signal import SignalRelay

require_or_skip()

from playwright.sync_api import Browser, BrowserContext, Page, Route, expect  # noqa: E402

from tests.browser.pages import LEVEL_1_TALLY, log_in, new_phone  # noqa: E402

pytestmark = pytest.mark.browser
VILLAGE = "23353-01"
YEAR = date.today().year
# A tally every rule accepts (recognised ≤ registered ≤ total everywhere).
GOOD = {**LEVEL_1_TALLY, "trained_total": 90, "university_total": 20}


@pytest.fixture
def context(chromium: Browser, live_node: LiveNode) -> Iterator[BrowserContext]:
    """A fresh phone: 360×740, Vietnamese, its own IndexedDB and service worker."""
    ctx = new_phone(chromium, live_node)
    yield ctx
    ctx.close()


def open_form(page: Page, year: int = YEAR) -> None:
    """The tally screen for one year, rendered."""
    page.goto(f"/#/tally/{year}")
    expect(page.locator("#f-households_total")).to_be_visible()


def fill(page: Page, values: dict[str, int]) -> None:
    """Type each value the way a user would (yes/no as a radio choice)."""
    for code, value in values.items():
        if code == "village_community_recognized":
            page.check(f'input[name="f-{code}"][value="{value}"]')
        else:
            page.fill(f"#f-{code}", str(value))


def submit(page: Page) -> None:
    """Press the submit button; the app moves to the outbox."""
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator(".outbox-item")).to_have_count(1)


def revisions(node: LiveNode, year: int) -> list[dict[str, Any]]:
    """Every revision the node stored for the village and year (the officer's view)."""
    with node.api("xa") as api:
        answer = api.get("/api/tallies/history", params={"village": VILLAGE, "year": year})
    answer.raise_for_status()
    return list(answer.json())


def test_app_and_form_render_from_cache_when_offline(context: BrowserContext):
    page = context.new_page()
    page.goto("/")
    page.fill("#username", "thon1")
    page.fill("#password", "sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_have_text("Sai tên đăng nhập hoặc mật khẩu")
    log_in(page, "thon1")
    open_form(page)
    context.set_offline(True)
    page.reload()
    expect(page.locator("#f-households_total")).to_be_visible()
    expect(page.get_by_text("Biểu tổng hợp mô hình học tập cấp thôn")).to_be_visible()
    expect(page.locator(".offline")).to_contain_text("Mất mạng")


@pytest.fixture
def relay(live_node: LiveNode) -> Iterator[SignalRelay]:
    """The phone reaches the node through a relay whose signal the test can cut."""
    relay = SignalRelay(live_node.url)
    yield relay
    relay.close()


def test_offline_submission_waits_in_the_outbox_and_is_stored_once_online(
    chromium: Browser, live_node: LiveNode, relay: SignalRelay
):
    context = new_phone(chromium, LiveNode(relay.url))
    page = context.new_page()
    log_in(page, "thon1")
    open_form(page)
    relay.cut()
    context.set_offline(True)
    fill(page, GOOD)
    submit(page)
    expect(page.locator(".outbox-item")).to_have_attribute("data-state", "pending")
    page.close()

    page = context.new_page()
    page.goto("/#/outbox")
    item = page.locator(".outbox-item")
    expect(item).to_have_attribute("data-state", "pending")
    expect(item).to_contain_text(f"Thôn 1 · {YEAR}")
    expect(item).to_contain_text("Đang chờ gửi")
    assert revisions(live_node, YEAR) == []

    relay.restore()
    context.set_offline(False)
    expect(item).to_have_attribute("data-state", "sent")
    expect(item).to_contain_text("Đã gửi")
    stored = revisions(live_node, YEAR)
    assert len(stored) == 1
    assert stored[0]["values"]["families_recognized"] == 80
    assert stored[0]["client_uuid"] == item.get_attribute("data-uuid")
    context.close()


def test_answer_lost_mid_send_is_retried_without_a_duplicate(
    context: BrowserContext, live_node: LiveNode
):
    statuses: list[int | str] = []

    def drop_first_answer(route: Route) -> None:
        """The node stores the tally, but the phone never hears back the first time."""
        if route.request.method != "POST":
            route.continue_()
            return
        answer = route.fetch()
        if not statuses:
            statuses.append(f"lost {answer.status}")
            route.abort("connectionreset")
            return
        statuses.append(answer.status)
        route.fulfill(response=answer)

    page = context.new_page()
    log_in(page, "thon1")
    open_form(page, YEAR - 1)
    context.route("**/api/tallies", drop_first_answer)
    fill(page, GOOD)
    submit(page)
    item = page.locator(".outbox-item")
    expect(item).to_contain_text("Đang chờ mạng")
    assert statuses == ["lost 201"]
    assert len(revisions(live_node, YEAR - 1)) == 1

    page.get_by_role("button", name="Gửi ngay").click()
    expect(item).to_have_attribute("data-state", "sent")
    assert statuses == ["lost 201", 200]
    stored = revisions(live_node, YEAR - 1)
    assert len(stored) == 1 and stored[0]["revision"] == 1


def test_broken_rule_is_flagged_before_submit_and_a_server_rejection_shows_its_reason(
    context: BrowserContext, live_node: LiveNode, artifacts: Path
):
    posted: list[dict[str, Any]] = []

    def tamper(route: Route) -> None:
        """What reaches the node breaks a rule the form had checked (a buggy or stale client)."""
        body = json.loads(route.request.post_data or "{}")
        body["values"]["families_recognized"] = 101
        answer = route.fetch(post_data=json.dumps(body))
        posted.append({"status": answer.status, "problem": answer.json()})
        route.fulfill(response=answer)

    page = context.new_page()
    log_in(page, "thon1")
    open_form(page, YEAR - 2)
    before = len(revisions(live_node, YEAR - 2))
    fill(page, {**GOOD, "families_recognized": 150})
    field = page.locator(".field", has=page.locator("#f-families_recognized"))
    expect(field).to_contain_text("Số gia đình được công nhận ≤ số đăng ký ≤ tổng số hộ")
    expect(page.locator("#f-families_recognized")).to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_role("alert")).to_contain_text("Còn 1 ô cần sửa trước khi gửi.")
    expect(page.locator("#f-families_recognized")).to_be_focused()

    context.route("**/api/tallies", tamper)
    page.fill("#f-families_recognized", "80")
    expect(field).not_to_contain_text("≤")
    submit(page)
    item = page.locator(".outbox-item")
    expect(item).to_have_attribute("data-state", "rejected")
    assert [p["status"] for p in posted] == [422]
    problem = posted[0]["problem"]
    reason = item.locator(".reason")
    expect(reason).to_contain_text(problem["message_vi"])
    for error in problem["errors"]:
        expect(reason).to_contain_text(error["message_vi"])
    expect(reason).to_contain_text("Gia đình được công nhận")
    expect(item.get_by_role("button", name="Sửa và gửi lại")).to_be_visible()
    page.screenshot(path=artifacts / "outbox-rejected-vi.png", full_page=True)
    assert len(revisions(live_node, YEAR - 2)) == before


def test_commune_officer_confirms_a_village_tally(context: BrowserContext, live_node: LiveNode):
    submission = {"client_uuid": str(uuid.uuid4()), "village": VILLAGE, "year": YEAR - 2}
    with live_node.api("thon1") as api:
        api.post("/api/tallies", json={**submission, "values": GOOD}).raise_for_status()
    page = context.new_page()
    log_in(page, "xa")
    expect(page.get_by_role("heading", name="Các thôn")).to_be_visible()
    page.get_by_label("Năm").select_option(str(YEAR - 2))
    card = page.locator(f'.card[data-village="{VILLAGE}"]')
    expect(card).to_contain_text("Đã nộp")
    card.get_by_role("button", name="Thôn 1").click()
    expect(card).to_contain_text("Người gửi: thon1")
    card.get_by_role("button", name="Xác nhận").click()
    expect(card.locator(".badge")).to_have_text("Đã xác nhận")
    assert revisions(live_node, YEAR - 2)[0]["status"] == "confirmed"


def test_screenshots_of_the_form_and_the_overview_in_vietnamese(
    context: BrowserContext, artifacts: Path
):
    page = context.new_page()
    log_in(page, "thon1")
    open_form(page)
    page.screenshot(path=artifacts / "tally-form-vi.png")
    page.screenshot(path=artifacts / "tally-form-vi-full.png", full_page=True)
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.locator("#username")).to_be_visible()
    log_in(page, "tinh")
    table = page.locator("table.status")
    expect(table).to_contain_text("Huyện Đắk Glei")
    page.screenshot(path=artifacts / "overview-province-vi.png", full_page=True)
    table.get_by_role("link", name="Huyện Đắk Glei", exact=True).click()
    expect(table).to_contain_text("Xã Đắk Pék")
    page.screenshot(path=artifacts / "overview-district-vi.png", full_page=True)
    table.get_by_role("link", name="Tự đánh giá của Xã Đắk Pék").click()
    expect(page.get_by_role("heading", name="Xã Đắk Pék")).to_be_visible()
    expect(page.locator(".level-box")).to_contain_text("Mức độ đạt được")
    read_only = "Chỉ xem: chỉ cán bộ của chính đơn vị này được trả lời."
    expect(page.get_by_text(read_only)).to_be_visible()
    expect(page.get_by_role("button", name="Trả lời")).to_have_count(0)
