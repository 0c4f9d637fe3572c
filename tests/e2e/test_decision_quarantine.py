"""Node processes: a poisoned decision is quarantined at the child; the later ones still flow."""

from __future__ import annotations

import httpx
import pytest

from backend.db.database import Database
from backend.launcher import Federation
from backend.services.decision_effects import publish
from tests.e2e.conftest import admin_token, eventually

pytestmark = pytest.mark.e2e


async def poison_the_feed(fed: Federation, unit: str) -> None:
    """What an older parent let through: a recognition whose level is not a number."""
    db = Database.from_url(fed.settings(unit).database_url)
    try:
        async with db.write() as conn:
            await publish(conn, "recognition", "23347", 2025, {"level": "abc"}, unit, "old-node")
    finally:
        await db.dispose()


async def get(fed: Federation, node: str, path: str, **params: object) -> object:
    """A GET on a running node as its admin."""
    token = await admin_token(fed, node)
    async with httpx.AsyncClient(timeout=20.0) as http:
        answer = await http.get(
            f"{fed.nodes[node].url}{path}",
            params=params,  # type: ignore[arg-type]
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_a_bad_decision_then_a_good_one_the_good_one_arrives_and_applies(launch):
    fed = await launch([("62", None), ("610", "62")])
    await poison_the_feed(fed, "62")
    token = await admin_token(fed, "62")
    async with httpx.AsyncClient(timeout=20.0) as http:
        good = await http.post(
            f"{fed.nodes['62'].url}/api/decisions",
            json={"kind": "target", "unit": "23347", "year": 2026, "payload": {"target_level": 2}},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert good.status_code == 201, good.text

    async def target_arrived() -> bool:
        targets = await get(fed, "610", "/api/targets", unit="23347", year=2026)
        return [t["target_level"] for t in targets] == [2]  # type: ignore[attr-defined]

    await eventually(target_arrived)
    health = await get(fed, "610", "/health")
    assert health["decisions_quarantined"] == 1  # type: ignore[index]
