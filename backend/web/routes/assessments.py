"""Self-assessment answers, targets, roadmap checks and recognition decisions."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get, post, put

from backend.config import Settings
from backend.core.access import Principal
from backend.db.database import Database
from backend.services import assessments, recognitions, targets
from backend.web.csv_body import csv_text, csv_upload
from shared_schema.assessment_wire import (
    AssessmentEntry,
    AssessmentEntryIn,
    AssessmentView,
    Recognition,
    RecognitionIn,
    RoadmapProblemView,
    TargetIn,
    TargetView,
)
from shared_schema.framework import Framework


@get("/units/{code:str}/assessment")
async def view_assessment(
    principal: Principal,
    db: Database,
    framework: Framework,
    settings: Settings,
    code: str,
    year: int,
) -> AssessmentView:
    """Current self-assessment answers with the evaluation they give."""
    return await assessments.assessment_view(db, framework, principal, code, year, settings.unit)


@put("/units/{code:str}/assessment/{year:int}/{indicator:str}", status_code=200)
async def answer(
    data: AssessmentEntryIn,
    principal: Principal,
    db: Database,
    framework: Framework,
    code: str,
    year: int,
    indicator: str,
) -> AssessmentEntry:
    """Record an answer (attested yes/no with evidence, an entered level or a measure)."""
    return await assessments.record_answer(db, framework, principal, code, year, indicator, data)


@get("/units/{code:str}/assessment/{year:int}/{indicator:str}/history")
async def answer_history(
    principal: Principal, db: Database, code: str, year: int, indicator: str
) -> list[AssessmentEntry]:
    """Every answer given for one indicator."""
    return await assessments.answer_history(db, principal, code, year, indicator)


@put("/units/{code:str}/targets/{year:int}", status_code=200)
async def put_target(
    data: TargetIn,
    principal: Principal,
    db: Database,
    framework: Framework,
    code: str,
    year: int,
) -> TargetView:
    """Set a unit's target level and rates for a year."""
    return await targets.put_target(db, framework, principal, code, year, data)


@get("/targets")
async def list_targets(
    principal: Principal, db: Database, unit: str, year: int | None = None
) -> list[TargetView]:
    """Targets of a unit and the units below it."""
    return await targets.list_targets(db, principal, unit, year)


@post(
    "/targets/import",
    status_code=200,
    operation_class=csv_upload("unit_code,year,target_level,<rate codes>…"),
)
async def import_targets(
    request: Request[Any, Any, Any], principal: Principal, db: Database, framework: Framework
) -> dict[str, int]:
    """Import a CSV of unit_code,year,target_level,<rate codes>…"""
    text = csv_text(await request.body())
    return {"imported": await targets.import_targets(db, framework, principal, text)}


@get("/targets/roadmap-check")
async def roadmap_check(
    principal: Principal, db: Database, framework: Framework, unit: str
) -> list[RoadmapProblemView]:
    """Parent targets that their children's targets cannot satisfy."""
    return await targets.roadmap_problems(db, framework, principal, unit)


@post("/units/{code:str}/recognitions", status_code=201)
async def recognise(
    data: RecognitionIn,
    principal: Principal,
    db: Database,
    framework: Framework,
    code: str,
) -> Recognition:
    """Record a recognition decision for a unit below the caller's."""
    return await recognitions.record_recognition(db, framework, principal, code, data)


router = Router(
    "/api",
    route_handlers=[
        view_assessment,
        answer,
        answer_history,
        put_target,
        list_targets,
        import_targets,
        roadmap_check,
        recognise,
    ],
)
