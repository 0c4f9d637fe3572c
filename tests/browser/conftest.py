"""A real node process (SQLite, CLI-seeded) and Debian's Chromium, shared by the browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
DIST = ROOT / "pwa" / "dist"
UNITS_CSV = ROOT / "shared_schema" / "fixtures" / "units-kontum-dakglei.csv"
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "mat-khau-trinh-duyet"
# username → (role, unit): the village head, their commune officer, the province officer; a
# second commune (Xã Đắk Man) with its own officer and village head for the self-assessment test;
# a third (Xã Đắk Plô) for the dossier test; two more village heads sharing one phone and a user
# whose logins get locked, for the field tests.
USERS = {
    "thon1": ("village_head", "23353-01"),
    "xa": ("commune_officer", "23353"),
    "tinh": ("province_officer", "62"),
    "xa_man": ("commune_officer", "23347"),
    "thon_man": ("village_head", "23347-01"),
    "xa_plo": ("commune_officer", "23344"),
    "thon_plo": ("village_head", "23344-01"),
    "thon2": ("village_head", "23353-02"),
    "thon3": ("village_head", "23353-03"),
    "khoa": ("village_head", "23344-02"),
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def missing_prerequisite() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium; never `playwright install`)"
    if not (DIST / "index.html").exists():
        return "pwa/dist is not built (cd pwa && npm ci && npm run build)"
    return None


@dataclass
class LiveNode:
    """A node running as its own process on 127.0.0.1."""

    url: str

    def token(self, username: str) -> str:
        """An access token through the real login route."""
        body = {"username": username, "password": PASSWORD, "device_id": "pytest"}
        answer = httpx.post(f"{self.url}/api/auth/login", json=body, timeout=10)
        answer.raise_for_status()
        return str(answer.json()["access_token"])

    def api(self, username: str) -> httpx.Client:
        """An HTTP client acting as one user."""
        headers = {"Authorization": f"Bearer {self.token(username)}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10)


def _free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(env: dict[str, str], *commands: list[str], stdin: str = "") -> None:
    """Run `xhht` sub-commands in order, in one process (one import instead of one per command)."""
    calls = "; ".join(f"main({c!r})" for c in commands)
    cmd = [sys.executable, "-c", f"from backend.cli import main; {calls}"]
    subprocess.run(
        cmd, cwd=ROOT, env=env, check=True, capture_output=True, timeout=60, input=stdin.encode()
    )


def wait_healthy(
    url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 30
) -> None:
    """Poll /health until the node answers; fail with its log if it dies or hangs."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"node exited early:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    shown = log.read_text(errors="replace")
    raise RuntimeError(f"node not healthy after {seconds:.0f} s:\n{shown}")


@pytest.fixture(scope="session")
def live_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveNode]:
    """Import units, add users and serve, all through the CLI, on a private SQLite data dir."""
    data = tmp_path_factory.mktemp("browser-node")
    env = {k: v for k, v in os.environ.items() if not k.startswith("XHHT_")}
    env |= {"XHHT_DATA_DIR": str(data), "XHHT_UNIT": "62", "XHHT_RELAY": "0"}
    users = [
        ["users", "add", name, "--role", role, "--unit", unit, "--password-stdin"]
        for name, (role, unit) in USERS.items()
    ]
    _cli(env, ["units", "import", str(UNITS_CSV)], *users, stdin=f"{PASSWORD}\n" * len(users))
    port = _free_port()
    log = data / "node.log"
    cmd = [sys.executable, "-c", "from backend.cli import main; main()", "serve"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, process, log)
        yield LiveNode(url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never a downloaded browser).

    Module scope: sync Playwright keeps its own event loop running while open, which would
    stop pytest-asyncio from running the async tests collected after this module.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (git-ignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def require_or_skip() -> None:
    """Skip with the reason, unless the harness says the browser leg must run."""
    reason = missing_prerequisite()
    if reason is None:
        return
    if os.environ.get("XHHT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required but cannot run: {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)
