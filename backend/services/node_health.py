"""What `GET /health` tells the operator: who runs the relay, how it fares, what waits."""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime
from typing import Any

from backend.db.database import Database
from backend.db.repositories import nodes as node_repo
from backend.services import outbox, rebuilds
from backend.services.decision_quarantine import decision_health
from shared_schema.sync import NodeHealth, QueueHealth, RelayHealth

HOLDER_KEY = "node.duties"


def this_process() -> str:
    """host:pid of this process, as the holder record names it."""
    return f"{socket.gethostname()}:{os.getpid()}"


async def record_holder(db: Database) -> None:
    """Note that this process now runs the node's rebuilder and relay."""
    now = datetime.now(UTC)
    async with db.write() as conn:
        value = {"holder": this_process(), "since": now.isoformat()}
        await node_repo.set_state(conn, HOLDER_KEY, value, now)


def _moment(value: Any) -> datetime | None:
    """An ISO time kept in node_state, or None."""
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


async def _relay(db: Database) -> RelayHealth:
    """The holder record, the link's state and the clock offset measured against the parent."""
    async with db.read() as conn:
        holder = await node_repo.get_state(conn, HOLDER_KEY) or {}
        pull = await node_repo.get_state(conn, outbox.PULL_KEY) or {}
        clock = await node_repo.get_state(conn, outbox.CLOCK_KEY) or {}
    link = await outbox.link_state(db)
    offset = clock.get("offset_seconds")
    return RelayHealth(
        holder=str(holder.get("holder", "")),
        holder_since=_moment(holder.get("since")),
        held_here=holder.get("holder") == this_process(),
        last_push_at=link.last_success_at,
        last_pull_at=_moment(pull.get("last_success_at")),
        link_failures=link.failures,
        next_attempt_at=link.next_attempt_at,
        clock_offset_seconds=float(offset) if isinstance(offset, int | float) else None,
    )


async def health(db: Database) -> NodeHealth:
    """Liveness (a database round trip happens on the way) plus the sync picture."""
    waiting = await outbox.counts(db)
    failing = await rebuilds.counts(db)
    return NodeHealth(
        "ok",
        await _relay(db),
        QueueHealth(waiting.pending, waiting.quarantined),
        QueueHealth(failing.pending, failing.quarantined),
        (await decision_health(db))["decisions_quarantined"],
    )
