"""Request-scoped dependencies: the acting principal, the database, the framework."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State

from backend.core.access import Principal
from backend.core.errors import Unauthenticated
from backend.db.database import Database
from backend.web.request_context import note_principal
from backend.web.tokens import principal_from_token
from shared_schema.framework import Framework

MISSING = Unauthenticated("unauthenticated", "Cần đăng nhập", "Login required")


def client_ip(request: Request[Any, Any, Any]) -> str:
    """The caller's address as the server sees it."""
    return request.client.host if request.client else ""


async def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    """The caller behind the bearer token, or a 401 problem."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise MISSING
    principal = principal_from_token(
        request.app.state.settings.secret,
        token.strip(),
        client_ip(request),
        request.headers.get("user-agent", ""),
    )
    note_principal(principal.username, principal.unit_code)
    return principal


async def provide_db(state: State) -> Database:
    """The node's database."""
    db: Database = state.db
    return db


async def provide_framework(state: State) -> Framework:
    """The framework in force on this node."""
    framework: Framework = state.framework
    return framework


def wake_rebuilder(request: Request[Any, Any, Any]) -> None:
    """Tell the node's snapshot rebuilder (when it runs) that figures changed."""
    rebuilder = getattr(request.app.state, "rebuilder", None)
    if rebuilder is not None:
        rebuilder.wake()
