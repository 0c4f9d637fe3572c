"""Outbox rows one by one: refusals with their own backoff, the quarantine, the operator's view."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.quarantine import OutboxItem, QueueCounts
from backend.core.times import utc
from backend.db.tables import outbox
from shared_schema.sync import Snapshot

o = outbox.c
Key = tuple[str, str, int]


def _where(key: Key):  # type: ignore[no-untyped-def]
    """The row of one (origin, unit, year)."""
    origin, unit, year = key
    return (o.origin == origin) & (o.unit_code == unit) & (o.year == year)


async def attempts(conn: AsyncConnection, snap: Snapshot) -> int | None:
    """Refusals counted so far for this revision (None when a newer one replaced it)."""
    query = select(o.attempts).where(
        _where((snap.origin, snap.unit, snap.year)), o.revision == snap.revision
    )
    return (await conn.execute(query)).scalar_one_or_none()


async def refuse(
    conn: AsyncConnection,
    snap: Snapshot,
    error: str,
    next_at: datetime,
    quarantine_at: datetime | None,
) -> None:
    """Count a refusal of this revision; schedule its retry or put it in quarantine."""
    await conn.execute(
        update(outbox)
        .where(_where((snap.origin, snap.unit, snap.year)), o.revision == snap.revision)
        .values(
            attempts=o.attempts + 1,
            last_error=error[:1000],
            next_attempt_at=next_at,
            quarantined_at=quarantine_at,
        )
    )


def _item(row: Row) -> OutboxItem:  # type: ignore[type-arg]
    """The operator's view of a row."""
    return OutboxItem(
        row.origin,
        row.unit_code,
        row.year,
        row.revision,
        row.sent_revision,
        row.attempts,
        row.last_error,
        utc(row.next_attempt_at) if row.next_attempt_at else None,
        utc(row.quarantined_at) if row.quarantined_at else None,
    )


async def items(conn: AsyncConnection, everything: bool) -> list[OutboxItem]:
    """Quarantined and refused rows (or every unsent row), quarantined first."""
    query = select(outbox).where(o.sent_revision < o.revision)
    if not everything:
        query = query.where(o.attempts > 0)
    query = query.order_by(o.quarantined_at.is_(None), o.origin, o.unit_code, o.year)
    return [_item(r) for r in (await conn.execute(query)).all()]


async def release(conn: AsyncConnection, key: Key | None, now: datetime) -> int:
    """Send quarantined rows (all, or one) again at once; how many."""
    statement = update(outbox).where(o.quarantined_at.is_not(None))
    if key is not None:
        statement = statement.where(_where(key))
    result = await conn.execute(
        statement.values(quarantined_at=None, attempts=0, next_attempt_at=now)
    )
    return int(result.rowcount or 0)


async def drop(conn: AsyncConnection, key: Key) -> int:
    """Forget one row: its revision will never be sent (a newer one is queued afresh)."""
    result = await conn.execute(delete(outbox).where(_where(key)))
    return int(result.rowcount or 0)


async def drop_all(conn: AsyncConnection) -> int:
    """Empty the outbox (the root node's, which has no parent)."""
    result = await conn.execute(delete(outbox))
    return int(result.rowcount or 0)


async def counts(conn: AsyncConnection) -> QueueCounts:
    """Rows waiting for the parent, and rows waiting for the operator."""
    query = select(func.count(), func.count(o.quarantined_at)).where(o.sent_revision < o.revision)
    total, quarantined = (await conn.execute(query)).one()
    return QueueCounts(int(total) - int(quarantined), int(quarantined))
