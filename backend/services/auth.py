"""Logins, device refresh tokens that rotate on use, and user administration."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.config import Settings
from backend.core.access import Principal
from backend.core.errors import Conflict, InvalidInput, Unauthenticated
from backend.db.database import Database
from backend.db.repositories import users as repo
from backend.services import login_guard
from backend.services.password_policy import password_policy
from backend.services.units import load_unit
from shared_schema.roles import load_roles

HASHER = PasswordHasher()
# A just-rotated refresh token still answers with its successor for this long, so two contexts
# refreshing at once, or a phone that lost the answer and asks again, stay logged in.
REFRESH_GRACE = timedelta(minutes=2)
DUMMY_HASH = HASHER.hash("not-a-real-password")
BAD_LOGIN = Unauthenticated(
    "login_failed", "Sai tên đăng nhập hoặc mật khẩu", "Wrong username or password"
)
BAD_REFRESH = Unauthenticated(
    "refresh_invalid",
    "Phiên đăng nhập đã hết hạn, hãy đăng nhập lại",
    "Session expired; please log in again",
)


@dataclass(frozen=True)
class Session:
    """A logged-in user and the new refresh token for their device."""

    user_id: int
    username: str
    role: str
    unit_code: str
    unit_name: str
    unit_level: str
    unit_path: str
    refresh_token: str
    refresh_expires_in: int


def _verify(password_hash: str, password: str) -> bool:
    """Argon2 verification that never raises."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _digest(secret: str) -> str:
    """Refresh tokens are stored only as hashes."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _successor(settings: Settings, token: str) -> tuple[str, str]:
    """Id and secret of the token replacing `token`; only the node key can derive them again."""

    def mac(label: bytes) -> bytes:
        return hmac.new(settings.secret.encode(), label + token.encode(), hashlib.sha256).digest()

    secret = base64.urlsafe_b64encode(mac(b"refresh-secret\0")).rstrip(b"=").decode()
    return mac(b"refresh-id\0")[:16].hex(), secret


def _aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back without a zone; they are stored in UTC."""
    return moment.replace(tzinfo=moment.tzinfo or UTC)


async def _issue_refresh(
    conn: AsyncConnection,
    settings: Settings,
    user: Row,  # type: ignore[type-arg]
    device_id: str,
    family: str | None,
    fixed: tuple[str, str] | None = None,
) -> Session:
    """A new refresh token for this user and device (random, or `fixed` id and secret)."""
    token_id, secret = fixed or (secrets.token_hex(16), secrets.token_urlsafe(32))
    now = datetime.now(UTC)
    lifetime = timedelta(days=settings.refresh_token_days)
    await repo.insert_refresh(
        conn,
        id=token_id,
        family=family or token_id,
        user_id=user.id,
        device_id=device_id[:120],
        token_hash=_digest(secret),
        created_at=now,
        expires_at=now + lifetime,
    )
    return _session(user, f"{token_id}.{secret}", int(lifetime.total_seconds()))


def _session(user: Row, refresh_token: str, expires_in: int) -> Session:  # type: ignore[type-arg]
    """The session answer for a user row and their device's refresh token."""
    return Session(
        user.id,
        user.username,
        user.role,
        user.unit_code,
        user.unit_name,
        user.unit_level,
        user.unit_path,
        refresh_token,
        expires_in,
    )


async def login(
    db: Database, settings: Settings, username: str, password: str, device_id: str, client_ip: str
) -> Session:
    """Check a password once the attempt is counted (per username and per address)."""
    now = datetime.now(UTC)
    await login_guard.admit(db, settings, username, client_ip)
    async with db.read() as conn:
        user = await repo.by_username(conn, username)
    ok = await asyncio.to_thread(_verify, user.password_hash if user else DUMMY_HASH, password)
    if not ok or user is None or not user.active:
        async with db.write() as conn:  # committed before refusing, so the limit counts it
            await repo.add_failure(conn, username[:80], client_ip, now)
        raise BAD_LOGIN
    async with db.write() as conn:
        await repo.clear_failures(conn, username)
        await login_guard.succeeded(conn, username, client_ip)
        return await _issue_refresh(conn, settings, user, device_id, None)


async def refresh(db: Database, settings: Settings, token: str, device_id: str) -> Session:
    """Exchange a refresh token for its successor; a replay after the grace revokes the family."""
    token_id, _, secret = token.partition(".")
    now = datetime.now(UTC)
    async with db.write() as conn:
        record = await repo.refresh_by_id(conn, token_id)
        if record is None or not hmac.compare_digest(record.token_hash, _digest(secret)):
            raise BAD_REFRESH
        if (
            record.revoked_at
            or _aware(record.expires_at) < now
            or not record.device_id  # issued before refresh tokens were always bound
            or record.device_id != device_id
        ):
            raise BAD_REFRESH
        if await repo.mark_refresh_used(conn, token_id, now):
            user = await repo.by_id(conn, record.user_id)
            if user is None or not user.active:
                raise BAD_REFRESH
            fixed = _successor(settings, token)
            return await _issue_refresh(conn, settings, user, device_id, record.family, fixed)
        again = await _answer_again(conn, settings, token, now)
        if again is not None:
            return again
        await repo.revoke_family(conn, record.family, now)  # replayed: committed, then refused
    raise BAD_REFRESH


async def _answer_again(
    conn: AsyncConnection, settings: Settings, token: str, now: datetime
) -> Session | None:
    """Inside the grace window, the successor of a just-used token, if it is still unused."""
    record = await repo.refresh_by_id(conn, token.partition(".")[0])  # read after the lost race
    if record is None or record.revoked_at or record.used_at is None:
        return None
    if now - _aware(record.used_at) > REFRESH_GRACE:
        return None
    next_id, next_secret = _successor(settings, token)
    successor = await repo.refresh_by_id(conn, next_id)
    if successor is None or successor.revoked_at or successor.used_at is not None:
        return None
    if not hmac.compare_digest(successor.token_hash, _digest(next_secret)):
        return None
    user = await repo.by_id(conn, record.user_id)
    if user is None or not user.active:
        return None
    left = int((_aware(successor.expires_at) - now).total_seconds())
    return _session(user, f"{next_id}.{next_secret}", left)


async def logout(db: Database, token: str) -> None:
    """Revoke the device's refresh token family; unknown tokens are ignored."""
    token_id, _, secret = token.partition(".")
    async with db.write() as conn:
        record = await repo.refresh_by_id(conn, token_id)
        if record is not None and hmac.compare_digest(record.token_hash, _digest(secret)):
            await repo.revoke_family(conn, record.family, datetime.now(UTC))


async def principal_for(
    db: Database, user_id: int, client_ip: str = "", user_agent: str = "", device_id: str = ""
) -> Principal:
    """The acting principal for a verified access token (role and unit read fresh)."""
    async with db.read() as conn:
        user = await repo.by_id(conn, user_id)
    if user is None or not user.active:
        raise Unauthenticated("token_invalid", "Phiên đăng nhập không hợp lệ", "Invalid session")
    return Principal(
        user.id,
        user.username,
        user.role,
        user.unit_code,
        user.unit_path,
        client_ip,
        user_agent,
        device_id,
    )


async def add_user(db: Database, username: str, role: str, unit_code: str, password: str) -> int:
    """Create a user bound to one unit (CLI and admin use)."""
    if load_roles().get(role) is None:
        raise InvalidInput("role_unknown", f"Vai trò không hợp lệ: {role}", f"Unknown role: {role}")
    password_policy().check(password, username)
    password_hash = await asyncio.to_thread(HASHER.hash, password)
    async with db.write() as conn:
        await load_unit(conn, unit_code)
        if await repo.by_username(conn, username) is not None:
            raise Conflict(
                "user_exists",
                f"Tên đăng nhập {username} đã tồn tại",
                f"Username {username} already exists",
            )
        return await repo.insert(
            conn,
            username=username,
            password_hash=password_hash,
            role=role,
            unit_code=unit_code,
            active=True,
            created_at=datetime.now(UTC),
        )


async def session_for(
    conn: AsyncConnection, settings: Settings, username: str, device_id: str
) -> Session:
    """A new device session for a user whose credentials another path has just checked."""
    user = await repo.by_username(conn, username)
    if user is None or not user.active:
        raise BAD_LOGIN
    return await _issue_refresh(conn, settings, user, device_id, None)
