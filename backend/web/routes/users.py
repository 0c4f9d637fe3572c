"""Managing users, bulk onboarding, the activation sheet; activation and password changes."""

from __future__ import annotations

import re
from typing import Any

from litestar import Request, Response, Router, get, patch, post
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from backend.config import Settings
from backend.core.access import Principal
from backend.db.database import Database
from backend.services import activation, self_service, user_import, users
from backend.services.activation_sheet import activation_sheet
from backend.services.recognition_list import unit_recognitions
from backend.web.csv_body import csv_text, csv_upload
from backend.web.deps import client_ip
from backend.web.routes.auth import _pair as token_pair
from shared_schema.assessment_wire import Recognition
from shared_schema.user_wire import (
    ActivateRequest,
    ActivationIssued,
    ImportReport,
    PasswordChange,
    UserAction,
    UserHistoryEntry,
    UserIn,
    UserPatch,
    UserView,
)
from shared_schema.wire import TokenPair


def base_url(request: Request[Any, Any, Any], settings: Settings) -> str:
    """The address people open this node at (XHHT_PUBLIC_URL, else what the request used)."""
    return (settings.public_url or str(request.base_url)).rstrip("/")


def _reason(data: UserAction | None) -> str:
    """The optional reason given for an account action."""
    return data.reason.strip()[:500] if data else ""


@get("/")
async def list_users(principal: Principal, db: Database, unit: str | None = None) -> list[UserView]:
    """Users of a unit and everything below it (default: the caller's unit)."""
    return await users.list_users(db, principal, unit)


@post("/")
async def create_user(
    request: Request[Any, Any, Any],
    principal: Principal,
    db: Database,
    settings: Settings,
    data: UserIn,
) -> ActivationIssued:
    """A new user and their one-time activation code."""
    return await users.create_user(db, settings, principal, data, base_url(request, settings))


@patch("/{username:str}")
async def patch_user(
    principal: Principal, db: Database, username: str, data: UserPatch
) -> UserView:
    """Change a user's name, phone, role or unit."""
    return await users.patch_user(db, principal, username, data)


@post("/{username:str}/deactivate", status_code=HTTP_200_OK)
async def deactivate(
    principal: Principal, db: Database, username: str, data: UserAction | None = None
) -> UserView:
    """Lock an account; its sessions and open codes end at once."""
    return await users.set_active(db, principal, username, False, _reason(data))


@post("/{username:str}/reactivate", status_code=HTTP_200_OK)
async def reactivate(
    principal: Principal, db: Database, username: str, data: UserAction | None = None
) -> UserView:
    """Unlock an account."""
    return await users.set_active(db, principal, username, True, _reason(data))


@post("/{username:str}/reset", status_code=HTTP_200_OK)
async def reset(
    request: Request[Any, Any, Any],
    principal: Principal,
    db: Database,
    settings: Settings,
    username: str,
    data: UserAction | None = None,
) -> ActivationIssued:
    """Forget the password and issue a new activation code."""
    url = base_url(request, settings)
    return await users.reset_user(db, settings, principal, username, url, _reason(data))


@get("/{username:str}/history")
async def history(principal: Principal, db: Database, username: str) -> list[UserHistoryEntry]:
    """Every recorded change to the user."""
    return await users.user_history(db, principal, username)


@post("/import", status_code=HTTP_200_OK, operation_class=csv_upload("village,full_name,phone"))
async def import_users(
    principal: Principal,
    db: Database,
    settings: Settings,
    body: bytes,
    dry_run: bool = False,
    valid_only: bool = False,
) -> ImportReport:
    """Village heads from a `village,full_name,phone` CSV: preview, all or none, or valid rows."""
    text = csv_text(body)
    return await user_import.import_users(
        db, settings, principal, text, dry_run=dry_run, valid_only=valid_only
    )


@get("/activation-sheet", media_type="application/pdf")
async def sheet(
    request: Request[Any, Any, Any],
    principal: Principal,
    db: Database,
    settings: Settings,
    unit: str,
) -> Response[bytes]:
    """Printable A4 cards with each open activation code and its QR code."""
    pdf = await activation_sheet(db, settings, principal, unit, base_url(request, settings))
    name = re.sub(r"[^A-Za-z0-9-]", "_", unit)[:40]
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="kich-hoat-{name}.pdf"'},
    )


@post("/activate", status_code=HTTP_200_OK)
async def activate(
    request: Request[Any, Any, Any], db: Database, settings: Settings, data: ActivateRequest
) -> TokenPair:
    """An activation code and a new password → logged in, like a login."""
    session = await activation.activate(
        db, settings, data.code, data.password, data.device_id, client_ip(request)
    )
    return token_pair(settings, session, data.device_id)


@post("/password", status_code=HTTP_204_NO_CONTENT)
async def change_password(principal: Principal, db: Database, data: PasswordChange) -> None:
    """Change one's own password (other devices are logged out)."""
    await self_service.change_password(db, principal, data.current, data.new)


@get("/recognitions")
async def recognitions_of_unit(principal: Principal, db: Database, unit: str) -> list[Recognition]:
    """Recognition decisions recorded for a unit (inside or outside a dossier)."""
    return await unit_recognitions(db, principal, unit)


router = Router(
    "/api/users",
    route_handlers=[
        list_users,
        create_user,
        patch_user,
        deactivate,
        reactivate,
        reset,
        history,
        import_users,
        sheet,
    ],
)
self_router = Router("/api/auth", route_handlers=[activate, change_password])
recognition_router = Router("/api", route_handlers=[recognitions_of_unit])
