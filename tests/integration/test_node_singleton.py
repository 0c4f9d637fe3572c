"""Two processes (app instances) on one node database: one relay and one rebuilder between them."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from litestar import Litestar, Request, post
from litestar.testing import AsyncTestClient

from backend.db.database import Database
from backend.web.app import create_app
from tests.child_node import Child, child_settings, child_url  # noqa: F401
from tests.conftest import is_postgres
from tests.sync_helpers import snapshot


def _free_port() -> int:
    """A free TCP port on the loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _slow_parent(pushes: list[list[int]], delay: float = 0.5) -> Litestar:
    """A parent that records each push's revisions and answers after a delay."""

    @post("/api/sync/snapshots", status_code=200)
    async def receive(request: Request[Any, Any, Any]) -> dict[str, Any]:
        claims = jwt.decode(await request.body(), options={"verify_signature": False})
        revisions = [int(s["revision"]) for s in claims["snapshots"]]
        pushes.append(revisions)
        await asyncio.sleep(delay)  # both relays would have read the same due rows by now
        items = [{"index": i, "verdict": "accepted"} for i in range(len(revisions))]
        now = datetime.now(UTC).isoformat()
        return {"accepted": len(revisions), "unchanged": 0, "received_at": now, "items": items}

    return Litestar([receive])


@asynccontextmanager
async def serving(app: Litestar, port: int) -> AsyncIterator[None]:
    """Serve an app on 127.0.0.1 until the block ends."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        await task


async def test_two_app_instances_on_one_database_run_one_relay(
    child_url: str,  # noqa: F811
    tmp_path: Path,
):
    pushes: list[list[int]] = []
    port = _free_port()
    settings = child_settings(
        child_url,
        tmp_path / "child",
        Ed25519PrivateKey.generate(),
        XHHT_PARENT_URL=f"http://127.0.0.1:{port}",
    )
    settings = replace(settings, singleton_check_interval=0.1)
    queued = snapshot("610", "610", revision=1000)
    db = Database.from_url(child_url)
    await Child(db, settings).queue(queued)
    await db.dispose()
    async with serving(_slow_parent(pushes), port), AsyncExitStack() as stack:
        apps = [create_app(settings, migrate_on_start=False) for _ in range(2)]
        clients = [await stack.enter_async_context(AsyncTestClient(app)) for app in apps]
        for _ in range(100):
            if pushes:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(1.5)  # time for a second relay, if there were one, to push too
        assert pushes == [[1000]]
        holders = [app for app in apps if app.state.duties.lock.held]
        health = (await clients[0].get("/health")).json()
    assert len(holders) == 1
    assert health["relay"]["holder"] and health["relay"]["last_push_at"]
    assert health["outbox"] == {"pending": 0, "quarantined": 0}


@pytest.mark.skipif(not is_postgres(), reason="several workers serve only a PostgreSQL node")
async def test_serve_with_two_workers_runs_one_relay(
    child_url: str,  # noqa: F811
    tmp_path: Path,
):
    pushes: list[list[int]] = []
    parent_port, port = _free_port(), _free_port()
    data_dir = tmp_path / "child"
    settings = child_settings(child_url, data_dir, Ed25519PrivateKey.generate())  # key on disk
    db = Database.from_url(child_url)
    await Child(db, settings).queue(snapshot("610", "610", revision=1000))
    await db.dispose()
    env = {
        **os.environ,
        "XHHT_DATABASE_URL": child_url,
        "XHHT_DATA_DIR": str(data_dir),
        "XHHT_UNIT": "610",
        "XHHT_PARENT_URL": f"http://127.0.0.1:{parent_port}",
        "XHHT_PARENT_UNIT": "62",
        "XHHT_RELAY_INTERVAL": "0.05",
    }
    command = [sys.executable, "-m", "backend.cli", "serve", "--workers", "2", "--port", str(port)]
    async with serving(_slow_parent(pushes, delay=3.0), parent_port):
        server = subprocess.Popen(command, env=env, start_new_session=True)
        try:
            await _healthy(f"http://127.0.0.1:{port}/health")
            for _ in range(200):
                if pushes:
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(4.0)  # both workers are up by now; a second relay would push
            async with httpx.AsyncClient() as http:
                health = (await http.get(f"http://127.0.0.1:{port}/health")).json()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    assert pushes == [[1000]]
    assert health["relay"]["holder"] and health["relay"]["last_push_at"]


async def _healthy(url: str) -> dict[str, Any]:
    """Wait until a node answers its health check."""
    async with httpx.AsyncClient() as http:
        for _ in range(600):
            try:
                answer = await http.get(url, timeout=1)
                if answer.status_code == 200:
                    return dict(answer.json())
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"{url} never became healthy")
