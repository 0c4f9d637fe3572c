"""The submission's statements on PostgreSQL's driver connection: races and broken connections."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select

from backend.db.repositories import tally_ingest
from backend.db.tables import audit_log, rebuild_queue, tallies, tally_heads
from tests.conftest import Node, is_postgres
from tests.factories import tally_body

SQLITE_SERIALISES = "SQLite takes one writer at a time: the interleaving cannot happen there"
pytestmark = pytest.mark.skipif(not is_postgres(), reason=SQLITE_SERIALISES)


async def _count(node: Node, table: Any) -> int:
    """Rows in a table."""
    async with node.db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def test_two_sends_of_one_uuid_that_both_look_before_either_writes_store_once(
    node: Node, monkeypatch: pytest.MonkeyPatch
):
    looked = 0
    both_looked = asyncio.Event()
    original = tally_ingest.PostgresTallyStore.context

    async def context_then_wait(self: Any, *args: Any) -> Any:
        nonlocal looked
        found = await original(self, *args)
        looked += 1
        if looked == 2:
            both_looked.set()
        await asyncio.wait_for(both_looked.wait(), 10)
        return found

    monkeypatch.setattr(tally_ingest.PostgresTallyStore, "context", context_then_wait)
    body = tally_body()
    headers = node.auth("thon_dakpek_1")
    answers = await asyncio.gather(
        *[node.client.post("/api/tallies", json=body, headers=headers) for _ in range(2)]
    )
    assert sorted(a.status_code for a in answers) == [200, 201]
    assert answers[0].json() == answers[1].json()
    assert await _count(node, tallies) == 1
    async with node.db.read() as conn:
        audits = select(func.count()).where(audit_log.c.action == "tally.submit")
        assert (await conn.execute(audits)).scalar_one() == 1  # the loser's row rolled back
        assert (await conn.execute(select(tally_heads.c.revision))).scalar_one() == 1
        assert (await conn.execute(select(rebuild_queue.c.unit_code))).scalar_one() == "23353-01"


async def test_a_driver_connection_cut_short_is_not_pooled_again(node: Node):
    async with node.db.driver() as driver:
        kept = await driver.fetchval("SELECT pg_backend_pid()")
    with pytest.raises(ValueError):
        async with node.db.driver() as driver:
            assert await driver.fetchval("SELECT pg_backend_pid()") == kept
            raise ValueError("a refused submission leaves the connection sound")
    with pytest.raises(asyncio.CancelledError):
        async with node.db.driver() as driver:
            assert await driver.fetchval("SELECT pg_backend_pid()") == kept
            raise asyncio.CancelledError
    async with node.db.driver() as driver:
        assert await driver.fetchval("SELECT pg_backend_pid()") != kept
