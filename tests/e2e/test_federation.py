"""Real node processes over HTTP: tallies flow up, survive a district outage, follow a move."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from backend.db.database import Database
from backend.db.tables import unit_parent_history
from backend.launcher import Federation
from tests.e2e.conftest import admin_token, eventually, rows, submit

pytestmark = pytest.mark.e2e
FIELD = "households_total"


def total(values: list[dict[str, int]]) -> int:
    """What the province must show: the plain sum of what the villages sent."""
    return sum(v[FIELD] for v in values)


async def province_total(federation: Federation) -> int:
    """Households summed at the province node's own snapshot."""
    row = (await rows(federation, "62", "province"))["62"]
    return int(row["totals"].get(FIELD, 0))


async def converged(federation: Federation, expected: int) -> bool:
    """True once the province shows the expected total (False keeps `eventually` polling)."""
    return await province_total(federation) == expected


async def post_admin(federation: Federation, unit: str, path: str, body: object = None) -> None:
    """An admin POST on a running node that must succeed."""
    token = await admin_token(federation, unit)
    async with httpx.AsyncClient(timeout=20.0) as http:
        answer = await http.post(
            f"{federation.nodes[unit].url}{path}",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code < 300, answer.text


async def parent_history(fed: Federation, node: str, code: str) -> list[tuple[str, bool]]:
    """A unit's parents as one node's database keeps them: (parent, still current)."""
    db = Database.from_url(fed.settings(node).database_url)
    try:
        async with db.read() as conn:
            rows = await conn.execute(
                select(unit_parent_history.c.parent_code, unit_parent_history.c.valid_to)
                .where(unit_parent_history.c.unit_code == code)
                .order_by(unit_parent_history.c.id)
            )
            return [(r.parent_code, r.valid_to is None) for r in rows]
    finally:
        await db.dispose()


async def moved_on(fed: Federation, nodes: list[str]) -> bool:
    """True once every listed node has the commune under its new district."""
    for unit in nodes:
        if (await parent_history(fed, unit, "23353"))[-1] != ("611", True):
            return False
    return True


async def test_four_levels_outage_and_move_keep_the_province_equal_to_the_sums(launch):
    fed = await launch([("62", None), ("610", "62"), ("611", "62"), ("23353", "610")])
    await post_admin(
        fed, "62", "/api/decisions", {"kind": "framework_version", "unit": "62", "year": 2025}
    )
    sent = [
        await submit(fed, "23353", "23353-01", 1),  # commune node
        await submit(fed, "23353", "23353-02", 2),
        await submit(fed, "610", "23347-01", 3),  # commune hosted by the district node
        await submit(fed, "611", "23380-01", 4),
    ]
    await eventually(lambda: converged(fed, total(sent)))
    communes = await rows(fed, "62", "commune")
    assert communes["23353"]["origin"] == "23353" and communes["23353"]["villages_reported"] == 2
    assert communes["23347"]["origin"] == "610" and communes["23347"]["reported"]

    async def decision_reached_commune() -> bool:
        token = await admin_token(fed, "23353")
        async with httpx.AsyncClient() as http:
            answer = await http.get(
                f"{fed.nodes['23353'].url}/api/decisions",
                headers={"Authorization": f"Bearer {token}"},
            )
        return [d["kind"] for d in answer.json()] == ["framework_version"]

    await eventually(decision_reached_commune)

    fed.stop("610")  # the district goes down: its child commune keeps taking tallies
    sent.append(await submit(fed, "23353", "23353-03", 5))
    assert await province_total(fed) == total(sent[:-1])
    fed.start("610")
    await fed.wait_healthy(["610"])
    await eventually(lambda: converged(fed, total(sent)))

    await post_admin(fed, "610", "/api/sync/children/23353/revoke")
    await post_admin(fed, "62", "/api/sync/units/23353/move", {"parent": "611"})  # once, above both
    await eventually(lambda: moved_on(fed, ["610", "611"]))  # pulled as a decision
    await fed.enroll("23353", "611")
    fed.stop("23353")
    fed.nodes["23353"].parent = "611"
    fed.start("23353")
    await fed.wait_healthy(["23353"])

    async def moved() -> bool:
        districts = await rows(fed, "62", "district")
        shown: dict[str, object] = {u: r["totals"].get(FIELD, 0) for u, r in districts.items()}
        commune = (await rows(fed, "62", "commune"))["23353"]
        shown["23353"] = (commune["parent"], commune["villages_reported"], commune["origin"])
        return shown == {
            "610": total(sent[2:3]),
            "611": total(sent) - total(sent[2:3]),
            "23353": ("611", 3, "23353"),
        } and await province_total(fed) == total(sent)

    await eventually(moved)
    for unit in ("62", "610", "611", "23353"):  # applied once on every node, history kept
        assert await parent_history(fed, unit, "23353") == [("610", False), ("611", True)], unit


async def test_two_level_2025_federation_sums_commune_nodes_and_hosted_communes(launch):
    fed = await launch([("62", None), ("23353", "62")], hierarchy="vn-2025")
    sent = [
        await submit(fed, "23353", "23353-01", 2),
        await submit(fed, "62", "23347-01", 3),  # commune hosted by the province node
        await submit(fed, "62", "23380-02", 1),
    ]
    await eventually(lambda: converged(fed, total(sent)))

    async def three_communes_reported() -> dict:
        communes = await rows(fed, "62", "commune")
        return communes if sum(1 for r in communes.values() if r["reported"]) == 3 else {}

    communes = await eventually(three_communes_reported)  # rows settle after the totals
    assert communes["23353"]["parent"] == "62" and communes["23353"]["origin"] == "23353"
    assert "610" not in await rows(fed, "62", "district")
