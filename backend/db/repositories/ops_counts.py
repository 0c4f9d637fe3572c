"""Counts an operator watches (backlogs, quarantines, children's freshness), read for /metrics."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from backend.db.tables import child_nodes, decisions, outbox, rebuild_queue

# Quarantine lives in columns/tables that may not exist in every schema version: each count is
# one statement, run on its own connection, and a missing table or column reads as "unknown".
QUARANTINE_SQL = {
    "outbox": "SELECT count(*) FROM outbox WHERE quarantined_at IS NOT NULL",
    "decisions": "SELECT count(*) FROM decision_quarantine WHERE released_at IS NULL",
    "rebuilds": "SELECT count(*) FROM rebuild_quarantine",
}


async def outbox_pending(conn: AsyncConnection) -> int:
    """Outbox rows whose newest revision the parent has not acknowledged."""
    query = select(func.count()).where(outbox.c.sent_revision < outbox.c.revision)
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


async def quarantined(engine: AsyncEngine, what: str) -> int | None:
    """How many items of a kind sit in quarantine; None when this schema has no quarantine yet."""
    try:
        async with engine.connect() as conn:
            return int((await conn.execute(text(QUARANTINE_SQL[what]))).scalar_one())
    except SQLAlchemyError:
        return None
