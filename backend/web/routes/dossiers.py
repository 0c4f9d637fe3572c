"""Evidence uploads and downloads, the recognition dossier lifecycle and timeliness."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Request, Router, get, post
from litestar.response import File

from backend.config import Settings
from backend.core.access import Principal
from backend.core.file_types import EXTENSIONS
from backend.db.database import Database
from backend.services import dossiers, evidence
from backend.services.timeliness import mark_yearly_report_sent, unit_timeliness
from backend.web.downloads import content_disposition, safe_filename
from backend.web.openapi_doc import raw_body
from shared_schema.dossier_wire import (
    Dossier,
    DossierRecogniseIn,
    DossierReturnIn,
    DossierSubmitIn,
    EvidenceMeta,
    TimelinessItem,
)
from shared_schema.framework import Framework


@post(
    "/units/{code:str}/evidence",
    status_code=201,
    request_max_body_size=None,
    operation_class=raw_body("application/octet-stream", "The file's bytes", binary=True),
)
async def upload_evidence(
    request: Request[Any, Any, Any],
    principal: Principal,
    db: Database,
    settings: Settings,
    framework: Framework,
    code: str,
    year: int,
    indicator: str,
    filename: str = "",
) -> EvidenceMeta:
    """Raw file body; ?filename= keeps the original name (the type is read from the content)."""
    length = request.headers.get("content-length")
    declared = int(length) if length and length.isdigit() else None
    return await evidence.upload(
        db,
        settings,
        framework,
        principal,
        (code, year, indicator),
        filename,
        request.stream(),
        declared,
    )


@get("/units/{code:str}/evidence")
async def list_evidence(
    principal: Principal, db: Database, code: str, year: int
) -> list[EvidenceMeta]:
    """Metadata of a unit's evidence files for a year."""
    return await evidence.list_evidence(db, principal, code, year)


@get("/evidence/{evidence_id:str}", opt={"downloads": list(EXTENSIONS)})
async def download_evidence(
    principal: Principal, db: Database, settings: Settings, evidence_id: str
) -> File:
    """The file's bytes, for callers whose scope covers its unit, under its original name."""
    meta, path = await evidence.open_evidence(db, settings, principal, evidence_id)
    return File(
        path=path,
        filename=safe_filename(meta.filename),
        media_type=meta.media_type,
        content_disposition_type="attachment",
        headers={
            "content-disposition": content_disposition(meta.filename),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


@get("/units/{code:str}/dossier")
async def get_dossier(
    principal: Principal,
    db: Database,
    framework: Framework,
    settings: Settings,
    code: str,
    year: int,
) -> Dossier:
    """The unit's dossier for a year (a draft until submitted)."""
    return await dossiers.get_dossier(db, framework, settings.hierarchy, principal, code, year)


@post("/units/{code:str}/dossier/{year:int}/submit", status_code=200)
async def submit_dossier(
    principal: Principal,
    db: Database,
    framework: Framework,
    settings: Settings,
    code: str,
    year: int,
    data: DossierSubmitIn | None = None,
) -> Dossier:
    """The unit's officer submits (an empty body claims the computed level)."""
    body = data or DossierSubmitIn()
    return await dossiers.submit(
        db, framework, settings.hierarchy, principal, code, year, body, node_unit=settings.unit
    )


@post("/units/{code:str}/dossier/{year:int}/open", status_code=200)
async def open_dossier(
    principal: Principal,
    db: Database,
    framework: Framework,
    settings: Settings,
    code: str,
    year: int,
) -> Dossier:
    """The recogniser opens a submitted dossier for review."""
    return await dossiers.open_review(db, framework, settings.hierarchy, principal, code, year)


@post("/units/{code:str}/dossier/{year:int}/return", status_code=200)
async def return_dossier(
    data: DossierReturnIn,
    principal: Principal,
    db: Database,
    framework: Framework,
    settings: Settings,
    code: str,
    year: int,
) -> Dossier:
    """The recogniser returns the dossier with a reason."""
    hierarchy = settings.hierarchy
    return await dossiers.return_dossier(db, framework, hierarchy, principal, code, year, data)


@post("/units/{code:str}/dossier/{year:int}/recognise", status_code=200)
async def recognise_dossier(
    data: DossierRecogniseIn,
    principal: Principal,
    db: Database,
    framework: Framework,
    settings: Settings,
    code: str,
    year: int,
) -> Dossier:
    """The recogniser closes the dossier with the recognition decision."""
    hierarchy = settings.hierarchy
    return await dossiers.recognise(db, framework, hierarchy, principal, code, year, data)


@get("/units/{code:str}/timeliness")
async def get_timeliness(
    principal: Principal, db: Database, framework: Framework, code: str, year: int
) -> list[TimelinessItem]:
    """The unit's dossier and yearly report against their deadlines, as of now."""
    return await unit_timeliness(db, framework, principal, code, year, datetime.now(UTC))


@post("/units/{code:str}/yearly-report/{year:int}/sent", status_code=200)
async def yearly_report_sent(
    principal: Principal, db: Database, framework: Framework, code: str, year: int
) -> list[TimelinessItem]:
    """The unit's officer records that its yearly report was sent."""
    return await mark_yearly_report_sent(db, framework, principal, code, year)


router = Router(
    "/api",
    route_handlers=[
        upload_evidence,
        list_evidence,
        download_evidence,
        get_dossier,
        submit_dossier,
        open_dossier,
        return_dossier,
        recognise_dossier,
        get_timeliness,
        yearly_report_sent,
    ],
)
