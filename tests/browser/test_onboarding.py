"""Onboarding in Chromium at 360×740: a CSV of village heads → the sheet → a QR link → a tally."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest

from tests.browser.conftest import (
    ROOT,
    UNITS_CSV,
    _cli,
    _free_port,
    require_or_skip,
    wait_healthy,
)

require_or_skip()

import pypdfium2  # noqa: E402
import zxingcpp  # noqa: E402
from playwright.sync_api import Browser, BrowserContext, Page, expect  # noqa: E402

from tests.browser.pages import LEVEL_1_TALLY  # noqa: E402

pytestmark = pytest.mark.browser
COMMUNE = "23350"  # Xã Đắk Nhoong: no user of its own in the shared browser node
OTHER = "23341"  # Thị trấn Đắk Glei: the other commune whose officer must be refused
YEAR = date.today().year
PROVINCE_PASSWORD = "Tỉnh-Kon-Tum-2025"
OFFICER_PASSWORD = "Xã-Đắk-Nhoong-2025"
HEAD_PASSWORD = "Thôn-một-Đắk-Nhoong"
HEADS_CSV = (
    "village,full_name,phone\n"
    f"{COMMUNE}-01,A Thương,0912345678\n"
    f"{COMMUNE}-02,Y Blơng,\n"
    f"{COMMUNE}-03,Nguyễn Văn Hùng,\n"
    f"{COMMUNE}-04,Đinh Thị Lụa,0987654321\n"
    f"{COMMUNE}-05,A Kiên,\n"
)


@dataclass
class OnboardNode:
    """A node of its own (SQLite file reachable, to age a code), seeded with one province login."""

    url: str
    data: Path

    def token(self, username: str, password: str) -> str:
        """An access token through the real login route."""
        body = {"username": username, "password": password, "device_id": "pytest"}
        answer = httpx.post(f"{self.url}/api/auth/login", json=body, timeout=10)
        answer.raise_for_status()
        return str(answer.json()["access_token"])

    def api(self, username: str, password: str) -> httpx.Client:
        """An HTTP client acting as one user."""
        headers = {"Authorization": f"Bearer {self.token(username, password)}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10)

    def officer(self, username: str, commune: str, password: str) -> None:
        """A commune officer created by the province and activated through the API."""
        with self.api("tinh", PROVINCE_PASSWORD) as api:
            body = {
                "username": username,
                "full_name": "Cán bộ",
                "role": "commune_officer",
                "unit": commune,
            }
            code = api.post("/api/users", json=body).raise_for_status().json()["code"]
        answer = httpx.post(
            f"{self.url}/api/auth/activate", json={"code": code, "password": password}, timeout=10
        )
        answer.raise_for_status()


@pytest.fixture(scope="module")
def onboard_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OnboardNode]:
    """Units imported and the province officer added through the CLI (password on stdin)."""
    data = tmp_path_factory.mktemp("onboard-node")
    env = {k: v for k, v in os.environ.items() if not k.startswith("XHHT_")}
    env |= {"XHHT_DATA_DIR": str(data), "XHHT_UNIT": "62", "XHHT_RELAY": "0"}
    add = ["users", "add", "tinh", "--role", "province_officer", "--unit", "62", "--password-stdin"]
    _cli(env, ["units", "import", str(UNITS_CSV)], add, stdin=f"{PROVINCE_PASSWORD}\n")
    port = _free_port()
    log = data / "node.log"
    cmd = [sys.executable, "-c", "from backend.cli import main; main()", "serve"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        node = OnboardNode(f"http://127.0.0.1:{port}", data)
        wait_healthy(node.url, process, log, seconds=120)  # a loaded machine starts slowly
        node.officer("xa_nhoong", COMMUNE, OFFICER_PASSWORD)
        node.officer("xa_thitran", OTHER, OFFICER_PASSWORD)
        with node.api("xa_nhoong", OFFICER_PASSWORD) as api:
            for n in (4, 5):
                unit = {
                    "code": f"{COMMUNE}-0{n}",
                    "name": f"Thôn {n}",
                    "level": "village",
                    "parent_code": COMMUNE,
                }
                api.post("/api/units", json=unit).raise_for_status()
        yield node
    finally:
        process.terminate()
        process.wait(timeout=10)


def phone(chromium: Browser, url: str) -> BrowserContext:
    """A phone-sized Vietnamese browser profile (360×740) with its own storage."""
    ctx = chromium.new_context(
        base_url=url,
        viewport={"width": 360, "height": 740},
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        accept_downloads=True,
    )
    ctx.set_default_timeout(15_000)
    return ctx


def log_in(page: Page, username: str, password: str) -> None:
    """Log in through the form."""
    page.goto("/")
    page.fill("#username", username)
    page.fill("#password", password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def officer_imports_heads(page: Page, shots: Path) -> None:
    """Users screen → choose the CSV → five rows previewed → create them all."""
    page.get_by_role("navigation").get_by_role("link", name="Người dùng").click()
    csv = shots / "truong-thon.csv"
    csv.write_text(HEADS_CSV, encoding="utf-8")
    page.get_by_test_id("users-csv").set_input_files(str(csv))
    expect(page.get_by_text("5 dòng hợp lệ, 0 dòng có lỗi")).to_be_visible()
    expect(page.locator("table.import-preview tbody tr")).to_have_count(5)
    page.screenshot(path=str(shots / "onboard-import-preview.png"), full_page=True)
    page.get_by_role("button", name="Tạo 5 tài khoản").click()
    expect(page.get_by_text("Đã tạo 5 tài khoản.")).to_be_visible()
    expect(page.locator("table.users-table tbody tr[data-username]")).to_have_count(6)


def download_sheet(page: Page, shots: Path) -> tuple[bytes, set[str]]:
    """The sheet through the app's button; its pages as PNG; the links its QR codes carry."""
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải phiếu kích hoạt (PDF, A4)").click()
    pdf_path = shots / "onboard-activation-sheet.pdf"
    download.value.save_as(pdf_path)
    pdf = pdf_path.read_bytes()
    links: set[str] = set()
    for index, page_pdf in enumerate(pypdfium2.PdfDocument(pdf)):
        image = page_pdf.render(scale=200 / 72).to_pil()
        image.save(shots / f"onboard-activation-sheet-{index + 1}.png")
        links |= {found.text for found in zxingcpp.read_barcodes(image)}
    return pdf, links


def activate_and_submit(page: Page, link: str, shots: Path) -> None:
    """The card's link opens activation with the code filled in; then a tally goes out."""
    page.goto(link)
    code = link.rsplit("/", 1)[1]
    expect(page.locator("#activation-code")).to_have_value(code)
    page.fill("#new-password", HEAD_PASSWORD)
    page.fill("#repeat-password", HEAD_PASSWORD)
    page.screenshot(path=str(shots / "onboard-activation-screen.png"))
    page.get_by_role("button", name="Kích hoạt").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    page.goto(f"/#/tally/{YEAR}")
    expect(page.locator("#f-households_total")).to_be_visible()
    for field, value in LEVEL_1_TALLY.items():
        if field == "village_community_recognized":
            page.check(f'input[name="f-{field}"][value="{value}"]')
        else:
            page.fill(f"#f-{field}", str(value))
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.locator(".outbox-item")).to_have_count(1)


def refused_activation(ctx: BrowserContext, link: str, expected: str) -> None:
    """Opening a card's link and choosing a password is refused with the reason."""
    page = ctx.new_page()
    page.goto(link)
    page.fill("#new-password", "Một-mật-khẩu-khác-9")
    page.fill("#repeat-password", "Một-mật-khẩu-khác-9")
    page.get_by_role("button", name="Kích hoạt").click()
    expect(page.get_by_role("alert")).to_contain_text(expected)
    page.close()


def test_officer_onboards_five_heads_and_one_submits_from_the_cards_qr_link(
    chromium: Browser, onboard_node: OnboardNode, artifacts: Path
):
    officer = phone(chromium, onboard_node.url)
    head = phone(chromium, onboard_node.url)
    try:
        page = officer.new_page()
        log_in(page, "xa_nhoong", OFFICER_PASSWORD)
        officer_imports_heads(page, artifacts)
        pdf, links = download_sheet(page, artifacts)
        assert pdf.startswith(b"%PDF")
        text = "".join(p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(pdf))
        for name in ("A Thương", "Y Blơng", "Nguyễn Văn Hùng", "Đinh Thị Lụa", "A Kiên"):
            assert name in text
        assert len(links) == 5
        assert all(
            re.fullmatch(rf"{re.escape(onboard_node.url)}/#/activate/\d{{10}}", link)
            for link in links
        )
        first = sorted(links)[0]
        activate_and_submit(head.new_page(), first, artifacts)
        tallies = wait_for_tallies(onboard_node)
        assert len(tallies) == 1 and tallies[0]["submitted_by"].startswith(f"th{COMMUNE}-")
        refused_activation(head, first, "đã được dùng")
        expire_open_codes(onboard_node)
        refused_activation(head, sorted(links)[1], "hết hạn")
        other_officer_is_refused(onboard_node, chromium, artifacts)
    finally:
        officer.close()
        head.close()


def wait_for_tallies(node: OnboardNode) -> list[dict[str, object]]:
    """The commune's tallies once the phone's outbox has delivered (within 15 s)."""
    with node.api("xa_nhoong", OFFICER_PASSWORD) as api:
        for _ in range(60):
            tallies = api.get("/api/tallies", params={"unit": COMMUNE, "year": YEAR}).json()
            if tallies:
                return list(tallies)
            time.sleep(0.25)
    return []


def expire_open_codes(node: OnboardNode) -> None:
    """Age every still-open code past its expiry, straight in the node's SQLite file."""
    with sqlite3.connect(node.data / "xhht.sqlite3") as db:
        db.execute(
            "UPDATE activation_codes SET expires_at = '2000-01-01 00:00:00' WHERE used_at IS NULL"
        )


def other_officer_is_refused(node: OnboardNode, chromium: Browser, shots: Path) -> None:
    """Another commune's officer cannot list, reset or deactivate these users (API and screen)."""
    with node.api("xa_thitran", OFFICER_PASSWORD) as api:
        assert api.get("/api/users", params={"unit": COMMUNE}).status_code == 403
        for action in ("reset", "deactivate"):
            assert api.post(f"/api/users/th{COMMUNE}-01/{action}").status_code == 403
    ctx = phone(chromium, node.url)
    page = ctx.new_page()
    log_in(page, "xa_thitran", OFFICER_PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Người dùng").click()
    page.fill("#users-unit", COMMUNE)
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("alert")).to_contain_text("ngoài phạm vi")
    page.screenshot(path=str(shots / "onboard-other-commune-refused.png"))
    ctx.close()


def test_the_dak_glei_roadmap_warns_by_name_before_and_after_saving(
    chromium: Browser, onboard_node: OnboardNode, artifacts: Path
):
    ctx = phone(chromium, onboard_node.url)
    try:
        page = ctx.new_page()
        log_in(page, "tinh", PROVINCE_PASSWORD)
        page.get_by_role("navigation").get_by_role("link", name="Chỉ tiêu").click()
        roadmap = ROOT / "shared_schema" / "fixtures" / "roadmap-kontum-dakglei.csv"
        page.get_by_test_id("targets-csv").set_input_files(str(roadmap))
        warning = "Lộ trình Huyện Đắk Glei năm 2025 (mức độ 1): chỉ tiêu 4.1 cần 90%"
        warnings = page.get_by_test_id("roadmap-warnings")
        expect(warnings).to_contain_text(warning)
        expect(warnings).to_contain_text("10/12")
        page.screenshot(path=str(artifacts / "onboard-roadmap-preview.png"), full_page=True)
        page.get_by_role("button", name=re.compile(r"Lưu \d+ chỉ tiêu")).click()
        expect(page.get_by_text(re.compile(r"Đã lưu \d+ chỉ tiêu"))).to_be_visible()
        expect(page.get_by_test_id("roadmap-warnings")).to_contain_text(warning)
        page.screenshot(path=str(artifacts / "onboard-roadmap-saved.png"), full_page=True)
    finally:
        ctx.close()


def test_a_recogniser_records_a_decision_from_the_communes_page(
    chromium: Browser, onboard_node: OnboardNode
):
    ctx = phone(chromium, onboard_node.url)
    try:
        page = ctx.new_page()
        log_in(page, "tinh", PROVINCE_PASSWORD)
        page.goto(f"/#/commune/{COMMUNE}")
        panel = page.locator("section.recognitions")
        panel.get_by_text("Ghi quyết định công nhận (ngoài hồ sơ)").click()
        panel.get_by_label("Năm").fill(str(YEAR - 1))
        panel.get_by_label("Mức độ").fill("1")
        panel.get_by_label("Số quyết định").fill(f"{uuid.uuid4().hex[:4]}/QĐ-UBND")
        panel.get_by_label("Ngày quyết định").fill(f"{YEAR}-01-15")
        panel.get_by_label("Người ký").fill("Nguyễn Văn A")
        panel.get_by_role("button", name="Ghi quyết định").click()
        expect(panel.get_by_text("Đã ghi quyết định.")).to_be_visible()
        expect(panel.locator("li")).to_contain_text("Nguyễn Văn A")
    finally:
        ctx.close()
    with onboard_node.api("xa_nhoong", OFFICER_PASSWORD) as api:
        seen = api.get("/api/recognitions", params={"unit": COMMUNE}).json()
    assert [r["signer"] for r in seen] == ["Nguyễn Văn A"]


def test_every_user_changes_their_password_and_a_weak_one_is_explained(
    chromium: Browser, onboard_node: OnboardNode, artifacts: Path
):
    ctx = phone(chromium, onboard_node.url)
    try:
        page = ctx.new_page()
        log_in(page, "xa_thitran", OFFICER_PASSWORD)
        page.get_by_role("navigation").get_by_role("link", name="Đổi mật khẩu").click()
        page.fill("#current-password", OFFICER_PASSWORD)
        page.fill("#new-password", "matkhau123")
        page.fill("#repeat-password", "matkhau123")
        page.get_by_role("button", name="Đổi mật khẩu").click()
        expect(page.get_by_role("alert")).to_contain_text("danh sách mật khẩu phổ biến")
        page.screenshot(path=str(artifacts / "onboard-password-refused.png"))
        page.fill("#new-password", "Sông-Pô-Kô-chảy-mãi")
        page.fill("#repeat-password", "Sông-Pô-Kô-chảy-mãi")
        page.get_by_role("button", name="Đổi mật khẩu").click()
        expect(page.get_by_role("status")).to_contain_text("Đã đổi mật khẩu")
    finally:
        ctx.close()
    assert onboard_node.token("xa_thitran", "Sông-Pô-Kô-chảy-mãi")
