"""Targets per unit and year (the roadmap is the set of a unit's targets over the years)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.tables import targets, units


async def put(
    conn: AsyncConnection,
    unit_code: str,
    year: int,
    target_level: int | None,
    rates: dict[str, float],
    actor: str,
) -> None:
    """Replace a unit's target for a year."""
    await conn.execute(
        delete(targets).where(targets.c.unit_code == unit_code, targets.c.year == year)
    )
    await conn.execute(
        targets.insert().values(
            unit_code=unit_code,
            year=year,
            target_level=target_level,
            rates=rates,
            updated_by=actor,
            updated_at=datetime.now(UTC),
        )
    )


async def get(conn: AsyncConnection, unit_code: str, year: int) -> Row | None:  # type: ignore[type-arg]
    """One unit's target for a year."""
    query = select(targets).where(targets.c.unit_code == unit_code, targets.c.year == year)
    return (await conn.execute(query)).first()


async def in_subtree(conn: AsyncConnection, path: str, year: int | None = None) -> Sequence[Row]:  # type: ignore[type-arg]
    """Targets of every unit under a path, with the unit's level and parent."""
    query: Any = (
        select(targets, units.c.level, units.c.parent_code, units.c.name)
        .join(units, units.c.code == targets.c.unit_code)
        .where(units.c.path.startswith(path, autoescape=True))
    )
    if year is not None:
        query = query.where(targets.c.year == year)
    return (await conn.execute(query.order_by(targets.c.unit_code, targets.c.year))).all()
