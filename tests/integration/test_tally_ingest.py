"""The submission's statements on PostgreSQL's driver connection: races and broken connections."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import JSON, cast, func, literal, select, text

from backend.core.tally_flags import jump_flags
from backend.db.repositories import tally_ingest_pg
from backend.db.repositories.tally_ingest_pg import Prepared
from backend.db.tables import audit_log, rebuild_queue, tallies, tally_heads
from shared_schema.framework import JumpFlag
from tests.conftest import Node, is_postgres
from tests.factories import tally_body

SQLITE_SERIALISES = "SQLite takes one writer at a time: the interleaving cannot happen there"
pytestmark = pytest.mark.skipif(not is_postgres(), reason=SQLITE_SERIALISES)


async def _count(node: Node, table: Any) -> int:
    """Rows in a table."""
    async with node.db.read() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def _wait_for_lock_waiters(node: Node, count: int) -> None:
    """Until `count` sessions of this database wait on a lock (the interleaving is in place)."""
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    for _ in range(200):
        async with node.db.read() as conn:
            if (await conn.execute(waiting)).scalar_one() >= count:
                return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{count} sessions never waited on the head's row lock")


async def test_two_sends_of_one_uuid_that_both_look_before_either_writes_store_once(node: Node):
    headers = node.auth("thon_dakpek_1")
    first = await node.client.post("/api/tallies", json=tally_body(), headers=headers)
    assert first.status_code == 201
    body = tally_body()
    head = select(tally_heads).where(tally_heads.c.village_code == "23353-01").with_for_update()
    async with node.db.write() as holder:
        await holder.execute(head)  # both sends read, find no tally, then queue on this lock
        sends = [
            asyncio.create_task(node.client.post("/api/tallies", json=body, headers=headers))
            for _ in range(2)
        ]
        await _wait_for_lock_waiters(node, 2)
    answers = await asyncio.gather(*sends)
    assert sorted(a.status_code for a in answers) == [200, 201]
    assert answers[0].json() == answers[1].json()
    assert await _count(node, tallies) == 2
    async with node.db.read() as conn:
        audits = select(func.count()).where(audit_log.c.action == "tally.submit")
        assert (await conn.execute(audits)).scalar_one() == 2  # the loser's row rolled back
        assert (await conn.execute(select(tally_heads.c.revision))).scalar_one() == 2
        assert (await conn.execute(select(rebuild_queue.c.unit_code))).scalar_one() == "23353-01"


FIGURE = st.integers(min_value=0, max_value=2_000_000_000_000)
SMALL = st.integers(min_value=0, max_value=60)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(st.sampled_from("abcdef"), st.one_of(SMALL, FIGURE), max_size=6),
    st.dictionaries(st.sampled_from("abcdefgh"), st.one_of(SMALL, FIGURE), max_size=8),
    st.sampled_from([JumpFlag(), JumpFlag(ratio=2.5, minimum_previous=0), JumpFlag(ratio=1.0)]),
)
async def test_the_jump_flags_computed_in_sql_are_the_rule_in_python(
    node: Node, previous: dict[str, int], current: dict[str, int], rule: JumpFlag
):
    accepted = select(cast(literal(json.dumps(previous)), JSON).label("previous")).cte("accepted")
    flags = Prepared(select(tally_ingest_pg.flags_of(accepted).c.flags))
    params = {
        "figures": json.dumps(current),
        "jump_minimum": rule.minimum_previous,
        "jump_ratio": rule.ratio,
        "jump_vi": rule.message.vi,
        "jump_en": rule.message.en,
    }
    async with node.db.driver() as driver:
        found = await driver.fetchval(flags.sql, *flags.args(params))
    assert found == [vars(f) for f in jump_flags(rule, previous or None, current)]


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


async def test_a_driver_connection_left_inside_a_transaction_is_not_pooled_again(node: Node):
    async with node.db.driver() as driver:
        kept = await driver.fetchval("SELECT pg_backend_pid()")
        await driver.execute("BEGIN")
    async with node.db.driver() as driver:
        assert await driver.fetchval("SELECT pg_backend_pid()") != kept


async def test_a_tally_after_the_server_dropped_the_idle_connection_is_stored(node: Node):
    headers = node.auth("thon_dakpek_1")
    first = await node.client.post("/api/tallies", json=tally_body(), headers=headers)
    assert first.status_code == 201
    async with node.db.driver() as driver:
        kept = await driver.fetchval("SELECT pg_backend_pid()")
    async with node.db.read() as conn:  # as a server restart or an idle timeout would
        await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": kept})
    await asyncio.sleep(0.2)  # the closed socket is noticed by the event loop
    again = await node.client.post("/api/tallies", json=tally_body(), headers=headers)
    assert again.status_code == 201
