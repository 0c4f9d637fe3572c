"""What /metrics reports about the node's data: backlogs, link health, quarantines, children."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from backend.core.times import utc
from backend.db.database import Database
from backend.db.repositories import nodes as node_repo
from backend.db.repositories import ops_counts
from backend.services.outbox import link_state

PULL_KEY = "relay.pull"
STALE_AFTER = timedelta(days=1)
LOST_AFTER = timedelta(days=7)


@dataclass(frozen=True)
class NodeCounts:
    """One reading of the node's operational state (None: not known on this schema)."""

    outbox_pending: int
    rebuild_queue_depth: int
    link_failures: int
    last_push_success_at: datetime | None
    last_pull_success_at: datetime | None
    decisions_by_kind: dict[str, int] = field(default_factory=dict)
    children_by_staleness: dict[str, int] = field(default_factory=dict)
    quarantined: dict[str, int] = field(default_factory=dict)


def staleness(last_push_at: datetime | None, now: datetime) -> str:
    """fresh (pushed within a day), stale (within a week) or lost (longer, or never)."""
    if last_push_at is None or now - utc(last_push_at) > LOST_AFTER:
        return "lost"
    return "stale" if now - utc(last_push_at) > STALE_AFTER else "fresh"


async def read_counts(db: Database, now: datetime | None = None) -> NodeCounts:
    """Read every count in one pass (a few small queries)."""
    now = now or datetime.now(UTC)
    async with db.read() as conn:
        pending = await ops_counts.outbox_pending(conn)
        depth = await ops_counts.rebuild_queue_depth(conn)
        kinds = await ops_counts.decisions_stored(conn)
        children = await ops_counts.child_last_pushes(conn)
        pull = await node_repo.get_state(conn, PULL_KEY) or {}
        quarantine = await ops_counts.quarantined(conn)
    link = await link_state(db)
    by_staleness = {"fresh": 0, "stale": 0, "lost": 0}
    for _unit, last in children:
        by_staleness[staleness(last, now)] += 1
    last_pull = pull.get("last_success_at")
    return NodeCounts(
        outbox_pending=pending,
        rebuild_queue_depth=depth,
        link_failures=link.failures,
        last_push_success_at=link.last_success_at,
        last_pull_success_at=datetime.fromisoformat(last_pull) if last_pull else None,
        decisions_by_kind=kinds,
        children_by_staleness=by_staleness,
        quarantined=quarantine,
    )


async def note_pull_success(db: Database, at: datetime | None = None) -> None:
    """Remember when decisions were last pulled from the parent (for the pull-age metric)."""
    moment = at or datetime.now(UTC)
    async with db.write() as conn:
        await node_repo.set_state(conn, PULL_KEY, {"last_success_at": moment.isoformat()}, moment)
