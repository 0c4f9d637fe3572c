"""The phone in the field: reconnection, receipts, stalls, shared phones, background sync."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import PASSWORD, LiveNode, require_or_skip

require_or_skip()

from playwright.sync_api import Browser, BrowserContext, Page, Route, expect  # noqa: E402

from tests.browser.pages import LEVEL_1_TALLY, log_in  # noqa: E402

pytestmark = pytest.mark.browser
YEAR = date.today().year
VILLAGE_A = "23353-02"  # thon2
VILLAGE_B = "23353-03"  # thon3
GOOD = {**LEVEL_1_TALLY, "trained_total": 90, "university_total": 20}
# Rewrites the stored session in the app's IndexedDB, as time (or a lost login) would leave it.
SET_TOKENS = """async ([access, refresh]) => {
  const db = await new Promise((ok, bad) => {
    const r = indexedDB.open('xhht')
    r.onsuccess = () => ok(r.result)
    r.onerror = () => bad(r.error)
  })
  const tx = db.transaction('kv', 'readwrite')
  const store = tx.objectStore('kv')
  const session = await new Promise((ok) => {
    const g = store.get('session')
    g.onsuccess = () => ok(g.result)
  })
  if (access !== null) session.access_token = access
  if (refresh !== null) session.refresh_token = refresh
  store.put(session, 'session')
  await new Promise((ok) => { tx.oncomplete = ok })
  db.close()
}"""


@pytest.fixture
def context(chromium: Browser, live_node: LiveNode) -> Iterator[BrowserContext]:
    """A fresh phone: 360×740, Vietnamese, its own IndexedDB and service worker."""
    ctx = chromium.new_context(
        base_url=live_node.url,
        viewport={"width": 360, "height": 740},
        device_scale_factor=1,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


def open_form(page: Page, year: int) -> None:
    """The tally screen for one year, rendered."""
    page.goto(f"/#/tally/{year}")
    expect(page.locator("#f-households_total")).to_be_visible()


def fill(page: Page, values: dict[str, int | str]) -> None:
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


def revisions(node: LiveNode, village: str, year: int) -> list[dict[str, Any]]:
    """Every revision the node stored for a village and year (the officer's view)."""
    with node.api("xa") as api:
        answer = api.get("/api/tallies/history", params={"village": village, "year": year})
    answer.raise_for_status()
    return list(answer.json())


def wait_for_revisions(node: LiveNode, village: str, year: int, count: int) -> list[Any]:
    """Poll the node until it holds `count` revisions (sent by a worker no test page waits on)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        stored = revisions(node, village, year)
        if len(stored) >= count:
            return stored
        time.sleep(0.25)
    return revisions(node, village, year)


def test_two_pages_refreshing_at_once_after_the_access_token_expired_both_stay_logged_in(
    context: BrowserContext,
):
    refreshes: list[int] = []

    def count(route: Route) -> None:
        answer = route.fetch()
        refreshes.append(answer.status)
        route.fulfill(response=answer)

    first = context.new_page()
    log_in(first, "thon2")
    second = context.new_page()
    second.goto("/#/outbox")
    expect(second.get_by_role("heading", name="Hàng đợi gửi")).to_be_visible()
    context.route("**/api/auth/refresh", count)
    first.evaluate(SET_TOKENS, ["access-token-that-expired", None])
    first.goto(f"/#/tally/{YEAR - 3}", wait_until="commit")
    second.goto(f"/#/tally/{YEAR - 3}", wait_until="commit")
    for page in (first, second):
        expect(page.locator("#f-households_total")).to_be_visible()
        expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
        expect(page.locator("#username")).to_have_count(0)
    assert refreshes == [200]  # the second context found the session the first had refreshed
    for page in (first, second):  # and the new tokens keep working after another reload
        page.reload()
        expect(page.locator("#f-households_total")).to_be_visible()
        expect(page.locator("#username")).to_have_count(0)


def test_a_200_that_is_not_a_receipt_keeps_the_item_queued_with_the_reason(
    context: BrowserContext, live_node: LiveNode, artifacts: Path
):
    def captive_portal(route: Route) -> None:
        """A Wi-Fi login page answering every request with 200."""
        if route.request.method != "POST":
            route.continue_()
            return
        route.fulfill(status=200, content_type="text/html", body="<html>Đăng nhập Wi-Fi</html>")

    page = context.new_page()
    log_in(page, "thon2")
    open_form(page, YEAR - 4)
    context.route("**/api/tallies", captive_portal)
    fill(page, {**GOOD, "scholarship_fund_vnd": "52.000.000"})
    submit(page)
    item = page.locator(".outbox-item")
    expect(item.locator(".wait-reason")).to_contain_text("không phải biên nhận của máy chủ")
    expect(item).to_have_attribute("data-state", "pending")
    expect(item).to_contain_text("Đang chờ gửi")
    figures = item.locator("dl.figures")
    expect(figures).to_contain_text("Quỹ khuyến học huy động (đồng)")
    expect(figures).to_contain_text("52.000.000")
    expect(figures).to_contain_text("Tổng số hộ gia đình")
    item.screenshot(path=artifacts / "outbox-card-figures-vi.png")
    assert revisions(live_node, VILLAGE_A, YEAR - 4) == []

    context.unroute("**/api/tallies", captive_portal)
    page.get_by_role("button", name="Gửi ngay").click()
    expect(item).to_have_attribute("data-state", "sent")
    expect(item.locator("dl.figures")).to_contain_text("52.000.000")
    stored = revisions(live_node, VILLAGE_A, YEAR - 4)
    assert [r["client_uuid"] for r in stored] == [item.get_attribute("data-uuid")]


def test_a_stalled_server_times_out_and_the_send_is_retried_later(
    context: BrowserContext, live_node: LiveNode
):
    held: list[Route] = []

    def stall_first(route: Route) -> None:
        """The first POST never gets an answer (a stalled 2G link); later ones go through."""
        if route.request.method == "POST" and not held:
            held.append(route)
            return
        route.continue_()

    page = context.new_page()
    log_in(page, "thon2")
    open_form(page, YEAR - 5)
    context.route("**/api/tallies", stall_first)
    fill(page, GOOD)
    submit(page)
    item = page.locator(".outbox-item")
    expect(item.locator(".wait-reason")).to_contain_text(
        "máy chủ không trả lời sau 20 giây", timeout=30_000
    )
    expect(item).to_have_attribute("data-state", "pending")
    assert len(held) == 1 and revisions(live_node, VILLAGE_A, YEAR - 5) == []
    # The timed-out send let go of the outbox lock: the next flush runs and delivers.
    page.get_by_role("button", name="Gửi ngay").click()
    expect(item).to_have_attribute("data-state", "sent")
    assert len(revisions(live_node, VILLAGE_A, YEAR - 5)) == 1


def test_user_a_queued_tally_survives_user_b_login_and_is_sent_when_a_logs_in(
    context: BrowserContext, live_node: LiveNode
):
    page = context.new_page()
    log_in(page, "thon2")
    open_form(page, YEAR - 6)
    context.set_offline(True)
    fill(page, GOOD)
    submit(page)
    queued = page.locator(".outbox-item")
    expect(queued).to_have_attribute("data-state", "pending")
    uuid = queued.get_attribute("data-uuid")
    # A's session runs out while the phone is offline; back online, the app asks for a login.
    page.evaluate(SET_TOKENS, ["access-token-that-expired", "refresh.token-that-expired"])
    context.set_offline(False)
    page.goto(f"/#/tally/{YEAR - 6}")
    expect(page.get_by_text("Phiên đăng nhập đã hết hạn")).to_be_visible()
    note = page.locator(".others-pending")
    expect(note).to_contain_text("Máy này còn 1 báo cáo chưa gửi của thon2")

    log_in(page, "thon3")
    expect(note).to_contain_text("sẽ tự gửi khi thon2 đăng nhập lại")
    page.goto("/#/outbox")
    expect(page.get_by_text("Không có báo cáo nào trong hàng đợi.")).to_be_visible()
    page.wait_for_timeout(1500)  # B's flush at login has run
    assert revisions(live_node, VILLAGE_A, YEAR - 6) == []  # never sent under B's login

    page.get_by_role("button", name="Đăng xuất").click()  # B has nothing pending: no question
    expect(page.locator("#username")).to_be_visible()
    expect(note).to_contain_text("thon2")
    log_in(page, "thon2")
    page.goto("/#/outbox")
    item = page.locator(f'.outbox-item[data-uuid="{uuid}"]')
    expect(item).to_have_attribute("data-state", "sent")
    expect(page.locator(".others-pending")).to_have_count(0)
    stored = revisions(live_node, VILLAGE_A, YEAR - 6)
    assert [r["client_uuid"] for r in stored] == [uuid]
    assert revisions(live_node, VILLAGE_B, YEAR - 6) == []


def test_background_sync_sends_a_queued_tally_with_the_page_closed(
    context: BrowserContext, live_node: LiveNode
):
    page = context.new_page()
    log_in(page, "thon2")
    open_form(page, YEAR - 7)
    context.set_offline(True)
    fill(page, GOOD)
    submit(page)
    expect(page.locator(".outbox-item")).to_have_attribute("data-state", "pending")
    uuid = page.locator(".outbox-item").get_attribute("data-uuid")
    page.close()

    # No page of the app is open; the browser wakes the service worker for its sync tag.
    blank = context.new_page()
    cdp = context.new_cdp_session(blank)
    registrations: list[dict[str, Any]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not registrations and time.monotonic() < deadline:
        blank.wait_for_timeout(100)
    scope = f"{live_node.url}/"
    registration = next(r for r in registrations if r["scopeURL"] == scope and not r["isDeleted"])
    context.set_offline(False)
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": live_node.url,
            "registrationId": registration["registrationId"],
            "tag": "xhht-outbox",
            "lastChance": False,
        },
    )
    stored = wait_for_revisions(live_node, VILLAGE_A, YEAR - 7, 1)
    assert [r["client_uuid"] for r in stored] == [uuid]
    assert not [p for p in context.pages if p.url.startswith(live_node.url)]


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
    expect(page.get_by_role("alert")).to_have_text(
        "Đăng nhập sai quá nhiều lần. Hãy thử lại sau 15 phút."
    )
