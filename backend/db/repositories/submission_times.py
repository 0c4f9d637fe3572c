"""When a tracked submission was first made: a village's tally, a recognition decision."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.tables import recognitions, tallies


async def first_tally_at(conn: AsyncConnection, village_code: str, year: int) -> datetime | None:
    """The moment the village's first tally for the year reached this node (any revision)."""
    query = select(func.min(tallies.c.received_at)).where(
        tallies.c.village_code == village_code, tallies.c.year == year
    )
    found = (await conn.execute(query)).scalar_one_or_none()
    return found if isinstance(found, datetime) else None


async def first_recognition_on(conn: AsyncConnection, unit_code: str, year: int) -> date | None:
    """The date of the first recognition decision for this unit and assessment year."""
    query = select(func.min(recognitions.c.decided_on)).where(
        recognitions.c.unit_code == unit_code, recognitions.c.year == year
    )
    found = (await conn.execute(query)).scalar_one_or_none()
    return date.fromisoformat(found) if isinstance(found, str) else found
