"""Recognition decisions (quyết định công nhận) per unit and year."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.code_lists import one_of
from backend.db.tables import recognitions, units


async def insert(conn: AsyncConnection, **values: Any) -> int:
    """Store one decision."""
    result = await conn.execute(recognitions.insert().values(**values).returning(recognitions.c.id))
    return int(result.scalar_one())


async def by_id(conn: AsyncConnection, recognition_id: int) -> Row | None:  # type: ignore[type-arg]
    """One decision."""
    query = select(recognitions).where(recognitions.c.id == recognition_id)
    return (await conn.execute(query)).first()


async def level_in_force(
    conn: AsyncConnection, unit_code: str, year: int, valid_years: int = 1
) -> int | None:
    """The level of the newest decision still valid in the year (decided for it, by default)."""
    query = (
        select(recognitions.c.level)
        .where(
            recognitions.c.unit_code == unit_code,
            recognitions.c.year <= year,
            recognitions.c.year > year - valid_years,
        )
        .order_by(recognitions.c.year.desc(), recognitions.c.id.desc())
        .limit(1)
    )
    return (await conn.execute(query)).scalar_one_or_none()


async def children_levels(
    conn: AsyncConnection, parent_code: str, year: int, valid_years: int = 1
) -> Sequence[Row]:  # type: ignore[type-arg]
    """Each active child unit with the level of its newest decision valid in the year (or None)."""
    newest = (
        select(recognitions.c.unit_code, func.max(recognitions.c.id).label("rid"))
        .where(recognitions.c.year <= year, recognitions.c.year > year - valid_years)
        .group_by(recognitions.c.unit_code)
        .subquery()
    )
    query = (
        select(units.c.code, recognitions.c.level)
        .select_from(units)
        .outerjoin(newest, newest.c.unit_code == units.c.code)
        .outerjoin(recognitions, recognitions.c.id == newest.c.rid)
        .where(units.c.parent_code == parent_code, units.c.retired.is_(False))
    )
    return (await conn.execute(query)).all()


async def levels_in_force(
    conn: AsyncConnection, unit_codes: Sequence[str], year: int, valid_years: int = 1
) -> dict[str, int]:
    """level_in_force for several units at once (units without a valid decision are left out)."""
    query = (
        select(recognitions.c.unit_code, recognitions.c.level)
        .where(
            one_of(conn, recognitions.c.unit_code, unit_codes),
            recognitions.c.year <= year,
            recognitions.c.year > year - valid_years,
        )
        .order_by(recognitions.c.year, recognitions.c.id)
    )
    return {code: level for code, level in (await conn.execute(query)).all()}
