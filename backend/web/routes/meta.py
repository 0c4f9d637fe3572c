"""Health and the framework the PWA caches."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from backend.db.database import Database
from backend.services.decision_quarantine import decision_health
from shared_schema.framework import Framework
from shared_schema.framework_loader import framework_etag


@get("/health")
async def health(db: Database) -> dict[str, Any]:
    """Liveness plus a database round trip, and what waits for the operator."""
    async with db.read() as conn:
        await conn.exec_driver_sql("SELECT 1")
    return {"status": "ok", **await decision_health(db)}


@get("/api/framework")
async def framework_document(
    request: Request[Any, Any, Any], framework: Framework
) -> Response[Any]:
    """The framework in force, with an ETag so clients revalidate cheaply."""
    etag = f'"{framework_etag(framework)}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(b"", status_code=304, headers=headers)
    return Response(framework, headers=headers)
