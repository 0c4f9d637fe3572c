"""What several browser tests do alike: a phone, log in, fill and submit the tally form."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import PASSWORD, LiveNode

# Rates that meet level 1 (62,5% learning citizens, 55% trained, 15% university) but not level 2.
LEVEL_1_TALLY = {
    "households_total": 120,
    "families_registered": 100,
    "families_recognized": 80,
    "clans_total": 6,
    "clans_registered": 5,
    "clans_recognized": 4,
    "citizens_total": 400,
    "citizens_registered": 300,
    "citizens_recognized": 250,
    "units_total": 5,
    "units_registered": 4,
    "units_recognized": 3,
    "village_community_recognized": 1,
    "trained_total": 220,
    "university_total": 60,
    "working_age_total": 260,
    "info_skills_total": 150,
    "life_skills_total": 200,
}


def log_in(page: Page, username: str) -> None:
    """Log in through the form; wait for the session and for the service worker to take control."""
    page.goto("/")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    page.wait_for_function("navigator.serviceWorker.controller !== null")


# Chromium's emulated offline state stops the page's requests, but Background Sync follows the
# host's real network: it wakes the service worker at once and its send can slip past both the
# emulation and page routes. A phone with no signal never fires it, so phones that emulate no
# signal go without it; the background-sync test asks for it.
HIDE_BACKGROUND_SYNC = """
Object.defineProperty(ServiceWorkerRegistration.prototype, 'sync', { get: () => undefined })
"""


def new_phone(chromium: Browser, node: LiveNode, background_sync: bool = False) -> BrowserContext:
    """A fresh phone: 360×740, Vietnamese, its own IndexedDB and service worker."""
    ctx = chromium.new_context(
        base_url=node.url,
        viewport={"width": 360, "height": 740},
        device_scale_factor=1,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    ctx.set_default_timeout(10_000)
    if not background_sync:
        ctx.add_init_script(HIDE_BACKGROUND_SYNC)
    return ctx


def open_form(page: Page, year: int) -> None:
    """The tally screen for one year, rendered."""
    page.goto(f"/#/tally/{year}")
    expect(page.locator("#f-households_total")).to_be_visible()


def fill(page: Page, values: Mapping[str, int | str]) -> None:
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
