"""Access tokens: exp, iss and jti required; revoked at logout; refresh bound to a device."""

from __future__ import annotations

import time

import jwt
import pytest
from sqlalchemy import update

from backend.db.tables import refresh_tokens
from backend.web import tokens
from tests.conftest import PASSWORD, Node

SECRET = "a-test-secret-long-enough-for-hs256-keys"


def _forged(node: Node, **changes: object) -> dict[str, str]:
    """A token signed with the node's own secret, with some claims changed or removed."""
    now = int(time.time())
    user_id = node.users["admin"][0]
    claims: dict[str, object] = {
        "sub": str(user_id), "usr": "admin", "role": "admin", "unit": "62", "path": "/62/",
        "dev": "d", "iat": now, "exp": now + 600, "aud": tokens.AUDIENCE, "iss": "62",
        "jti": "abc",
    }  # fmt: skip
    claims.update(changes)
    claims = {k: v for k, v in claims.items() if v is not None}
    token = jwt.encode(claims, node.settings.secret, algorithm=tokens.ALGORITHM)
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    "changes",
    [{"exp": None}, {"iss": None}, {"iss": "610"}, {"jti": None}, {"sub": None}],
    ids=["no exp", "no iss", "other node's iss", "no jti", "no sub"],
)
async def test_tokens_missing_a_required_claim_or_from_another_node_are_refused(
    node: Node, changes: dict[str, object]
):
    assert (await node.client.get("/api/auth/me", headers=_forged(node))).status_code == 200
    answer = await node.client.get("/api/auth/me", headers=_forged(node, **changes))
    assert answer.status_code == 401 and answer.json()["code"] == "token_invalid"


async def _login(node: Node, device: str = "phone-1") -> dict[str, object]:
    body = {"username": "thon_dakpek_1", "password": PASSWORD, "device_id": device}
    answer = await node.client.post("/api/auth/login", json=body)
    assert answer.status_code == 200
    pair: dict[str, object] = answer.json()
    return pair


async def test_logout_revokes_the_access_token_until_it_expires(node: Node):
    pair = await _login(node)
    bearer = {"Authorization": f"Bearer {pair['access_token']}"}
    assert (await node.client.get("/api/auth/me", headers=bearer)).status_code == 200
    body = {"refresh_token": pair["refresh_token"], "device_id": "phone-1"}
    assert (
        await node.client.post("/api/auth/logout", json=body, headers=bearer)
    ).status_code == 204
    after = await node.client.get("/api/auth/me", headers=bearer)
    assert after.status_code == 401 and after.json()["code"] == "token_revoked"
    other = await _login(node, "phone-2")
    again = {"Authorization": f"Bearer {other['access_token']}"}
    assert (await node.client.get("/api/auth/me", headers=again)).status_code == 200


async def test_a_refresh_token_without_a_device_works_from_no_device(node: Node):
    pair = await _login(node)
    token_id = str(pair["refresh_token"]).split(".")[0]
    async with node.db.write() as conn:  # as issued by an earlier release, without a device
        await conn.execute(
            update(refresh_tokens).where(refresh_tokens.c.id == token_id).values(device_id="")
        )
    for device in ("phone-1", "other"):
        body = {"refresh_token": pair["refresh_token"], "device_id": device}
        answer = await node.client.post("/api/auth/refresh", json=body)
        assert answer.status_code == 401 and answer.json()["code"] == "refresh_invalid"
    no_device = {"refresh_token": pair["refresh_token"], "device_id": ""}
    assert (await node.client.post("/api/auth/refresh", json=no_device)).status_code == 422


async def test_a_verified_token_is_not_decoded_again(node: Node, monkeypatch: pytest.MonkeyPatch):
    decoded: list[str] = []
    real = tokens._decode

    def counting(secret: str, issuer: str, token: str) -> tokens.AccessClaims:
        decoded.append(token)
        return real(secret, issuer, token)

    monkeypatch.setattr(tokens, "_decode", counting)
    headers = node.auth("xa_dakpek")
    for _ in range(3):
        answer = await node.client.get("/api/units/23353", headers=headers)
        assert answer.status_code == 200
    assert len(decoded) == 1


def test_an_expired_token_leaves_the_cache():
    token = tokens.issue_access_token(SECRET, -1, 1, "u", "admin", "62", "/62/", "d", issuer="62")
    with pytest.raises(Exception, match="expired"):
        tokens.verify_access_token(SECRET, "62", token)
    assert not any(key[2] == token for key in tokens._VERIFIED)
