"""Evidence uploads and downloads, the recognition dossier lifecycle and timeliness."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Request, Router, get, post
from litestar.response import File

from backend.config import Settings
from backend.core.access import Principal
from backend.core.errors import InvalidInput
from backend.db.database import Database
from backend.services import dossiers, evidence
from backend.services.timeliness import mark_yearly_report_sent, unit_timeliness
from backend.web.body import decode
from shared_schema.dossier_wire import (
    Dossier,
    DossierRecogniseIn,
    DossierReturnIn,
    DossierSubmitIn,
    EvidenceMeta,
    TimelinessItem,
)
from shared_schema.framework import Framework


@post("/units/{code:str}/evidence", status_code=201, request_max_body_size=None)
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


@get("/evidence/{evidence_id:str}")
async def download_evidence(
    principal: Principal, db: Database, settings: Settings, evidence_id: str
) -> File:
    """The file's bytes, for callers whose scope covers its unit, under its original name."""
    meta, path = await evidence.open_evidence(db, settings, principal, evidence_id)
    return File(
        path=path,
        filename=meta.filename,
        media_type=meta.media_type,
        content_disposition_type="attachment",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
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


async def _body(request: Request[Any, Any, Any], kind: type[Any]) -> Any:
    """A JSON body; an empty one means every default."""
    return decode((await request.body()) or b"{}", kind)


ACTIONS: dict[str, tuple[Any, type[Any] | None]] = {
    "submit": (dossiers.submit, DossierSubmitIn),
    "open": (dossiers.open_review, None),
    "return": (dossiers.return_dossier, DossierReturnIn),
    "recognise": (dossiers.recognise, DossierRecogniseIn),
}


@post("/units/{code:str}/dossier/{year:int}/{action:str}", status_code=200)
async def dossier_action(
    request: Request[Any, Any, Any],
    principal: Principal,
    db: Database,
    framework: Framework,
    settings: Settings,
    code: str,
    year: int,
    action: str,
) -> Dossier:
    """submit | open | return | recognise — each allowed only from the states the flow lists."""
    if action not in ACTIONS:
        raise InvalidInput(
            "dossier_action_unknown",
            f"Thao tác không hợp lệ: {action}",
            f"Unknown dossier action: {action}",
        )
    handler, body_type = ACTIONS[action]
    args = [db, framework, settings.hierarchy, principal, code, year]
    if body_type is not None:
        args.append(await _body(request, body_type))
    place = {"node_unit": settings.unit} if action == "submit" else {}
    result: Dossier = await handler(*args, **place)
    return result


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
        dossier_action,
        get_timeliness,
        yearly_report_sent,
    ],
)
