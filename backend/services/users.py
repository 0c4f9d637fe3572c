"""Officials manage their subtree's users: list, create, edit, deactivate, reactivate, reset."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.config import Settings
from backend.core.access import Principal, require, require_scope
from backend.core.errors import Conflict, NotFound
from backend.core.user_fields import clean_name, clean_phone, raise_if, username_problem
from backend.core.user_records import ActivationRecord, UserRecord
from backend.core.user_rules import require_grant, require_manager
from backend.db.database import Database
from backend.db.repositories import audit
from backend.db.repositories import user_admin as repo
from backend.services.activation import activation_url, issue_code
from backend.services.units import load_unit
from shared_schema.user_wire import (
    ActivationIssued,
    UserHistoryEntry,
    UserIn,
    UserPatch,
    UserView,
)


def _view(user: UserRecord, code: ActivationRecord | None = None) -> UserView:
    """The wire form of a user, with their open activation code's expiry."""
    pending = code is not None and code.expires_at > datetime.now(UTC)
    return UserView(
        user.username,
        user.full_name,
        user.role,
        user.unit_code,
        user.unit_name,
        user.active,
        user.has_password,
        user.phone,
        pending,
        code.expires_at if code else None,
    )


async def _managed(conn: AsyncConnection, actor: Principal, username: str) -> UserRecord:
    """A user the actor may manage (scope and role), or the reason not."""
    user = await repo.user_by_name(conn, username)
    if user is None:
        raise NotFound(
            "user_not_found",
            f"Không tìm thấy người dùng {username}",
            f"User {username} not found",
        )
    require_manager(actor, user.unit_path, user.role)
    return user


async def list_users(db: Database, actor: Principal, unit: str | None) -> list[UserView]:
    """Users bound to a unit or anything below it, in the actor's scope."""
    require(actor, "user_manage")
    async with db.read() as conn:
        root = await load_unit(conn, unit or actor.unit_code)
        require_scope(actor, root.path)
        users = await repo.users_in_subtree(conn, root.path)
        codes = await repo.pending_codes(conn, [u.id for u in users])
    return [_view(u, codes.get(u.id)) for u in users]


async def _issued(
    conn: AsyncConnection, settings: Settings, base_url: str, user: UserRecord, actor: str
) -> ActivationIssued:
    """A fresh activation code for the user, as the caller shows it once."""
    issued = await issue_code(conn, settings, user.id, actor)
    return ActivationIssued(
        user.username,
        user.full_name,
        user.unit_code,
        user.unit_name,
        issued.code,
        issued.expires_at,
        activation_url(base_url, issued.code),
    )


async def create_user(
    db: Database, settings: Settings, actor: Principal, data: UserIn, base_url: str
) -> ActivationIssued:
    """A new user with no password yet and a one-time activation code."""
    name, name_problem = clean_name(data.full_name)
    phone, phone_problem = clean_phone(data.phone)
    raise_if([username_problem(data.username), name_problem, phone_problem])
    require_grant(actor, data.role)
    async with db.write() as conn:
        unit = await load_unit(conn, data.unit)
        require_manager(actor, unit.path, data.role)
        if await repo.user_by_name(conn, data.username) is not None:
            raise Conflict(
                "user_exists",
                f"Tên đăng nhập {data.username} đã tồn tại",
                f"Username {data.username} already exists",
            )
        user_id = await repo.insert_user(
            conn,
            username=data.username,
            password_hash=repo.UNUSABLE_HASH,
            role=data.role,
            unit_code=unit.code,
            full_name=name,
            phone=phone,
            active=True,
            created_at=datetime.now(UTC),
        )
        user = await repo.user_by_id(conn, user_id)
        assert user is not None
        detail = {"role": data.role, "unit": unit.code, "full_name": name, "phone": phone}
        await audit.record(conn, actor, "user.create", "user", user.username, unit.code, **detail)
        return await _issued(conn, settings, base_url, user, actor.username)


async def patch_user(db: Database, actor: Principal, username: str, data: UserPatch) -> UserView:
    """Change a user's name, phone, role or unit, within what the actor may grant and reach."""
    name, name_problem = clean_name(data.full_name or "")
    phone, phone_problem = clean_phone(data.phone)
    raise_if([name_problem if data.full_name is not None else None, phone_problem])
    async with db.write() as conn:
        user = await _managed(conn, actor, username)
        changes: dict[str, object] = {}
        if data.full_name is not None:
            changes["full_name"] = name
        if data.phone is not None:
            changes["phone"] = phone
        if data.role is not None:
            require_grant(actor, data.role)
            changes["role"] = data.role
        if data.unit is not None:
            unit = await load_unit(conn, data.unit)
            require_manager(actor, unit.path, data.role or user.role)
            changes["unit_code"] = unit.code
        if changes:
            await repo.update_user(conn, user.id, **changes)
            detail = {("unit" if k == "unit_code" else k): v for k, v in changes.items()}
            await audit.record(
                conn, actor, "user.update", "user", username, user.unit_code, **detail
            )
        fresh = await repo.user_by_id(conn, user.id)
        codes = await repo.pending_codes(conn, [user.id])
    assert fresh is not None
    return _view(fresh, codes.get(user.id))


async def set_active(
    db: Database, actor: Principal, username: str, active: bool, reason: str = ""
) -> UserView:
    """Deactivate (sessions and open codes end at once) or reactivate a user."""
    now = datetime.now(UTC)
    async with db.write() as conn:
        user = await _managed(conn, actor, username)
        if user.username == actor.username:
            raise Conflict(
                "user_self_deactivate",
                "Không thể tự khoá tài khoản của mình",
                "You cannot deactivate your own account",
            )
        await repo.update_user(conn, user.id, active=active)
        if not active:
            await repo.revoke_sessions(conn, user.id, now)
            await repo.revoke_codes(conn, user.id, now)
        action = "user.reactivate" if active else "user.deactivate"
        await audit.record(conn, actor, action, "user", username, user.unit_code, reason=reason)
        fresh = await repo.user_by_id(conn, user.id)
    assert fresh is not None
    return _view(fresh)


async def reset_user(
    db: Database,
    settings: Settings,
    actor: Principal,
    username: str,
    base_url: str,
    reason: str = "",
) -> ActivationIssued:
    """Forget the password, end every session, and issue a new activation code."""
    now = datetime.now(UTC)
    async with db.write() as conn:
        user = await _managed(conn, actor, username)
        if not user.active:
            raise Conflict(
                "user_inactive",
                "Tài khoản đang bị khoá; hãy mở lại trước khi cấp mã",
                "The account is deactivated; reactivate it before issuing a code",
            )
        await repo.update_user(conn, user.id, password_hash=repo.UNUSABLE_HASH)
        await repo.revoke_sessions(conn, user.id, now)
        await audit.record(
            conn, actor, "user.reset", "user", username, user.unit_code, reason=reason
        )
        return await _issued(conn, settings, base_url, user, actor.username)


async def user_history(db: Database, actor: Principal, username: str) -> list[UserHistoryEntry]:
    """Every recorded change to a user, oldest first."""
    async with db.read() as conn:
        await _managed(conn, actor, username)
        entries = await repo.history(conn, username)
    return [UserHistoryEntry(e.at, e.actor, e.action, e.detail) for e in entries]
