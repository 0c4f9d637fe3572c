"""Self-assessment answers: append-only, the newest per (unit, year, indicator) is current."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.tables import assessment_entries as entries


async def insert(conn: AsyncConnection, **values: Any) -> int:
    """Append one answer."""
    result = await conn.execute(entries.insert().values(**values).returning(entries.c.id))
    return int(result.scalar_one())


async def current(conn: AsyncConnection, unit_code: str, years: Sequence[int]) -> Sequence[Row]:  # type: ignore[type-arg]
    """The newest answer per indicator for a unit in the given years."""
    newest = (
        select(func.max(entries.c.id))
        .where(entries.c.unit_code == unit_code, entries.c.year.in_(years))
        .group_by(entries.c.year, entries.c.indicator_code)
    )
    query = select(entries).where(entries.c.id.in_(newest)).order_by(entries.c.indicator_code)
    return (await conn.execute(query)).all()


async def history(
    conn: AsyncConnection, unit_code: str, year: int, indicator: str
) -> Sequence[Row]:  # type: ignore[type-arg]
    """Every answer given for one indicator, newest first."""
    query = (
        select(entries)
        .where(
            entries.c.unit_code == unit_code,
            entries.c.year == year,
            entries.c.indicator_code == indicator,
        )
        .order_by(entries.c.id.desc())
    )
    return (await conn.execute(query)).all()
