"""A short seeded fault schedule over seven node processes, on the leg's database.

SQLite leg: one SQLite file per node. PostgreSQL leg: one database per node on the leg's
throwaway server and `xhht serve --workers 2`. The seed is printed; XHHT_FAULT_SEED replays one,
XHHT_FAULT_STEPS lengthens the schedule (bench/faults.py runs longer ones and several seeds).
"""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from backend.launcher import Federation, NodeSpec, free_ports
from tests.conftest import TEST_URL, is_postgres
from tests.fault_schedule import FIELDS_CHECKED, TOPOLOGY, run_schedule

pytestmark = pytest.mark.faults
STEPS = int(os.environ.get("XHHT_FAULT_STEPS", "45"))


async def _autocommit(url: str, *statements: str) -> None:
    """CREATE/DROP DATABASE outside a transaction."""
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        for sql in statements:
            await conn.exec_driver_sql(sql)
    await engine.dispose()


@pytest.fixture
async def federation(tmp_path: Path, template_database: str) -> AsyncIterator[Federation]:
    """Seven nodes, each its own process group; on PostgreSQL two workers and a database each
    (copied from the suite's migrated template)."""
    ports = free_ports(len(TOPOLOGY))
    nodes = {u: NodeSpec(u, p, port) for (u, p), port in zip(TOPOLOGY, ports, strict=True)}
    names = {u: f"faults_{u}_{uuid.uuid4().hex[:8]}" for u in nodes} if is_postgres() else {}
    server = TEST_URL.rsplit("/", 1)[0]
    if names:
        await _autocommit(
            TEST_URL, *(f"CREATE DATABASE {n} TEMPLATE {template_database}" for n in names.values())
        )
    fed = Federation(
        tmp_path / "fed",
        nodes,
        env={"XHHT_PULL_INTERVAL": "1"},
        database_urls={u: f"{server}/{n}" for u, n in names.items()},
        workers=2 if names else 1,
        process_groups=True,
        start_timeout=600.0,  # seven nodes, three processes each on PostgreSQL, on a busy machine
    )
    try:
        await fed.up()
        yield fed
    finally:
        fed.stop_all()
        if names:
            await _autocommit(
                TEST_URL, *(f"DROP DATABASE IF EXISTS {n} WITH (FORCE)" for n in names.values())
            )


async def test_a_seeded_fault_schedule_ends_with_every_level_equal_to_the_ground_truth(
    federation: Federation,
) -> None:
    seed = int(os.environ.get("XHHT_FAULT_SEED") or random.SystemRandom().randrange(1, 10**6))
    outcome = await run_schedule(federation, seed, STEPS, timeout=120.0)
    assert outcome.faults["kill"] + outcome.faults["kill_after_ack"] >= 1, outcome.summary()
    assert outcome.acknowledged == outcome.submitted, outcome.summary()
    assert (outcome.lost, outcome.stale, outcome.double_counted) == (0, 0, 0), (
        f"{outcome.summary()}; compared {FIELDS_CHECKED}; {outcome.mismatches[:10]}"
    )
    assert outcome.convergence_s is not None, outcome.summary()
