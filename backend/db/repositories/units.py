"""Queries over administrative units and their materialised paths."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Row, String, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.tables import unit_parent_history, units


async def get(conn: AsyncConnection, code: str) -> Row | None:  # type: ignore[type-arg]
    """One unit by code."""
    return (await conn.execute(select(units).where(units.c.code == code))).first()


async def children(conn: AsyncConnection, parent_code: str) -> Sequence[Row]:  # type: ignore[type-arg]
    """Direct children of a unit, by name."""
    query = select(units).where(units.c.parent_code == parent_code).order_by(units.c.name)
    return (await conn.execute(query)).all()


async def in_subtree(
    conn: AsyncConnection, path: str, level: str | None = None, include_retired: bool = False
) -> Sequence[Row]:  # type: ignore[type-arg]
    """Every unit under a path (itself included), optionally of one level."""
    query = select(units).where(units.c.path.startswith(path, autoescape=True))
    if level:
        query = query.where(units.c.level == level)
    if not include_retired:
        query = query.where(units.c.retired.is_(False))
    return (await conn.execute(query.order_by(units.c.path))).all()


async def count_in_subtree(conn: AsyncConnection, path: str, level: str) -> int:
    """How many active units of a level lie under a path."""
    query = (
        select(func.count())
        .select_from(units)
        .where(
            units.c.path.startswith(path, autoescape=True),
            units.c.level == level,
            units.c.retired.is_(False),
        )
    )
    return int((await conn.execute(query)).scalar_one())


async def insert(
    conn: AsyncConnection, code: str, name: str, level: str, parent_code: str | None, path: str
) -> None:
    """Add a unit and open its parent history."""
    now = datetime.now(UTC)
    await conn.execute(
        units.insert().values(
            code=code,
            name=name,
            level=level,
            parent_code=parent_code,
            path=path,
            retired=False,
            created_at=now,
            updated_at=now,
        )
    )
    await conn.execute(
        unit_parent_history.insert().values(unit_code=code, parent_code=parent_code, valid_from=now)
    )


async def update_fields(conn: AsyncConnection, code: str, **values: object) -> None:
    """Change name/level/retired of a unit."""
    await conn.execute(
        update(units).where(units.c.code == code).values(updated_at=datetime.now(UTC), **values)
    )


async def move(
    conn: AsyncConnection, code: str, old_path: str, new_path: str, new_parent: str | None
) -> None:
    """Re-parent a unit: rewrite its subtree's paths and close/open its parent history."""
    now = datetime.now(UTC)
    await conn.execute(
        update(units).where(units.c.code == code).values(parent_code=new_parent, updated_at=now)
    )
    await conn.execute(
        update(units)
        .where(units.c.path.startswith(old_path, autoescape=True))
        .values(path=literal(new_path, String) + func.substr(units.c.path, len(old_path) + 1))
    )
    await conn.execute(
        update(unit_parent_history)
        .where(unit_parent_history.c.unit_code == code, unit_parent_history.c.valid_to.is_(None))
        .values(valid_to=now)
    )
    await conn.execute(
        unit_parent_history.insert().values(unit_code=code, parent_code=new_parent, valid_from=now)
    )


async def village_paths(conn: AsyncConnection, path: str) -> list[str]:
    """Paths of the active villages under a path (to count them per unit above)."""
    query = select(units.c.path).where(
        units.c.path.startswith(path, autoescape=True),
        units.c.level == "village",
        units.c.retired.is_(False),
    )
    return list((await conn.execute(query)).scalars())
