"""Units in scope: read, create, rename, retire, and their status."""

from __future__ import annotations

from litestar import Router, get, patch, post

from backend.config import Settings
from backend.core.access import Principal
from backend.db.database import Database
from backend.services import status, units
from shared_schema.framework import Framework
from shared_schema.wire import Unit, UnitIn, UnitPatch, UnitStatus


@get("/")
async def list_units(
    principal: Principal, db: Database, parent: str | None = None, level: str | None = None
) -> list[Unit]:
    """Children of a unit, or every unit of a level, in the caller's scope."""
    return await units.list_units(db, principal, parent, level)


@get("/{code:str}")
async def get_unit(principal: Principal, db: Database, code: str) -> Unit:
    """One unit."""
    return await units.get_unit(db, principal, code)


@post("/")
async def create_unit(
    data: UnitIn, principal: Principal, db: Database, framework: Framework
) -> Unit:
    """Add a child unit (a commune officer adds a village)."""
    return await units.create_unit(db, framework, principal, data)


@patch("/{code:str}")
async def patch_unit(data: UnitPatch, principal: Principal, db: Database, code: str) -> Unit:
    """Rename or retire a unit."""
    return await units.patch_unit(db, principal, code, data)


@get("/{code:str}/status")
async def unit_status(
    principal: Principal,
    db: Database,
    framework: Framework,
    settings: Settings,
    code: str,
    year: int,
) -> UnitStatus:
    """The unit's roll-up for a year: figures, rates, completeness, levels, target and gap."""
    return await status.unit_status(db, framework, principal, code, year, settings.unit)


router = Router(
    "/api/units", route_handlers=[list_units, get_unit, create_unit, patch_unit, unit_status]
)
