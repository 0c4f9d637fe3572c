"""A unit moves only with authority over both parents, and the move travels down as a decision."""

from __future__ import annotations

from sqlalchemy import select

from backend.db.tables import unit_parent_history
from backend.services import decisions
from backend.services.units import import_units, parse_units_csv
from shared_schema.framework_loader import load_framework
from tests.conftest import FIXTURES, Node


async def with_ngoc_hoi(node: Node, password_hash: str) -> None:
    """Add the second district (611) and an administrator for each district."""
    text = (FIXTURES / "units-kontum-ngochoi.csv").read_text(encoding="utf-8")
    await import_units(node.db, load_framework(), parse_units_csv(text))
    await node.add_user("admin_610", "admin", "610", password_hash)
    await node.add_user("admin_611", "admin", "611", password_hash)


async def move(node: Node, user: str, code: str, parent: str):
    """POST a move as a user."""
    return await node.client.post(
        f"/api/sync/units/{code}/move", json={"parent": parent}, headers=node.auth(user)
    )


async def parent_of(node: Node, code: str) -> str:
    """The unit's parent as the API shows it to the province."""
    return str(
        (await node.client.get(f"/api/units/{code}", headers=node.auth("admin"))).json()[
            "parent_code"
        ]
    )


async def test_a_district_can_neither_take_a_commune_in_nor_give_one_away(
    node: Node, password_hash: str
):
    await with_ngoc_hoi(node, password_hash)
    taken = await move(node, "admin_610", "23377", "610")  # Plei Kần belongs to 611
    assert (taken.status_code, taken.json()["code"]) == (403, "unit_move_forbidden")
    given = await move(node, "admin_610", "23353", "611")
    assert (given.status_code, given.json()["code"]) == (403, "unit_move_forbidden")
    assert "610" in given.json()["message_en"] and "611" in given.json()["message_vi"]
    assert (await parent_of(node, "23377"), await parent_of(node, "23353")) == ("611", "610")
    tallies = await node.client.get(
        "/api/units/23377/status", params={"year": 2025}, headers=node.auth("admin_610")
    )
    assert tallies.status_code == 403  # 611's commune stays out of 610's reach


async def test_a_move_inside_ones_own_district_is_allowed(node: Node, password_hash: str):
    await with_ngoc_hoi(node, password_hash)
    answer = await move(node, "admin_610", "23353-01", "23347")  # a village to a sibling commune
    assert answer.status_code == 200, answer.text
    assert await parent_of(node, "23353-01") == "23347"


async def test_a_move_at_the_common_ancestor_is_fed_to_both_districts_only(
    node: Node, password_hash: str
):
    await with_ngoc_hoi(node, password_hash)
    answer = await move(node, "admin", "23353", "611")
    assert answer.status_code == 200, answer.text
    assert await parent_of(node, "23353") == "611"
    for child_path, expected in (
        ("/62/610/", ["23353"]),  # the old parent's node stops counting it
        ("/62/611/", ["23353"]),  # the new parent's node starts
        ("/62/611/23353/", ["23353"]),  # the unit's own node
        ("/62/610/23347/", []),  # a sibling commune's node has nothing to do
    ):
        page = await decisions.feed(node.db, child_path, 0)
        assert [d.unit for d in page.decisions if d.kind == "unit_move"] == expected, child_path
    [fed] = (await decisions.feed(node.db, "/62/611/", 0)).decisions
    assert fed.payload == {"parent": "611", "previous_parent": "610"}
    assert (fed.origin, fed.issued_by) == ("62", "admin")
    async with node.db.read() as conn:
        history = (
            await conn.execute(
                select(unit_parent_history.c.parent_code, unit_parent_history.c.valid_to)
                .where(unit_parent_history.c.unit_code == "23353")
                .order_by(unit_parent_history.c.id)
            )
        ).all()
    assert [(h.parent_code, h.valid_to is None) for h in history] == [
        ("610", False),
        ("611", True),
    ]
