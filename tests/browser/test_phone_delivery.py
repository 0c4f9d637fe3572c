"""The phone in the field: reconnection, receipts, stalls, shared phones, background sync."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LiveNode, require_or_skip

require_or_skip()

from playwright.sync_api import Browser, BrowserContext, Route, expect  # noqa: E402

from tests.browser.pages import (  # noqa: E402
    LEVEL_1_TALLY,
    fill,
    log_in,
    new_phone,
    open_form,
    revisions,
    submit,
    wait_for_revisions,
)

pytestmark = pytest.mark.browser
YEAR = date.today().year
VILLAGE_A = "23353-02"  # thon2
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


@pytest.fixture
def phone_with_background_sync(chromium: Browser, live_node: LiveNode) -> Iterator[BrowserContext]:
    """A fresh phone whose browser may wake the service worker to send (Background Sync)."""
    ctx = new_phone(chromium, live_node, background_sync=True)
    ctx.set_default_timeout(20_000)
    yield ctx
    ctx.close()


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
    phone_with_background_sync: BrowserContext, live_node: LiveNode
):
    context = phone_with_background_sync
    page = context.new_page()
    log_in(page, "thon3")
    open_form(page, YEAR - 4)
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
    stored = wait_for_revisions(live_node, VILLAGE_B, YEAR - 4, 1)
    assert [r["client_uuid"] for r in stored] == [uuid]
    assert not [p for p in context.pages if p.url.startswith(live_node.url)]
