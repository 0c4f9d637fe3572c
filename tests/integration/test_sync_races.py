"""Interleavings on the parent: the kept revision only grows, first reports never clash."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from backend.core.snapshots import is_newer
from backend.db.repositories import snapshots as snapshot_repo
from backend.db.tables import report_submissions, snapshot_history, snapshots
from backend.services.timeliness import record_report_sent
from shared_schema.sync import Snapshot
from tests.conftest import Node, is_postgres
from tests.sync_helpers import enroll, signed, snapshot

SQLITE_SERIALISES = "SQLite takes one writer at a time: the interleaving cannot happen there"


async def kept_revision(node: Node, origin: str, unit: str) -> int:
    """The revision the parent keeps for (origin, unit, 2025)."""
    async with node.db.read() as conn:
        query = select(snapshots.c.revision).where(
            snapshots.c.origin == origin, snapshots.c.unit_code == unit, snapshots.c.year == 2025
        )
        return int((await conn.execute(query)).scalar_one())


async def test_keeping_an_older_revision_after_a_newer_one_changes_nothing(node: Node):
    newer = snapshot("610", "610", scale=2, revision=6000)
    older = snapshot("610", "610", scale=1, revision=5000)
    now = datetime.now(UTC)
    async with node.db.write() as conn:
        assert await snapshot_repo.keep(conn, newer, "610", now)
    async with node.db.write() as conn:  # the older one commits last
        assert not await snapshot_repo.keep(conn, older, "610", now)
    assert await kept_revision(node, "610", "610") == 6000
    async with node.db.read() as conn:
        history = (await conn.execute(select(func.count()).select_from(snapshot_history))).scalar()
    assert history == 1


async def _post(node: Node, token: str) -> Any:
    """The receive route, without the rebuild the push helper adds."""
    return await node.client.post(
        "/api/sync/snapshots", content=token, headers={"Content-Type": "application/jwt"}
    )


@pytest.mark.skipif(not is_postgres(), reason=SQLITE_SERIALISES)
async def test_an_older_push_that_commits_last_leaves_the_newer_revision_kept(
    node: Node, monkeypatch: pytest.MonkeyPatch
):
    key = await enroll(node, "610")
    older = snapshot("610", "610", scale=1, revision=5000)
    newer = snapshot("610", "610", scale=2, revision=6000)
    real_keep = snapshot_repo.keep
    older_decided, newer_committed = asyncio.Event(), asyncio.Event()

    async def keep_after_the_newer(conn: Any, snap: Any, via: str, at: datetime) -> Any:
        if snap.revision == older.revision:  # the older push has decided; hold it there
            older_decided.set()
            await newer_committed.wait()
        return await real_keep(conn, snap, via, at)

    monkeypatch.setattr(snapshot_repo, "keep", keep_after_the_newer)
    first = asyncio.create_task(_post(node, signed(key, "610", [older])))
    await asyncio.wait_for(older_decided.wait(), 10)
    second = await _post(node, signed(key, "610", [newer]))
    assert second.status_code == 200 and second.json()["accepted"] == 1
    newer_committed.set()
    late = await asyncio.wait_for(first, 10)
    assert late.status_code == 200, late.text
    assert late.json()["accepted"] == 0 and late.json()["unchanged"] == 1
    assert await kept_revision(node, "610", "610") == 6000


@pytest.mark.skipif(not is_postgres(), reason=SQLITE_SERIALISES)
async def test_two_first_reports_of_a_unit_recorded_at_once_do_not_clash(node: Node):
    now = datetime.now(UTC)
    async with node.db.engine.connect() as first, node.db.engine.connect() as second:
        await first.begin()
        await second.begin()
        assert await record_report_sent(first, "610", 2025, now, "610", "federation")
        racing = asyncio.create_task(
            record_report_sent(second, "610", 2025, now, "610", "federation")
        )
        await asyncio.sleep(0.3)  # the second has read "none yet" and waits on the first
        await first.commit()
        assert await asyncio.wait_for(racing, 10) is False
        await second.commit()
    async with node.db.read() as conn:
        rows = (await conn.execute(select(func.count()).select_from(report_submissions))).scalar()
    assert rows == 1


EXAMPLES = itertools.count(1)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(min_value=1, max_value=2**62), min_size=1, max_size=6))
async def test_whatever_the_order_of_keeps_the_highest_revision_stays(
    node: Node, revisions: list[int]
):
    year = 3000 + next(EXAMPLES)  # a fresh (origin, unit, year) per example
    model: Snapshot | None = None
    for revision in revisions:
        snap = snapshot("610", "610", year=year, revision=revision)
        expected = is_newer(snap, model)  # the rule: higher revision, ties settled by the hash
        model = snap if expected else model
        async with node.db.write() as conn:
            assert await snapshot_repo.keep(conn, snap, "610", datetime.now(UTC)) == expected
    async with node.db.read() as conn:
        kept = await snapshot_repo.get(conn, "610", "610", year)
    assert model is not None and kept is not None
    assert (kept.revision, kept.content_hash) == (model.revision, model.content_hash)
    assert kept.revision == max(revisions)
