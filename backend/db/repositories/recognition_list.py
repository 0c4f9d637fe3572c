"""Recognition decisions of one unit, newest first, for the unit's page."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.tables import recognitions
from shared_schema.assessment_wire import Recognition


async def of_unit(conn: AsyncConnection, unit_code: str) -> list[Recognition]:
    """Every decision recorded for the unit."""
    query = (
        select(recognitions)
        .where(recognitions.c.unit_code == unit_code)
        .order_by(recognitions.c.year.desc(), recognitions.c.id.desc())
    )
    return [
        Recognition(
            r.id, r.unit_code, r.year, r.level, r.decision_no, r.decided_on, r.signer, r.recorded_by
        )
        for r in await conn.execute(query)
    ]
