"""What users do for themselves: change their password; audit rows where the actor is the user."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal
from backend.core.errors import InvalidInput
from backend.core.user_records import UserRecord
from backend.db.database import Database
from backend.db.repositories import audit
from backend.db.repositories import user_admin as repo
from backend.db.repositories import users as user_repo
from backend.services.auth import HASHER
from backend.services.password_policy import password_policy

WRONG_CURRENT = InvalidInput(
    "password_current_wrong", "Mật khẩu hiện tại không đúng", "The current password is wrong"
)


async def record_self(
    conn: AsyncConnection, user: UserRecord, action: str, client_ip: str, device_id: str
) -> None:
    """An audit row for something a user did to their own account."""
    actor = Principal(
        user.id, user.username, user.role, user.unit_code, user.unit_path, client_ip, "", device_id
    )
    await audit.record(conn, actor, action, "user", user.username, user.unit_code)


def _matches(password_hash: str, password: str) -> bool:
    """Argon2 verification that never raises."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def change_password(db: Database, actor: Principal, current: str, new: str) -> None:
    """Replace one's own password; sessions on the user's other devices are ended."""
    async with db.read() as conn:
        row = await user_repo.by_id(conn, actor.user_id)
        user = await repo.user_by_id(conn, actor.user_id)
    if row is None or user is None:
        raise WRONG_CURRENT
    if not await asyncio.to_thread(_matches, row.password_hash, current):
        raise WRONG_CURRENT
    password_policy().check(new, user.username)
    new_hash = await asyncio.to_thread(HASHER.hash, new)
    async with db.write() as conn:
        await repo.update_user(conn, user.id, password_hash=new_hash)
        await repo.revoke_sessions(conn, user.id, datetime.now(UTC), keep_device=actor.device_id)
        await record_self(conn, user, "user.password", actor.client_ip, actor.device_id)
