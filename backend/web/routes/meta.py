"""Health and the framework the PWA caches."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from backend.db.database import Database
from backend.services import node_health
from shared_schema.framework import Framework
from shared_schema.framework_loader import framework_etag
from shared_schema.sync import NodeHealth


@get("/health")
async def health(db: Database) -> NodeHealth:
    """Liveness plus a database round trip, the relay's holder and state, and queue counts."""
    return await node_health.health(db)


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
