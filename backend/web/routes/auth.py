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
from backend.web.body import read_body
from backend.web.deps import client_ip
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
async def login(request: Request[Any, Any, Any], db: Database, settings: Settings) -> TokenPair:
    """Username and password → access token and device refresh token."""
    body = await read_body(request, LoginRequest)
    session = await auth.login(
        db, settings, body.username, body.password, body.device_id, client_ip(request)
    )
    return _pair(settings, session, body.device_id)


@post("/refresh", status_code=HTTP_200_OK)
async def refresh(request: Request[Any, Any, Any], db: Database, settings: Settings) -> TokenPair:
    """Rotate the device refresh token and get a new access token."""
    body = await read_body(request, RefreshRequest)
    session = await auth.refresh(db, settings, body.refresh_token, body.device_id)
    return _pair(settings, session, body.device_id)


@post("/logout", status_code=HTTP_204_NO_CONTENT)
async def logout(request: Request[Any, Any, Any], db: Database) -> None:
    """Revoke this device's refresh token."""
    body = await read_body(request, RefreshRequest)
    await auth.logout(db, body.refresh_token)


@get("/me")
async def me(principal: Principal, db: Database) -> UserInfo:
    """The logged-in user, read fresh from the database."""
    fresh = await auth.principal_for(db, principal.user_id)
    unit = await get_unit(db, fresh, fresh.unit_code)
    level = unit.level
    return UserInfo(fresh.username, fresh.role, unit.code, unit.name, level)


router = Router("/api/auth", route_handlers=[login, refresh, logout, me])
