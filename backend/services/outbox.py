"""The outbox as the relay sees it: what is due, what was acknowledged, and the link's backoff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from backend.db.database import Database
from backend.db.repositories import nodes as node_repo
from backend.db.repositories import snapshots as repo
from shared_schema.sync import Snapshot, snapshot_from_dict

LINK_KEY = "relay.link"


@dataclass(frozen=True)
class LinkState:
    """Consecutive failures talking to the parent and when to try next (kept across restarts)."""

    failures: int = 0
    next_attempt_at: datetime | None = None
    last_success_at: datetime | None = None


async def due(db: Database, limit: int) -> list[Snapshot]:
    """Newest unacknowledged revisions whose turn has come."""
    async with db.read() as conn:
        rows = await repo.due(conn, datetime.now(UTC), limit)
    return [snapshot_from_dict(r.body) for r in rows]


async def acknowledged(db: Database, sent: list[Snapshot]) -> None:
    """The parent kept (or already had) these revisions."""
    async with db.write() as conn:
        await repo.mark_sent(conn, sent, datetime.now(UTC))


async def refused(db: Database, failed: list[Snapshot], error: str, next_at: datetime) -> None:
    """The parent refused these: try them again later, alone in their backoff."""
    async with db.write() as conn:
        await repo.mark_failed(conn, failed, error, next_at)


async def pending(db: Database) -> int:
    """Rows still waiting for the parent."""
    async with db.read() as conn:
        return await repo.pending(conn)


async def link_state(db: Database) -> LinkState:
    """The stored backoff of the link to the parent."""
    async with db.read() as conn:
        value = await node_repo.get_state(conn, LINK_KEY) or {}
    moment = value.get("next_attempt_at")
    success = value.get("last_success_at")
    return LinkState(
        int(value.get("failures", 0)),
        datetime.fromisoformat(moment) if moment else None,
        datetime.fromisoformat(success) if success else None,
    )


async def save_link_state(db: Database, state: LinkState) -> None:
    """Persist the backoff so a restart does not hammer a parent that is down."""
    value = {
        "failures": state.failures,
        "next_attempt_at": state.next_attempt_at.isoformat() if state.next_attempt_at else None,
        "last_success_at": state.last_success_at.isoformat() if state.last_success_at else None,
    }
    async with db.write() as conn:
        await node_repo.set_state(conn, LINK_KEY, value, datetime.now(UTC))
