"""The federation view (JSON, CSV, XLSX) and the decisions held at this node."""

from __future__ import annotations

from typing import Any

from litestar import Response, Router, get, post
from litestar.status_codes import HTTP_201_CREATED

from backend.config import Settings
from backend.core.access import Principal
from backend.core.errors import InvalidInput
from backend.db.database import Database
from backend.services import decision_issue, decisions, federation
from backend.web.downloads import content_disposition
from backend.web.exports import to_csv, to_xlsx
from shared_schema.framework import Framework
from shared_schema.sync import Decision, DecisionIn

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@get(
    "/api/federation/status",
    opt={"downloads": ["application/json", "text/csv; charset=utf-8", XLSX]},
)
async def federation_status(
    principal: Principal,
    db: Database,
    framework: Framework,
    settings: Settings,
    year: int,
    level: str = "commune",
    sort: str = "unit",
    timeliness: str = "",
    q: str = "",
    stale_over: int = 0,
    deadline: str | None = None,
    format: str = "json",
    parent: str = "",
    offset: int = 0,
    limit: int = 0,
) -> Response[Any]:
    """One row per unit below the caller at a level, or a page of them (offset, limit: the
    X-Total-Count header says how many match); ?format=csv|xlsx downloads it."""
    default = federation.calendar_deadline(framework, level, settings.report_deadline)
    inclusive = federation.calendar_inclusive(framework, level)
    due = federation.deadline_of(year, deadline, default, inclusive)
    page = await federation.federation_status(
        db,
        framework,
        principal,
        settings.unit,
        year,
        level,
        due,
        sort,
        timeliness,
        q,
        stale_over,
        parent,
        offset,
        limit,
    )
    rows = page.rows
    name = f"xhht-{level}-{year}"
    if format == "csv":
        headers = {"Content-Disposition": content_disposition(f"{name}.csv")}
        return Response(
            to_csv(rows, framework), media_type="text/csv; charset=utf-8", headers=headers
        )
    if format == "xlsx":
        headers = {"Content-Disposition": content_disposition(f"{name}.xlsx")}
        return Response(to_xlsx(rows, framework), media_type=XLSX, headers=headers)
    if format != "json":
        raise InvalidInput(
            "format_invalid",
            "Định dạng phải là json, csv hoặc xlsx",
            "Format must be json, csv or xlsx",
        )
    return Response(rows, headers={"X-Total-Count": str(page.total)})


@get("/api/decisions")
async def list_decisions(
    principal: Principal,
    db: Database,
    unit: str | None = None,
    year: int | None = None,
    kind: str | None = None,
) -> list[Decision]:
    """Decisions about the caller's units or their ancestors, issued here or pulled from above."""
    return await decisions.listing(db, principal, unit, year, kind)


@post("/api/decisions", status_code=HTTP_201_CREATED)
async def issue_decision(
    data: DecisionIn, principal: Principal, db: Database, framework: Framework, settings: Settings
) -> Decision:
    """Issue a decision here, checked like its dedicated route; it flows down to the nodes below."""
    return await decision_issue.issue(db, framework, principal, settings.unit, data)


router = Router("/", route_handlers=[federation_status, list_decisions, issue_decision])
