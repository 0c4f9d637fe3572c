"""A unit whose rebuild keeps failing waits alone: the others are folded, the operator sees it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from backend.core.quarantine import REBUILD_QUARANTINE_AFTER
from backend.db.tables import snapshots
from backend.services import node_health, rebuilds
from backend.services import snapshots as snapshot_service
from backend.services.rebuilds import rebuild_pending
from shared_schema.framework_loader import load_framework
from tests.conftest import Node
from tests.factories import tally_body


async def kept_units(node: Node) -> set[str]:
    """Units this node holds its own snapshot of."""
    async with node.db.read() as conn:
        query = select(snapshots.c.unit_code).where(snapshots.c.origin == "62")
        return set((await conn.execute(query)).scalars())


async def test_a_failing_rebuild_is_retried_alone_then_quarantined(
    node: Node, monkeypatch: pytest.MonkeyPatch
):
    await node.add_user("thon_dakman_1", "village_head", "23347-01", "x")
    for village, user in (("23353-01", "thon_dakpek_1"), ("23347-01", "thon_dakman_1")):
        answer = await node.client.post(
            "/api/tallies", json=tally_body(village), headers=node.auth(user)
        )
        assert answer.status_code == 201, answer.text
    real = snapshot_service._rebuild_one

    async def broken_for_dak_pek(conn: Any, framework: Any, origin: str, unit: Any, *a: Any) -> Any:
        if unit.code == "23353":
            raise ValueError("a deterministic fault in Đắk Pék's figures")
        return await real(conn, framework, origin, unit, *a)

    monkeypatch.setattr(snapshot_service, "_rebuild_one", broken_for_dak_pek)
    assert await node.rebuild() == 2  # no exception escapes; both marks were taken
    assert {"23347", "610", "62"} <= await kept_units(node)  # the others were folded
    assert "23353" not in await kept_units(node)
    [failing] = await rebuilds.failures(node.db)
    assert (failing.unit, failing.year, failing.attempts) == ("23353", 2025, 1)
    assert "deterministic fault" in (failing.last_error or "")
    assert await node.rebuild() == 0  # it waits its backoff instead of looping

    framework, later = load_framework(), datetime.now(UTC) + timedelta(days=1)
    for _ in range(REBUILD_QUARANTINE_AFTER - 1):
        assert await rebuild_pending(node.db, framework, "62", now=later) == 1
    [quarantined] = await rebuilds.failures(node.db)
    assert quarantined.attempts == REBUILD_QUARANTINE_AFTER and quarantined.quarantined_at
    assert await rebuild_pending(node.db, framework, "62", now=later) == 0
    health = (await node.client.get("/health")).json()
    assert health["rebuilds"] == {"pending": 0, "quarantined": 1}

    monkeypatch.setattr(snapshot_service, "_rebuild_one", real)  # the operator fixed the cause
    assert await rebuilds.retry(node.db) == 1
    assert await node.rebuild() == 1
    assert "23353" in await kept_units(node)
    assert (await node_health.health(node.db)).rebuilds.quarantined == 0
