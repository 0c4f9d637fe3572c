"""Counts an operator watches (backlogs, quarantines, children's freshness), read for /metrics."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.tables import child_nodes, decision_quarantine, decisions, outbox, rebuild_queue

QUARANTINES = ("outbox", "decisions", "rebuilds")


async def outbox_pending(conn: AsyncConnection) -> int:
    """Outbox rows whose newest revision the parent has not acknowledged."""
    query = select(func.count()).where(
        outbox.c.sent_revision < outbox.c.revision, outbox.c.quarantined_at.is_(None)
    )
    return int((await conn.execute(query)).scalar_one())


async def rebuild_queue_depth(conn: AsyncConnection) -> int:
    """Marks of changed figures not yet folded into snapshots."""
    return int((await conn.execute(select(func.count()).select_from(rebuild_queue))).scalar_one())


async def decisions_stored(conn: AsyncConnection) -> dict[str, int]:
    """Decisions held here by kind (issued here or pulled and applied from above)."""
    query = select(decisions.c.kind, func.count()).group_by(decisions.c.kind)
    return {str(kind): int(count) for kind, count in (await conn.execute(query)).all()}


async def child_last_pushes(conn: AsyncConnection) -> list[tuple[str, datetime | None]]:
    """Each enrolled (not revoked) child node and when it last pushed."""
    query = select(child_nodes.c.unit_code, child_nodes.c.last_push_at).where(
        child_nodes.c.revoked_at.is_(None)
    )
    return [(str(unit), at) for unit, at in (await conn.execute(query)).all()]


async def quarantined(conn: AsyncConnection) -> dict[str, int]:
    """How many items of each kind sit in quarantine, waiting for the operator."""
    counts = {
        "outbox": select(func.count()).where(outbox.c.quarantined_at.is_not(None)),
        "decisions": select(func.count()).select_from(decision_quarantine),
        "rebuilds": select(func.count()).where(rebuild_queue.c.quarantined_at.is_not(None)),
    }
    return {what: int((await conn.execute(query)).scalar_one()) for what, query in counts.items()}
