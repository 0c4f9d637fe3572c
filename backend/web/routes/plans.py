"""Plan figures: communes' standard levels, the shares below a unit, reports marked as sent."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get, post, put

from backend.config import Settings
from backend.core.access import Principal
from backend.db.database import Database
from backend.services import mergers, period_plans, responsibilities, standards
from backend.services.timeliness import mark_report_sent
from backend.web.csv_body import csv_text, csv_upload
from shared_schema.dossier_wire import TimelinessItem
from shared_schema.framework import Framework
from shared_schema.plan_wire import (
    BodyWork,
    MergerIn,
    MergerView,
    PeriodPlanIn,
    PeriodPlanView,
    StandardLevelsIn,
    StandardLevelsView,
    UnitShares,
)


@put("/units/{code:str}/standards/{year:int}", status_code=200)
async def put_standard_levels(
    principal: Principal,
    db: Database,
    framework: Framework,
    code: str,
    year: int,
    data: StandardLevelsIn,
) -> StandardLevelsView:
    """A commune's levels of the universalisation and literacy standards (reached or planned)."""
    return await standards.put_levels(db, framework, principal, code, year, data)


@post(
    "/standards/import",
    status_code=200,
    operation_class=csv_upload("unit_code,year,basis,<standard codes>…"),
)
async def import_standard_levels(
    request: Request[Any, Any, Any], principal: Principal, db: Database, framework: Framework
) -> dict[str, int]:
    """Import unit_code,year,basis,<standard>… rows (a plan's appendix, a PCGD–XMC export)."""
    text = csv_text(await request.body())
    return {"imported": await standards.import_levels(db, framework, principal, text)}


@get("/units/{code:str}/shares")
async def get_shares(
    principal: Principal,
    db: Database,
    framework: Framework,
    code: str,
    year: int,
    basis: str = "actual",
) -> UnitShares:
    """Communes below the unit at each level of each standard, and the shares."""
    return await standards.unit_shares(db, framework, principal, code, year, basis)


@put("/units/{code:str}/plans/{period:str}", status_code=200)
async def put_period_plan(
    principal: Principal,
    db: Database,
    framework: Framework,
    code: str,
    period: str,
    data: PeriodPlanIn,
) -> dict[str, str]:
    """Set a unit's targets for a period (e.g. 2021-2025) against a baseline year."""
    plan = await period_plans.put_plan(db, framework, principal, code, period, data)
    return {"unit": plan.unit_code, "period": plan.code}


@post(
    "/plans/import",
    status_code=200,
    operation_class=csv_upload("unit_code,period,baseline_year,end_year,<rate or share codes>…"),
)
async def import_period_plans(
    request: Request[Any, Any, Any], principal: Principal, db: Database, framework: Framework
) -> dict[str, int]:
    """Import unit_code,period,baseline_year,end_year,<rate or share codes>… rows."""
    text = csv_text(await request.body())
    return {"imported": await period_plans.import_plans(db, framework, principal, text)}


@get("/units/{code:str}/plans")
async def get_period_plans(
    principal: Principal,
    db: Database,
    framework: Framework,
    settings: Settings,
    code: str,
    year: int,
) -> list[PeriodPlanView]:
    """The unit's period plans with progress in a year (against the end and the straight path)."""
    return await period_plans.plans_view(db, framework, principal, code, year, settings.unit)


@post("/mergers", status_code=201)
async def post_merger(
    principal: Principal, db: Database, framework: Framework, data: MergerIn
) -> list[MergerView]:
    """Old units merged into a new one from a date (old ones retired, their history kept)."""
    return await mergers.record_merger(db, framework, principal, data)


@get("/mergers")
async def get_mergers(principal: Principal, db: Database) -> list[MergerView]:
    """Every merger recorded at this node."""
    return await mergers.list_mergers(db, principal)


@get("/units/{code:str}/responsibilities")
async def get_responsibilities(
    principal: Principal, db: Database, framework: Framework, code: str, year: int
) -> list[BodyWork]:
    """The bodies that gather the unit's evidence: indicators led, supported, evidence missing."""
    return await responsibilities.unit_bodies(db, framework, principal, code, year)


@post("/units/{code:str}/reports/{report:str}/{year:int}/sent", status_code=200)
async def report_sent(
    principal: Principal, db: Database, framework: Framework, code: str, report: str, year: int
) -> list[TimelinessItem]:
    """The unit's officer records that a tracked report (self-assessment, six-monthly) was sent."""
    return await mark_report_sent(db, framework, principal, code, year, report)


router = Router(
    "/api",
    route_handlers=[
        put_standard_levels,
        import_standard_levels,
        get_shares,
        put_period_plan,
        import_period_plans,
        get_period_plans,
        post_merger,
        get_mergers,
        get_responsibilities,
        report_sent,
    ],
)
