"""The outbox as the relay sees it: what is due, what was acknowledged, and the link's backoff."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.quarantine import OutboxItem, QueueCounts
from backend.db.database import Database
from backend.db.repositories import nodes as node_repo
from backend.db.repositories import outbox_items as items_repo
from backend.db.repositories import snapshots as repo
from backend.db.repositories import units as unit_repo
from shared_schema.sync import PushAck, PushVerdict, Snapshot, snapshot_from_dict

LINK_KEY = "relay.link"


@dataclass(frozen=True)
class RetryPolicy:
    """How a refused row waits: its delay after n refusals, and when it is quarantined."""

    delay: Callable[[int], timedelta]
    quarantine_after: int


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


def _problem_text(verdict: PushVerdict) -> str:
    """The parent's reason, as kept with the row: code, Vietnamese and English."""
    return f"{verdict.code}: {verdict.message_vi} / {verdict.message_en}"


async def _refuse_one(
    conn: AsyncConnection, snap: Snapshot, error: str, retry: RetryPolicy, now: datetime
) -> bool:
    """Back one row off on its own; True when it went into quarantine."""
    done = await items_repo.attempts(conn, snap)
    if done is None:
        return False  # a newer revision replaced it meanwhile: that one gets a fresh chance
    quarantine = done + 1 >= retry.quarantine_after
    await items_repo.refuse(
        conn, snap, error, now + retry.delay(done + 1), now if quarantine else None
    )
    return quarantine


async def settle(
    db: Database, batch: list[Snapshot], ack: PushAck, retry: RetryPolicy
) -> list[Snapshot]:
    """Apply the parent's verdicts; returns the snapshots that went into quarantine."""
    if not ack.items:  # a parent without verdicts kept or acknowledged the whole batch
        await acknowledged(db, batch)
        return []
    now = datetime.now(UTC)
    judged = {v.index: v for v in ack.items if 0 <= v.index < len(batch)}
    done = [s for i, s in enumerate(batch) if i in judged and judged[i].verdict != "refused"]
    quarantined: list[Snapshot] = []
    async with db.write() as conn:
        await repo.mark_sent(conn, done, now)
        for index, verdict in judged.items():
            if verdict.verdict == "refused":
                snap = batch[index]
                if await _refuse_one(conn, snap, _problem_text(verdict), retry, now):
                    quarantined.append(snap)
    return quarantined


async def refused_whole(
    db: Database, batch: list[Snapshot], error: str, retry: RetryPolicy
) -> list[Snapshot]:
    """The parent refused the push as a whole: every row backs off by its own count."""
    now = datetime.now(UTC)
    async with db.write() as conn:
        return [s for s in batch if await _refuse_one(conn, s, error, retry, now)]


async def operator_items(db: Database, everything: bool = False) -> list[OutboxItem]:
    """What the operator lists: refused and quarantined rows (or every unsent one)."""
    async with db.read() as conn:
        return await items_repo.items(conn, everything)


def parse_key(text: str) -> tuple[str, str, int]:
    """ORIGIN/UNIT/YEAR as the operator types it."""
    parts = text.split("/")
    if len(parts) != 3 or not parts[2].isdigit():
        raise ValueError(f"expected ORIGIN/UNIT/YEAR, got {text!r}")
    return parts[0], parts[1], int(parts[2])


async def retry_quarantined(db: Database, key: str | None = None) -> int:
    """Send quarantined rows again (all, or ORIGIN/UNIT/YEAR)."""
    async with db.write() as conn:
        return await items_repo.release(conn, parse_key(key) if key else None, datetime.now(UTC))


async def drop(db: Database, key: str) -> int:
    """Give up on one row (ORIGIN/UNIT/YEAR)."""
    async with db.write() as conn:
        return await items_repo.drop(conn, parse_key(key))


async def counts(db: Database) -> QueueCounts:
    """Rows waiting for the parent, and for the operator."""
    async with db.read() as conn:
        return await items_repo.counts(conn)


CLOCK_KEY = "relay.clock"
PULL_KEY = "relay.pull"


async def save_clock_offset(db: Database, offset: float) -> None:
    """Remember how far our clock is from the parent's, for the operator."""
    now = datetime.now(UTC)
    value = {"offset_seconds": round(offset, 1), "measured_at": now.isoformat()}
    async with db.write() as conn:
        await node_repo.set_state(conn, CLOCK_KEY, value, now)


async def save_pull_success(db: Database) -> None:
    """Remember the last decision pull that worked."""
    now = datetime.now(UTC)
    async with db.write() as conn:
        await node_repo.set_state(conn, PULL_KEY, {"last_success_at": now.isoformat()}, now)


async def forget_at_root(db: Database, node_unit: str) -> int:
    """The root node has no parent: rows queued before it knew that wait for nothing."""
    async with db.write() as conn:
        own = await unit_repo.get(conn, node_unit) if node_unit else None
        if own is None or own.parent_code:
            return 0
        return await items_repo.drop_all(conn)
