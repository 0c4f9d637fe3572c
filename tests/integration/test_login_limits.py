"""Login attempts are counted in the database before the password is checked."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import httpx
import pytest

from backend.services import auth, login_guard
from backend.web.app import create_app
from tests.conftest import PASSWORD, Node


@pytest.fixture
def verified(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Passwords that reached the (slow) hash check, in order."""
    seen: list[str] = []
    real = auth._verify

    def counting(password_hash: str, password: str) -> bool:
        seen.append(password)
        return real(password_hash, password)

    monkeypatch.setattr(auth, "_verify", counting)
    return seen


def _client(node: Node, address: str = "127.0.0.1", **settings: object) -> httpx.AsyncClient:
    """A client of the same node (optionally other settings) from a given address."""
    app = create_app(replace(node.settings, **settings), migrate_on_start=False, database=node.db)
    transport = httpx.ASGITransport(app=app, client=(address, 50002))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def _login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    body = {"username": username, "password": password, "device_id": "phone-1"}
    return await client.post("/api/auth/login", json=body)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The login counters' clock, in milliseconds, moved by the test."""
    now = [1_800_000_000_000]
    monkeypatch.setattr(login_guard, "now_in_ms", lambda: now[0])
    return now


async def test_forty_parallel_guesses_get_five_checks_and_then_even_the_right_password_waits(
    node: Node, verified: list[str], clock: list[int]
):
    passwords = [f"sai-{i}" for i in range(40)]
    answers = await asyncio.gather(*(_login(node.client, "thon_dakpek_1", p) for p in passwords))
    statuses = [a.status_code for a in answers]
    print(f"40 parallel: {statuses.count(401)}×401, {statuses.count(429)}×429")
    assert len(verified) == 5
    assert statuses.count(401) == 5 and statuses.count(429) == 35
    assert all(int(a.headers["retry-after"]) >= 1 for a in answers if a.status_code == 429)
    right = await _login(node.client, "thon_dakpek_1", PASSWORD)
    assert right.status_code == 429 and len(verified) == 5


async def test_one_address_trying_many_usernames_is_stopped(
    node: Node, verified: list[str], clock: list[int]
):
    names = [f"khong-co-{i}" for i in range(30)]
    answers = [await _login(node.client, name, "sai") for name in names]
    statuses = [a.status_code for a in answers]
    assert statuses.count(401) == 20 and statuses[20:] == [429] * 10
    assert len(verified) == 20
    other = _client(node, address="10.0.0.9")
    async with other:
        assert (await _login(other, "thon_dakpek_1", PASSWORD)).status_code == 200


async def test_after_failures_the_user_waits_a_short_doubling_delay_not_a_lock(
    node: Node, clock: list[int]
):
    client, user = node.client, "thon_dakpek_1"
    for _ in range(5):
        assert (await _login(client, user, "sai")).status_code == 401
    refused = await _login(client, user, PASSWORD)
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    clock[0] += 1000
    assert (await _login(client, user, "sai")).status_code == 401
    refused = await _login(client, user, PASSWORD)
    assert refused.status_code == 429 and refused.headers["retry-after"] == "2"
    clock[0] += 2000
    assert (await _login(client, user, PASSWORD)).status_code == 200
    assert (await _login(client, user, "sai")).status_code == 401


async def test_long_usernames_are_limited_like_short_ones(
    node: Node, verified: list[str], clock: list[int]
):
    name = "x" * 200
    statuses = [(await _login(node.client, name, "sai")).status_code for _ in range(7)]
    assert statuses == [401] * 5 + [429] * 2 and len(verified) == 5
