"""Tally revisions and the per-(village, year) head that points at the current one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, and_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.tables import audit_log, tallies, tally_heads, units

CURRENT = and_(tally_heads.c.current_id == tallies.c.id)


async def by_client_uuid(conn: AsyncConnection, client_uuid: str) -> Row | None:  # type: ignore[type-arg]
    """The tally a phone already sent with this UUID, if any."""
    query = select(tallies).where(tallies.c.client_uuid == client_uuid)
    return (await conn.execute(query)).first()


async def by_id(conn: AsyncConnection, tally_id: int) -> Row | None:  # type: ignore[type-arg]
    """One tally revision with its village's path and name."""
    query = (
        select(tallies, units.c.path, units.c.name.label("village_name"), tally_heads.c.current_id)
        .join(units, units.c.code == tallies.c.village_code)
        .join(
            tally_heads,
            and_(
                tally_heads.c.village_code == tallies.c.village_code,
                tally_heads.c.year == tallies.c.year,
            ),
        )
        .where(tallies.c.id == tally_id)
    )
    return (await conn.execute(query)).first()


async def current_values(conn: AsyncConnection, village: str, year: int) -> dict[str, int] | None:
    """The current tally values of a village for a year (for last-year comparisons)."""
    query = (
        select(tallies.c.figures)
        .join(tally_heads, CURRENT)
        .where(tally_heads.c.village_code == village, tally_heads.c.year == year)
    )
    values = (await conn.execute(query)).scalar_one_or_none()
    return dict(values) if values is not None else None


async def next_revision(conn: AsyncConnection, village: str, year: int) -> int:
    """Bump the head's revision; the row lock serialises concurrent writers of one village-year."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    await conn.execute(
        dialect.insert(tally_heads)
        .values(village_code=village, year=year, revision=0, current_id=None)
        .on_conflict_do_nothing()
    )
    result = await conn.execute(
        update(tally_heads)
        .where(tally_heads.c.village_code == village, tally_heads.c.year == year)
        .values(revision=tally_heads.c.revision + 1)
        .returning(tally_heads.c.revision)
    )
    return int(result.scalar_one())


async def insert_current(conn: AsyncConnection, row: dict[str, Any], audit: dict[str, Any]) -> int:
    """Store a new revision, make it current and append its audit row."""
    tally_id = int(
        (await conn.execute(tallies.insert().values(row).returning(tallies.c.id))).scalar_one()
    )
    await conn.execute(
        update(tally_heads)
        .where(tally_heads.c.village_code == row["village_code"], tally_heads.c.year == row["year"])
        .values(current_id=tally_id)
    )
    await conn.execute(audit_log.insert().values({**audit, "entity_id": str(tally_id)}))
    return tally_id


async def current_in_subtree(conn: AsyncConnection, path: str, year: int) -> Sequence[Row]:  # type: ignore[type-arg]
    """Current tallies of every village under a path for a year."""
    query = (
        select(tallies, units.c.name.label("village_name"))
        .join(tally_heads, CURRENT)
        .join(units, units.c.code == tallies.c.village_code)
        .where(tally_heads.c.year == year, units.c.path.startswith(path, autoescape=True))
        .order_by(units.c.name)
    )
    return (await conn.execute(query)).all()


async def history(conn: AsyncConnection, village: str, year: int) -> Sequence[Row]:  # type: ignore[type-arg]
    """Every revision of a village's tally for a year, newest first."""
    query = (
        select(tallies, units.c.name.label("village_name"))
        .join(units, units.c.code == tallies.c.village_code)
        .where(tallies.c.village_code == village, tallies.c.year == year)
        .order_by(tallies.c.revision.desc())
    )
    return (await conn.execute(query)).all()


async def set_review(conn: AsyncConnection, tally_id: int, **values: Any) -> None:
    """Record a confirmation or return on a tally revision."""
    await conn.execute(update(tallies).where(tallies.c.id == tally_id).values(**values))
