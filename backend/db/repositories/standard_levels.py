"""Communes' levels of the unit standards per year: reached (actual) or planned."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import and_, delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.tables import recognitions, standard_levels, units

Levels = dict[str, dict[str, int]]  # unit code → standard → level


async def put(
    conn: AsyncConnection,
    unit_code: str,
    year: int,
    basis: str,
    levels: dict[str, int],
    actor: str,
) -> None:
    """Replace some standards' levels of one unit for a year and basis."""
    now = datetime.now(UTC)
    for standard, level in levels.items():
        key = and_(
            standard_levels.c.unit_code == unit_code,
            standard_levels.c.year == year,
            standard_levels.c.standard == standard,
            standard_levels.c.basis == basis,
        )
        await conn.execute(delete(standard_levels).where(key))
        await conn.execute(
            standard_levels.insert().values(
                unit_code=unit_code,
                year=year,
                standard=standard,
                basis=basis,
                level=level,
                updated_by=actor,
                updated_at=now,
            )
        )


def _counted_units(path: str, unit_level: str):  # type: ignore[no-untyped-def]
    """Active units of the counted level under a path (the unit itself included)."""
    return and_(
        units.c.path.startswith(path, autoescape=True),
        units.c.level == unit_level,
        units.c.retired.is_(False),
    )


async def counted_units(conn: AsyncConnection, path: str, unit_level: str) -> list[str]:
    """Codes of the active units of the counted level under a path."""
    query = select(units.c.code).where(_counted_units(path, unit_level)).order_by(units.c.code)
    return list((await conn.execute(query)).scalars())


async def levels_below(
    conn: AsyncConnection, path: str, year: int, basis: str, unit_level: str
) -> Levels:
    """Each counted unit's levels for the year and basis (units without any are absent)."""
    query = (
        select(standard_levels.c.unit_code, standard_levels.c.standard, standard_levels.c.level)
        .join(units, units.c.code == standard_levels.c.unit_code)
        .where(
            _counted_units(path, unit_level),
            standard_levels.c.year == year,
            standard_levels.c.basis == basis,
        )
    )
    found: Levels = {}
    for unit_code, standard, level in (await conn.execute(query)).all():
        found.setdefault(unit_code, {})[standard] = int(level)
    return found


async def recognised_below(
    conn: AsyncConnection, path: str, year: int, valid_years: int, unit_level: str
) -> dict[str, int]:
    """Each counted unit's recognised level valid in the year (newest decision; absent: none)."""
    query = (
        select(recognitions.c.unit_code, recognitions.c.level)
        .join(units, units.c.code == recognitions.c.unit_code)
        .where(
            _counted_units(path, unit_level),
            recognitions.c.year <= year,
            recognitions.c.year > year - valid_years,
        )
        .order_by(recognitions.c.year, recognitions.c.id)
    )
    return {code: int(level) for code, level in (await conn.execute(query)).all()}
