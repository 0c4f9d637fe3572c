"""`xhht serve --workers N` on PostgreSQL: one relay and one rebuilder per node, whatever N."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import jwt
import pytest

from backend.config import REPO_ROOT, Settings
from backend.db.database import Database
from backend.db.repositories import users as user_repo
from backend.launcher import free_ports
from backend.relay.identity import init_key
from backend.services.units import import_units, parse_units_csv
from backend.web.tokens import issue_access_token
from shared_schema.framework_loader import load_framework
from tests.conftest import FIXTURES, is_postgres
from tests.factories import tally_body, tally_values

pytestmark = pytest.mark.skipif(not is_postgres(), reason="several workers need PostgreSQL")
VILLAGES = ["23353-01", "23353-02", "23353-03", "23347-01", "23347-02"]


class RecordingParent(BaseHTTPRequestHandler):
    """A parent node that accepts every push and remembers what it received."""

    pushes: ClassVar[list[tuple[str, int, int, int]]] = []  # (unit, year, revision, households)
    lock = threading.Lock()

    def _answer(self, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.startswith("/api/sync/node"):
            self._answer({"unit": "62"})
        else:
            self._answer({"decisions": [], "cursor": 0})

    def do_POST(self) -> None:
        token = self.rfile.read(int(self.headers["Content-Length"])).decode()
        claims = jwt.decode(token, options={"verify_signature": False})
        time.sleep(0.1)  # a slow link widens the window in which two relays would overlap
        with self.lock:
            for s in claims["snapshots"]:
                total = int(s.get("totals", {}).get("households_total", 0))
                self.pushes.append((s["unit"], s["year"], s["revision"], total))
        now = datetime.now(UTC).isoformat()
        self._answer({"accepted": len(claims["snapshots"]), "unchanged": 0, "received_at": now})

    def log_message(self, *_args: object) -> None:
        """Quiet."""


@pytest.fixture
def parent() -> Iterator[str]:
    """The recording parent on a free loopback port."""
    RecordingParent.pushes = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), RecordingParent)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


async def seeded_env(database_url: str, data_dir: Path, parent_url: str) -> dict[str, str]:
    """Units, an admin, a node key; the environment of node 610 under the recording parent."""
    env = {
        "XHHT_DATA_DIR": str(data_dir),
        "XHHT_DATABASE_URL": database_url,
        "XHHT_UNIT": "610",
        "XHHT_PARENT_URL": parent_url,
        "XHHT_PARENT_UNIT": "62",
        "XHHT_RELAY_INTERVAL": "0.05",
        "XHHT_RELAY_BATCH": "3",
    }
    db = Database.from_url(database_url)
    try:
        text_csv = (FIXTURES / "units-kontum-dakglei.csv").read_text(encoding="utf-8")
        await import_units(db, load_framework(), parse_units_csv(text_csv))
        async with db.write() as conn:
            await user_repo.insert(
                conn,
                username="admin",
                password_hash="-",
                role="admin",
                unit_code="610",
                active=True,
                created_at=datetime.now(UTC),
            )
    finally:
        await db.dispose()
    init_key(data_dir)
    return env


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    """`xhht serve --workers N` as an operator would start it."""
    command = [sys.executable, "-m", "backend.cli", "serve", "--port", str(port)]
    return subprocess.Popen(
        [*command, "--workers", str(workers), "--log-level", "warning"],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
    )


async def test_three_workers_push_each_revision_once_and_the_last_one_is_right(
    database_url: str, tmp_path: Path, parent: str
):
    env = await seeded_env(database_url, tmp_path / "data", parent)
    settings = Settings.from_env(env)
    port = free_ports(1)[0]
    process = serve(env, port, workers=3)
    try:
        url = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=url, timeout=20) as http:
            await wait_healthy(http, process)
            token = issue_access_token(
                settings.secret, 900, 1, "admin", "admin", "610", "/62/610/", "test", issuer="610"
            )
            headers = {"Authorization": f"Bearer {token}"}
            expected: dict[str, int] = {}
            for round_ in range(4):
                bodies = []
                for village in VILLAGES:
                    households = 100 + 10 * round_ + VILLAGES.index(village)
                    expected[village] = households
                    bodies.append(tally_body(village, **tally_values(households_total=households)))
                answers = await asyncio.gather(
                    *[http.post("/api/tallies", json=b, headers=headers) for b in bodies]
                )
                assert [a.status_code for a in answers] == [201] * len(bodies)
        total = sum(expected.values())
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            latest = _latest(RecordingParent.pushes, "610")
            if latest is not None and latest[3] == total:
                break
            await asyncio.sleep(0.2)
        await asyncio.sleep(2)  # anything still racing would push again now
    finally:
        process.terminate()
        process.wait(20)
    pushes = list(RecordingParent.pushes)
    latest = _latest(pushes, "610")
    assert latest is not None and latest[3] == total, "the district snapshot went up stale"
    keys = [(u, y, r) for u, y, r, _ in pushes]
    assert len(keys) == len(set(keys)), "a revision was pushed twice: two relays ran"


async def wait_healthy(http: httpx.AsyncClient, process: subprocess.Popen[bytes]) -> None:
    """Until every worker has started and /health answers (slow machines: two minutes)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "xhht serve exited"
        try:
            if (await http.get("/health")).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.3)
    raise TimeoutError("xhht serve --workers did not start")


def _latest(pushes: list[tuple[str, int, int, int]], unit: str) -> tuple[str, int, int, int] | None:
    """The highest revision received for a unit."""
    mine = [p for p in pushes if p[0] == unit]
    return max(mine, key=lambda p: p[2]) if mine else None
