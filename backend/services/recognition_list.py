"""The decisions a unit has received, visible to the unit and everyone above it."""

from __future__ import annotations

from backend.core.access import Principal, require, require_scope
from backend.db.database import Database
from backend.db.repositories import recognition_list as repo
from backend.services.units import load_unit
from shared_schema.assessment_wire import Recognition


async def unit_recognitions(db: Database, actor: Principal, code: str) -> list[Recognition]:
    """Every recognition decision recorded for a unit in the caller's scope."""
    require(actor, "read")
    async with db.read() as conn:
        unit = await load_unit(conn, code)
        require_scope(actor, unit.path)
        return await repo.of_unit(conn, code)
