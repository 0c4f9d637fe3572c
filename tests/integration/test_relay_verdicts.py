"""The child's relay: refused snapshots retried alone then quarantined, a skewed clock healed."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from backend.db.database import Database
from backend.db.tables import outbox as outbox_table
from backend.relay import identity
from backend.relay.loop import Relay
from backend.services import node_health, outbox
from tests.child_node import Child, child_settings, child_url  # noqa: F401
from tests.conftest import Node
from tests.integration.test_sync_races import kept_revision
from tests.sync_helpers import enroll, snapshot


@pytest.fixture
async def child(node: Node, child_url: str, tmp_path: Path):  # noqa: F811
    """District 610's node, enrolled at the test province, with an empty outbox."""
    key = await enroll(node, "610")
    db = Database.from_url(child_url)
    slow = {"XHHT_RELAY_INTERVAL": "10"}  # a refused row's first backoff: 10–20 s
    yield Child(db, child_settings(child_url, tmp_path / "child", key, **slow))
    await db.dispose()


def xhht(child: Child, *args: str) -> str:
    """Run the operator's command against the child's database; its output."""
    env = {
        **os.environ,
        "XHHT_DATABASE_URL": child.settings.database_url,
        "XHHT_DATA_DIR": str(child.settings.data_dir),
        "XHHT_UNIT": "610",
    }
    done = subprocess.run(
        [sys.executable, "-m", "backend.cli", *args], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def make_due(child: Child) -> None:
    """Let every waiting row's backoff run out now."""
    past = datetime.now(UTC) - timedelta(seconds=1)
    async with child.db.write() as conn:
        await conn.execute(update(outbox_table).values(next_attempt_at=past))


async def test_a_refused_snapshot_is_retried_alone_then_quarantined_while_the_rest_flow(
    node: Node, child: Child
):
    stray = snapshot("610", "62", level="province")  # not 610's to speak for
    commune = snapshot("23353", "23353", level="commune")
    district = snapshot("610", "610", revision=1000)
    await child.queue(stray, commune, district)
    relay = Relay(child.db, child.settings, node.client)
    assert await relay.push_once() == 3
    [refused] = await outbox.operator_items(child.db)
    assert (refused.key, refused.attempts, refused.quarantined_at) == ("610/62/2025", 1, None)
    assert "sync_out_of_subtree" in (refused.last_error or "")
    assert "không thuộc phạm vi" in (refused.last_error or "")  # the parent's reason, in Vietnamese
    assert await kept_revision(node, "23353", "23353") == commune.revision

    newer = snapshot("610", "610", scale=2, revision=2000)
    await child.queue(newer)
    assert await relay.push_once() == 1  # the refused row waits its own backoff, alone
    assert await kept_revision(node, "610", "610") == 2000

    for _ in range(2):  # its own turns come round; the parent refuses it each time
        await make_due(child)
        assert await relay.push_once() == 1
    [quarantined] = await outbox.operator_items(child.db)
    assert quarantined.attempts == 3 and quarantined.quarantined_at is not None
    await make_due(child)
    assert await relay.push_once() == 0  # quarantined rows are not sent again by themselves
    health = await node_health.health(child.db)
    assert (health.outbox.pending, health.outbox.quarantined) == (0, 1)
    listed = xhht(child, "outbox", "list")
    assert "610/62/2025" in listed and "quarantined" in listed and "sync_out_of_subtree" in listed

    assert "1 quarantined" in xhht(child, "outbox", "retry", "610/62/2025")
    assert (await outbox.counts(child.db)).pending == 1
    assert await outbox.drop(child.db, "610/62/2025") == 1
    assert await outbox.operator_items(child.db, everything=True) == []


async def test_a_child_whose_clock_runs_ahead_is_told_the_parents_time_and_recovers(
    node: Node, child: Child, monkeypatch: pytest.MonkeyPatch
):
    real_clock = identity.clock
    monkeypatch.setattr(identity, "clock", lambda: real_clock() + 3600)  # an hour ahead
    await child.queue(snapshot("610", "610", revision=1000))
    relay = Relay(child.db, child.settings, node.client)
    assert await relay.push_once() == 0  # refused: sync_clock_skew, with the parent's time
    health = await node_health.health(child.db)
    assert health.relay.clock_offset_seconds is not None
    assert -3700 < health.relay.clock_offset_seconds < -3500  # shown to the operator
    assert health.relay.link_failures == 0  # not mistaken for a broken link
    assert await relay.push_once() == 1  # signed with the parent's time, it goes through
    assert await kept_revision(node, "610", "610") == 1000
