"""Marks of changed figures, written with the change and folded later by the rebuilder."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.tables import rebuild_queue


async def mark(conn: AsyncConnection, unit_code: str, year: int) -> None:
    """Note that a unit's figures changed (idempotent; no lock beyond the unit's own row)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    await conn.execute(
        dialect.insert(rebuild_queue)
        .values(unit_code=unit_code, year=year, queued_at=datetime.now(UTC))
        .on_conflict_do_nothing()
    )


async def claim(conn: AsyncConnection, limit: int) -> list[tuple[str, int]]:
    """Take up to `limit` marks out of the queue inside the caller's transaction."""
    query = (
        select(rebuild_queue.c.unit_code, rebuild_queue.c.year)
        .order_by(rebuild_queue.c.queued_at)
        .limit(limit)
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    marks = [(r.unit_code, r.year) for r in (await conn.execute(query)).all()]
    if marks:
        await conn.execute(
            delete(rebuild_queue).where(
                tuple_(rebuild_queue.c.unit_code, rebuild_queue.c.year).in_(marks)
            )
        )
    return marks


async def pending(conn: AsyncConnection) -> bool:
    """True when some mark waits."""
    return (await conn.execute(select(rebuild_queue.c.unit_code).limit(1))).first() is not None
