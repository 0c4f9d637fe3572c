"""Logging in, staying logged in on a device, rotation, revocation and rate limiting."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import update

from backend.db.tables import refresh_tokens
from backend.services.auth import REFRESH_GRACE
from tests.conftest import PASSWORD, Node
from tests.integration.dossier_helpers import reconfigured


async def login(
    node: Node, username: str = "thon_dakpek_1", password: str = PASSWORD, device: str = "phone-1"
) -> httpx.Response:
    """POST /api/auth/login."""
    return await node.client.post(
        "/api/auth/login", json={"username": username, "password": password, "device_id": device}
    )


async def test_login_returns_tokens_that_open_the_api(node: Node):
    answer = await login(node)
    assert answer.status_code == 200
    pair = answer.json()
    assert pair["token_type"] == "Bearer" and pair["expires_in"] == 900
    assert pair["user"] == {
        "username": "thon_dakpek_1",
        "role": "village_head",
        "unit": "23353-01",
        "unit_name": "Thôn 1",
        "unit_level": "village",
    }
    me = await node.client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {pair['access_token']}"}
    )
    assert me.status_code == 200 and me.json()["username"] == "thon_dakpek_1"


async def test_wrong_password_is_refused_in_both_languages(node: Node):
    answer = await login(node, password="sai-mat-khau")
    assert answer.status_code == 401
    assert answer.json()["code"] == "login_failed"
    assert "mật khẩu" in answer.json()["message_vi"]


async def test_repeated_failures_are_rate_limited_even_with_the_right_password(node: Node):
    node = reconfigured(node, login_delay_ms=60_000)
    for _ in range(5):
        await login(node, password="sai-mat-khau")
    answer = await login(node)
    assert answer.status_code == 429 and answer.json()["code"] == "login_rate_limited"
    assert int(answer.headers["retry-after"]) > 0


async def test_refresh_rotates_and_a_replayed_token_revokes_the_device_session(node: Node):
    first = (await login(node)).json()
    body = {"refresh_token": first["refresh_token"], "device_id": "phone-1"}
    second = await node.client.post("/api/auth/refresh", json=body)
    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    third = await node.client.post(
        "/api/auth/refresh",
        json={"refresh_token": second.json()["refresh_token"], "device_id": "phone-1"},
    )
    assert third.status_code == 200  # the successor is used: the first token has no grace left
    replay = await node.client.post("/api/auth/refresh", json=body)
    assert replay.status_code == 401 and replay.json()["code"] == "refresh_invalid"
    after = await node.client.post(
        "/api/auth/refresh",
        json={"refresh_token": third.json()["refresh_token"], "device_id": "phone-1"},
    )
    assert after.status_code == 401  # the whole family was revoked by the replay


async def test_a_phone_offline_for_a_week_can_still_refresh(node: Node):
    pair = (await login(node)).json()
    week_ago = datetime.now(UTC) - timedelta(days=7)
    async with node.db.write() as conn:
        await conn.execute(update(refresh_tokens).values(created_at=week_ago))
    answer = await node.client.post(
        "/api/auth/refresh", json={"refresh_token": pair["refresh_token"], "device_id": "phone-1"}
    )
    assert answer.status_code == 200


async def test_refresh_is_bound_to_the_device_and_expires(node: Node):
    pair = (await login(node)).json()
    other = await node.client.post(
        "/api/auth/refresh",
        json={"refresh_token": pair["refresh_token"], "device_id": "stolen-phone"},
    )
    assert other.status_code == 401
    async with node.db.write() as conn:
        await conn.execute(
            update(refresh_tokens).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    expired = await node.client.post(
        "/api/auth/refresh", json={"refresh_token": pair["refresh_token"], "device_id": "phone-1"}
    )
    assert expired.status_code == 401


async def test_logout_revokes_the_refresh_token(node: Node):
    pair = (await login(node)).json()
    body = {"refresh_token": pair["refresh_token"], "device_id": "phone-1"}
    assert (await node.client.post("/api/auth/logout", json=body)).status_code == 204
    assert (await node.client.post("/api/auth/refresh", json=body)).status_code == 401


async def refresh(node: Node, token: str, device: str = "phone-1") -> httpx.Response:
    """POST /api/auth/refresh."""
    body = {"refresh_token": token, "device_id": device}
    return await node.client.post("/api/auth/refresh", json=body)


async def test_two_refreshes_at_once_both_get_the_same_new_token_and_stay_logged_in(node: Node):
    pair = (await login(node)).json()
    first, second = await asyncio.gather(
        refresh(node, pair["refresh_token"]), refresh(node, pair["refresh_token"])
    )
    assert [first.status_code, second.status_code] == [200, 200]
    assert first.json()["refresh_token"] == second.json()["refresh_token"]
    assert first.json()["refresh_token"] != pair["refresh_token"]
    for answer in (first, second):
        me = await node.client.get(
            "/api/auth/me", headers={"Authorization": f"Bearer {answer.json()['access_token']}"}
        )
        assert me.status_code == 200
    onward = await refresh(node, first.json()["refresh_token"])
    assert onward.status_code == 200


async def test_a_lost_refresh_answer_asked_again_gets_the_same_pair(node: Node):
    pair = (await login(node)).json()
    lost = await refresh(node, pair["refresh_token"])
    again = await refresh(node, pair["refresh_token"])
    assert again.status_code == 200
    assert again.json()["refresh_token"] == lost.json()["refresh_token"]
    assert (await refresh(node, again.json()["refresh_token"])).status_code == 200


async def test_the_grace_answer_is_for_the_same_device_only(node: Node):
    pair = (await login(node)).json()
    assert (await refresh(node, pair["refresh_token"])).status_code == 200
    assert (await refresh(node, pair["refresh_token"], device="stolen-phone")).status_code == 401


async def test_reuse_after_the_grace_window_revokes_the_family(node: Node):
    pair = (await login(node)).json()
    rotated = (await refresh(node, pair["refresh_token"])).json()
    past = datetime.now(UTC) - REFRESH_GRACE - timedelta(seconds=1)
    token_id = pair["refresh_token"].partition(".")[0]
    async with node.db.write() as conn:
        await conn.execute(
            update(refresh_tokens).where(refresh_tokens.c.id == token_id).values(used_at=past)
        )
    replay = await refresh(node, pair["refresh_token"])
    assert replay.status_code == 401 and replay.json()["code"] == "refresh_invalid"
    assert (await refresh(node, rotated["refresh_token"])).status_code == 401
