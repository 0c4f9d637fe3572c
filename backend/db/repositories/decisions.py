"""Decisions that travel down: this node's own and those pulled from its parent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.repositories.snapshots import upsert
from backend.db.tables import decisions, units

FEED_LOCK = 0x58484854_0001  # advisory lock key: decision ids commit in the order they are drawn


async def _commit_in_id_order(conn: AsyncConnection) -> None:
    """Hold the feed lock until commit, so no lower id can become visible after a higher one.

    PostgreSQL draws sequence values when a row is inserted, not when it commits: without this, a
    reader could see id 6, move its cursor past 5, and never see 5 once it commits. SQLite
    serialises writers already.
    """
    if conn.dialect.name == "postgresql":
        await conn.execute(select(func.pg_advisory_xact_lock(FEED_LOCK)))


async def add(conn: AsyncConnection, **values: Any) -> bool:
    """Store a decision once (by uid); False when it was already here."""
    await _commit_in_id_order(conn)
    result = await conn.execute(upsert(conn, decisions).values(**values).on_conflict_do_nothing())
    return bool(result.rowcount)


async def by_uid(conn: AsyncConnection, uid: str) -> Row | None:  # type: ignore[type-arg]
    """One decision with its local cursor id."""
    return (await conn.execute(select(decisions).where(decisions.c.uid == uid))).first()


async def newest_uid(conn: AsyncConnection, kind: str, unit: str, year: int) -> str | None:
    """The uid of the latest decision of a kind about a unit and year (this transaction's own)."""
    query = (
        select(decisions.c.uid)
        .where(decisions.c.kind == kind, decisions.c.unit_code == unit, decisions.c.year == year)
        .order_by(decisions.c.id.desc())
        .limit(1)
    )
    return (await conn.execute(query)).scalar_one_or_none()


async def after(conn: AsyncConnection, since: int, limit: int) -> Sequence[Row]:  # type: ignore[type-arg]
    """Decisions after a cursor, oldest first, with their unit's path (None if unknown here)."""
    query = (
        select(decisions, units.c.path)
        .join(units, units.c.code == decisions.c.unit_code, isouter=True)
        .where(decisions.c.id > since)
        .order_by(decisions.c.id)
        .limit(limit)
    )
    return (await conn.execute(query)).all()


async def filtered(
    conn: AsyncConnection, unit: str | None, year: int | None, kind: str | None
) -> Sequence[Row]:  # type: ignore[type-arg]
    """Decisions with their unit's path, optionally of one unit, year or kind."""
    query = select(decisions, units.c.path).join(
        units, units.c.code == decisions.c.unit_code, isouter=True
    )
    if unit:
        query = query.where(decisions.c.unit_code == unit)
    if year:
        query = query.where(decisions.c.year == year)
    if kind:
        query = query.where(decisions.c.kind == kind)
    return (await conn.execute(query.order_by(decisions.c.id))).all()
