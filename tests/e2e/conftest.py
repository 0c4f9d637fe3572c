"""Process-level federations on 127.0.0.1: each node its own process and SQLite file."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend.launcher import Federation, NodeSpec, free_ports
from tests.factories import tally_values


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers (e2e runs on the SQLite leg only; faults on both legs)."""
    config.addinivalue_line("markers", "e2e: several node processes talking over HTTP")
    config.addinivalue_line(
        "markers", "faults: seeded fault schedule over node processes (both databases)"
    )


async def start_federation(
    root: Path, topology: list[tuple[str, str | None]], hierarchy: str = "vn-2008"
) -> Federation:
    """Prepare, start and enroll the nodes of a topology."""
    ports = free_ports(len(topology))
    nodes = {u: NodeSpec(u, p, port) for (u, p), port in zip(topology, ports, strict=True)}
    federation = Federation(root, nodes, hierarchy, env={"XHHT_PULL_INTERVAL": "1"})
    try:
        await federation.up()
    except BaseException:
        federation.stop_all()
        raise
    return federation


@pytest.fixture
async def launch(tmp_path: Path) -> AsyncIterator[Callable[..., Any]]:
    """Start federations for a test; every node is stopped afterwards."""
    started: list[Federation] = []

    async def _launch(topology: list[tuple[str, str | None]], hierarchy: str = "vn-2008"):
        federation = await start_federation(tmp_path / f"fed{len(started)}", topology, hierarchy)
        started.append(federation)
        return federation

    yield _launch
    for federation in started:
        federation.stop_all()


_TOKENS: dict[tuple[int, str], str] = {}


async def admin_token(federation: Federation, unit: str) -> str:
    """An admin access token per node, logged in once (tokens last 15 minutes)."""
    key = (id(federation), unit)
    if key not in _TOKENS:
        _TOKENS[key] = await federation.token(unit, "admin")
    return _TOKENS[key]


async def submit(federation: Federation, unit: str, village: str, scale: int) -> dict[str, int]:
    """A village tally sent to a running node as its admin; returns the values."""
    values = tally_values(scale)
    token = await admin_token(federation, unit)
    async with httpx.AsyncClient(timeout=20.0) as http:
        answer = await http.post(
            f"{federation.nodes[unit].url}/api/tallies",
            json={
                "client_uuid": str(uuid.uuid4()),
                "village": village,
                "year": 2025,
                "values": values,
            },
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 201, answer.text
    return values


async def rows(federation: Federation, unit: str, level: str) -> dict[str, dict[str, Any]]:
    """The federation view of a node at a level, by unit code."""
    token = await admin_token(federation, unit)
    async with httpx.AsyncClient(timeout=20.0) as http:
        answer = await http.get(
            f"{federation.nodes[unit].url}/api/federation/status",
            params={"year": 2025, "level": level},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 200, answer.text
    return {r["unit"]: r for r in answer.json()}


async def eventually(check: Callable[[], Any], timeout: float = 45.0) -> Any:
    """Poll an async check until it returns something truthy; fail with its last value."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(0.3)
    raise AssertionError(f"no convergence within {timeout}s; last check: {last!r}")
