"""Activation codes: single use, expiring, rate limited, and the policy applies to the password."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from backend.db.tables import activation_codes
from tests.conftest import Node
from tests.integration.onboarding_helpers import activate, create_user

HEAD = {
    "username": "thon3-dakpek",
    "full_name": "Y Blao",
    "role": "village_head",
    "unit": "23353-03",
}


async def _code(node: Node) -> str:
    """A fresh code for a new village head of Đắk Pék's third village."""
    answer = await create_user(node, "xa_dakpek", **HEAD)
    assert answer.status_code == 201
    return str(answer.json()["code"])


async def test_a_code_works_once_typed_with_spaces_and_never_again(node: Node):
    code = await _code(node)
    first = await activate(node, f"{code[:3]} {code[3:6]}-{code[6:]}")
    assert first.status_code == 200
    again = await activate(node, code, "Một-mật-khẩu-khác-9")
    assert again.status_code == 422 and again.json()["code"] == "activation_code_used"


async def test_an_expired_code_is_refused(node: Node):
    code = await _code(node)
    async with node.db.write() as conn:
        await conn.execute(
            update(activation_codes).values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    answer = await activate(node, code)
    assert answer.status_code == 422 and answer.json()["code"] == "activation_code_expired"
    assert "hết hạn" in answer.json()["message_vi"]


async def test_a_weak_password_leaves_the_code_usable(node: Node):
    code = await _code(node)
    weak = await activate(node, code, "matkhau123")
    assert weak.status_code == 422 and weak.json()["code"] == "password_weak"
    assert (await activate(node, code)).status_code == 200


async def test_wrong_codes_from_one_address_are_rate_limited(node: Node):
    code = await _code(node)
    wrong = str((int(code) + 1) % 10**10).zfill(10)
    answers = [(await activate(node, wrong)).status_code for _ in range(10)]
    assert answers == [422] * 10
    limited = await activate(node, code)
    assert limited.status_code == 429 and limited.json()["code"] == "activation_rate_limited"


async def test_a_deactivated_users_code_is_refused(node: Node):
    code = await _code(node)
    await node.client.post("/api/users/thon3-dakpek/deactivate", headers=node.auth("xa_dakpek"))
    answer = await activate(node, code)
    assert answer.status_code == 422 and answer.json()["code"] == "activation_code_invalid"


async def test_codes_are_stored_only_hashed_and_sealed(node: Node):
    code = await _code(node)
    async with node.db.read() as conn:
        row = (await conn.execute(activation_codes.select())).one()
    assert code not in row.code_hash and code not in (row.sealed or "")
    await activate(node, code)
    async with node.db.read() as conn:
        used = (await conn.execute(activation_codes.select())).one()
    assert used.sealed is None and used.used_at is not None


async def test_two_activations_racing_with_one_code_let_exactly_one_through(node: Node):
    code = await _code(node)
    first, second = await asyncio.gather(
        activate(node, code, "Mật-khẩu-thứ-nhất-1", "phone-a"),
        activate(node, code, "Mật-khẩu-thứ-hai-22", "phone-b"),
    )
    assert sorted([first.status_code, second.status_code]) == [200, 422]
    loser = first if first.status_code == 422 else second
    assert loser.json()["code"] == "activation_code_used"
