"""Preview of a targets/roadmap CSV before it is imported."""

from __future__ import annotations

from litestar import Router, post
from litestar.status_codes import HTTP_200_OK

from backend.core.access import Principal
from backend.db.database import Database
from backend.services.target_preview import preview_targets
from backend.web.csv_body import csv_text, csv_upload
from shared_schema.framework import Framework
from shared_schema.target_preview_wire import TargetsPreview


@post(
    "/preview",
    status_code=HTTP_200_OK,
    operation_class=csv_upload("unit_code,year,target_level,<rate codes>…"),
)
async def preview(
    principal: Principal, db: Database, framework: Framework, body: bytes
) -> TargetsPreview:
    """Each row with its errors, and the roadmap warnings the file would give; nothing stored."""
    return await preview_targets(db, framework, principal, csv_text(body))


router = Router("/api/targets", route_handlers=[preview])
