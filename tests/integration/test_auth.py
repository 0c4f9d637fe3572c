"""Logging in, staying logged in on a device, rotation, revocation and rate limiting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from backend.db.tables import refresh_tokens
from tests.conftest import PASSWORD, Node
from tests.integration.dossier_helpers import reconfigured


async def login(
    node: Node, username: str = "thon_dakpek_1", password: str = PASSWORD, device: str = "phone-1"
) -> object:
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
    replay = await node.client.post("/api/auth/refresh", json=body)
    assert replay.status_code == 401 and replay.json()["code"] == "refresh_invalid"
    after = await node.client.post(
        "/api/auth/refresh",
        json={"refresh_token": second.json()["refresh_token"], "device_id": "phone-1"},
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
