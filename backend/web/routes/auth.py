"""Login, refresh, logout and who-am-I."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get, post
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from backend.config import Settings
from backend.core.access import Principal
from backend.db.database import Database
from backend.services import auth
from backend.services.units import get_unit
from backend.web.deps import bearer_claims, client_ip, revocations
from backend.web.tokens import issue_access_token
from shared_schema.wire import LoginRequest, RefreshRequest, TokenPair, UserInfo


def _pair(settings: Settings, session: auth.Session, device_id: str) -> TokenPair:
    """Wrap a session into the token pair the client keeps."""
    access = issue_access_token(
        settings.secret,
        settings.access_token_seconds,
        session.user_id,
        session.username,
        session.role,
        session.unit_code,
        session.unit_path,
        device_id,
        issuer=settings.unit,
    )
    user = UserInfo(
        session.username, session.role, session.unit_code, session.unit_name, session.unit_level
    )
    return TokenPair(
        access,
        session.refresh_token,
        "Bearer",
        settings.access_token_seconds,
        session.refresh_expires_in,
        user,
    )


@post("/login", status_code=HTTP_200_OK)
async def login(
    request: Request[Any, Any, Any], data: LoginRequest, db: Database, settings: Settings
) -> TokenPair:
    """Username and password → access token and device refresh token."""
    session = await auth.login(
        db, settings, data.username, data.password, data.device_id, client_ip(request)
    )
    return _pair(settings, session, data.device_id)


@post("/refresh", status_code=HTTP_200_OK)
async def refresh(data: RefreshRequest, db: Database, settings: Settings) -> TokenPair:
    """Rotate the device refresh token and get a new access token."""
    session = await auth.refresh(db, settings, data.refresh_token, data.device_id)
    return _pair(settings, session, data.device_id)


@post("/logout", status_code=HTTP_204_NO_CONTENT)
async def logout(request: Request[Any, Any, Any], data: RefreshRequest, db: Database) -> None:
    """Revoke this device's refresh token and, when sent, the access token until it expires."""
    await auth.logout(db, data.refresh_token)
    claims = bearer_claims(request)
    if claims is not None:
        await revocations(request).revoke(claims.jti, claims.expires_at)


@get("/me")
async def me(principal: Principal, db: Database) -> UserInfo:
    """The logged-in user, read fresh from the database."""
    fresh = await auth.principal_for(db, principal.user_id)
    unit = await get_unit(db, fresh, fresh.unit_code)
    level = unit.level
    return UserInfo(fresh.username, fresh.role, unit.code, unit.name, level)


router = Router("/api/auth", route_handlers=[login, refresh, logout, me])
