"""Every route × every role × inside / outside the caller's unit: who may do what."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from tests.conftest import STANDARD_USERS, Node
from tests.factories import tally_body

Call = Callable[[Node, str], Awaitable[Any]]


async def _tally_id(node: Node) -> int:
    """A tally of Thôn 1 (Đắk Pék) to act on."""
    sent = await node.client.post(
        "/api/tallies", json=tally_body(), headers=node.auth("thon_dakpek_1")
    )
    return int(sent.json()["id"])


def submit(village: str) -> Call:
    """POST /api/tallies for a village."""
    return lambda node, user: node.client.post(
        "/api/tallies", json=tally_body(village), headers=node.auth(user)
    )


def list_tallies(unit: str) -> Call:
    """GET /api/tallies for a unit."""
    return lambda node, user: node.client.get(
        "/api/tallies", params={"unit": unit, "year": 2025}, headers=node.auth(user)
    )


def history(village: str) -> Call:
    """GET /api/tallies/history for a village."""
    return lambda node, user: node.client.get(
        "/api/tallies/history", params={"village": village, "year": 2025}, headers=node.auth(user)
    )


def review() -> Call:
    """POST /api/tallies/{id}/review on Thôn 1 Đắk Pék's tally."""

    async def call(node: Node, user: str) -> Any:
        tally_id = await _tally_id(node)
        return await node.client.post(
            f"/api/tallies/{tally_id}/review", json={"action": "confirm"}, headers=node.auth(user)
        )

    return call


def get_unit(code: str) -> Call:
    """GET /api/units/{code}."""
    return lambda node, user: node.client.get(f"/api/units/{code}", headers=node.auth(user))


def list_children(code: str) -> Call:
    """GET /api/units?parent=code."""
    return lambda node, user: node.client.get(
        "/api/units", params={"parent": code}, headers=node.auth(user)
    )


VILLAGE_NUMBERS = itertools.count(100)


def create_village(commune: str) -> Call:
    """POST /api/units adding a village under a commune."""
    return lambda node, user: node.client.post(
        "/api/units",
        json={
            "code": f"{commune}-{next(VILLAGE_NUMBERS)}",
            "name": "Thôn Mới",
            "level": "village",
            "parent_code": commune,
        },
        headers=node.auth(user),
    )


def rename(code: str) -> Call:
    """PATCH /api/units/{code} renaming it."""
    return lambda node, user: node.client.patch(
        f"/api/units/{code}", json={"name": "Thôn Đổi Tên"}, headers=node.auth(user)
    )


def status(code: str) -> Call:
    """GET /api/units/{code}/status."""
    return lambda node, user: node.client.get(
        f"/api/units/{code}/status", params={"year": 2025}, headers=node.auth(user)
    )


def expect(
    allowed: set[str], ok: int, refused: int = 403, overrides: dict[str, int] | None = None
) -> dict[str, int]:
    """Expected status per user: ok for the allowed, refused for the rest."""
    table = {user: ok if user in allowed else refused for user in STANDARD_USERS}
    table.update(overrides or {})
    return table


READERS_OF_DAKPEK = {"admin", "tinh", "huyen", "xa_dakpek", "xem"}
MATRIX = [
    (
        "submit in Thôn 1 Đắk Pék",
        submit("23353-01"),
        expect({"admin", "xa_dakpek", "thon_dakpek_1"}, 201),
    ),
    ("submit in Thôn 1 Đắk Man", submit("23347-01"), expect({"admin", "xa_dakman"}, 201)),
    ("list Đắk Pék tallies", list_tallies("23353"), expect(READERS_OF_DAKPEK, 200)),
    (
        "list Đắk Man tallies",
        list_tallies("23347"),
        expect(READERS_OF_DAKPEK - {"xa_dakpek"} | {"xa_dakman"}, 200),
    ),
    (
        "history of Thôn 1 Đắk Pék",
        history("23353-01"),
        expect(READERS_OF_DAKPEK | {"thon_dakpek_1"}, 200),
    ),
    (
        "review a Đắk Pék tally",
        review(),
        expect({"admin", "xa_dakpek"}, 200, overrides={"xa_dakman": 404}),
    ),
    ("read commune Đắk Pék", get_unit("23353"), expect(READERS_OF_DAKPEK, 200)),
    ("children of Đắk Pék", list_children("23353"), expect(READERS_OF_DAKPEK, 200)),
    (
        "create village in Đắk Pék",
        create_village("23353"),
        expect({"admin", "tinh", "huyen", "xa_dakpek"}, 201),
    ),
    (
        "rename Thôn 3 Đắk Pék",
        rename("23353-03"),
        expect({"admin", "tinh", "huyen", "xa_dakpek"}, 200),
    ),
    ("status of Đắk Pék", status("23353"), expect(READERS_OF_DAKPEK, 200)),
    ("status of the district", status("610"), expect({"admin", "tinh", "huyen", "xem"}, 200)),
]


@pytest.mark.parametrize(("route", "call", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
async def test_route_by_role_and_scope(
    node: Node, route: str, call: Call, expected: dict[str, int]
):
    seen = {}
    for user in STANDARD_USERS:
        answer = await call(node, user)
        seen[user] = answer.status_code
        if answer.status_code >= 400:
            assert answer.json()["code"], route
    assert seen == expected
