"""Request-scoped dependencies: the acting principal, the database, the framework."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State

from backend.core.access import Principal
from backend.core.errors import Unauthenticated
from backend.db.database import Database
from backend.services.token_revocation import RevokedTokens
from backend.web.request_context import note_principal
from backend.web.tokens import AccessClaims, verify_access_token
from shared_schema.framework import Framework

MISSING = Unauthenticated("unauthenticated", "Cần đăng nhập", "Login required")
REVOKED = Unauthenticated(
    "token_revoked", "Phiên đăng nhập đã kết thúc (đã đăng xuất)", "Access token revoked at logout"
)


def client_ip(request: Request[Any, Any, Any]) -> str:
    """The caller's address as the server sees it."""
    return request.client.host if request.client else ""


def revocations(request: Request[Any, Any, Any]) -> RevokedTokens:
    """The node's list of revoked access tokens (one per app)."""
    state = request.app.state
    if getattr(state, "revoked_tokens", None) is None:
        state.revoked_tokens = RevokedTokens(state.db)
    revoked: RevokedTokens = state.revoked_tokens
    return revoked


def bearer_claims(request: Request[Any, Any, Any]) -> AccessClaims | None:
    """The verified claims of the request's bearer token; None when it sends none."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    settings = request.app.state.settings
    return verify_access_token(settings.secret, settings.unit, token.strip())


async def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    """The caller behind a valid, unrevoked bearer token, or a 401 problem."""
    claims = bearer_claims(request)
    if claims is None:
        raise MISSING
    if await revocations(request).contains(claims.jti):
        raise REVOKED
    principal = claims.principal(client_ip(request), request.headers.get("user-agent", ""))
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
