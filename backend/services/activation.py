"""One-time activation codes: issued on create/reset, kept hashed, used once to set a password."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.config import Settings
from backend.core.activation_codes import grouped, new_code, normalise, well_formed
from backend.core.errors import InvalidInput, RateLimited
from backend.core.user_records import UserRecord
from backend.db.database import Database
from backend.db.repositories import user_admin as repo
from backend.services import auth
from backend.services.password_policy import password_policy
from backend.services.self_service import record_self

CODE_INVALID = InvalidInput(
    "activation_code_invalid",
    "Mã kích hoạt không đúng. Kiểm tra lại 10 chữ số trên phiếu",
    "The activation code is wrong. Check the 10 digits on the card",
)
CODE_USED = InvalidInput(
    "activation_code_used",
    "Mã kích hoạt này đã được dùng. Hãy đăng nhập, hoặc nhờ cán bộ cấp lại mã",
    "This activation code has been used. Log in, or ask an officer for a new code",
)
CODE_EXPIRED = InvalidInput(
    "activation_code_expired",
    "Mã kích hoạt đã hết hạn. Hãy nhờ cán bộ cấp lại mã",
    "This activation code has expired. Ask an officer for a new code",
)


@dataclass(frozen=True)
class IssuedCode:
    """The digits of a new code (returned once) and when it expires."""

    code: str
    expires_at: datetime


def _key(settings: Settings, purpose: bytes) -> bytes:
    """A key for one purpose derived from the node's secret."""
    return hashlib.sha256(purpose + b"\0" + settings.secret.encode()).digest()


def code_hash(settings: Settings, code: str) -> str:
    """Keyed hash of the digits: a stolen table does not reveal or allow guessing codes offline."""
    key = _key(settings, b"activation-hash")
    return hmac.new(key, normalise(code).encode(), hashlib.sha256).hexdigest()


def seal(settings: Settings, code: str) -> str:
    """Encrypt the digits so the printed sheet can show them until they are used."""
    nonce = os.urandom(12)
    box = AESGCM(_key(settings, b"activation-seal")).encrypt(nonce, code.encode(), None)
    return base64.urlsafe_b64encode(nonce + box).decode()


def unseal(settings: Settings, sealed: str) -> str:
    """The digits of a sealed code."""
    raw = base64.urlsafe_b64decode(sealed.encode())
    return AESGCM(_key(settings, b"activation-seal")).decrypt(raw[:12], raw[12:], None).decode()


def activation_url(base_url: str, code: str) -> str:
    """The PWA's activation screen on this node with the code filled in."""
    return f"{base_url.rstrip('/')}/#/activate/{normalise(code)}"


async def issue_code(
    conn: AsyncConnection, settings: Settings, user_id: int, actor: str
) -> IssuedCode:
    """Withdraw the user's open codes and store a fresh one (inside the caller's transaction)."""
    now = datetime.now(UTC)
    await repo.revoke_codes(conn, user_id, now)
    code = new_code()
    expires = now + timedelta(days=settings.activation_days)
    await repo.insert_code(
        conn,
        user_id=user_id,
        code_hash=code_hash(settings, code),
        sealed=seal(settings, code),
        created_by=actor,
        created_at=now,
        expires_at=expires,
    )
    return IssuedCode(code, expires)


async def _refuse_when_limited(db: Database, settings: Settings, client_ip: str) -> None:
    """Too many wrong codes from one address → wait (guessing codes stays impractical)."""
    since = datetime.now(UTC) - timedelta(seconds=settings.activation_window_seconds)
    async with db.read() as conn:
        failures = await repo.recent_activation_failures(conn, client_ip, since)
    if failures >= settings.activation_max_failures:
        minutes = settings.activation_window_seconds // 60
        raise RateLimited(
            "activation_rate_limited",
            f"Nhập sai mã quá nhiều lần. Hãy thử lại sau {minutes} phút",
            f"Too many wrong codes. Try again in {minutes} minutes",
            extra={"retry_after": settings.activation_window_seconds},
        )


async def _owner(conn: AsyncConnection, settings: Settings, code: str) -> tuple[int, UserRecord]:
    """The code's record id and its active user, or the reason it cannot be used."""
    record = await repo.code_by_hash(conn, code_hash(settings, code)) if well_formed(code) else None
    user = await repo.user_by_id(conn, record.user_id) if record else None
    if record is None or user is None or not user.active or record.revoked_at:
        raise CODE_INVALID
    if record.used_at:
        raise CODE_USED
    if record.expires_at <= datetime.now(UTC):
        raise CODE_EXPIRED
    return record.id, user


async def activate(
    db: Database, settings: Settings, code: str, password: str, device_id: str, client_ip: str
) -> auth.Session:
    """Check the code, set the owner's password, consume the code once, and log them in."""
    await _refuse_when_limited(db, settings, client_ip)
    try:
        async with db.read() as conn:
            _, user = await _owner(conn, settings, code)
    except InvalidInput as refused:
        if refused.code == CODE_INVALID.code:
            async with db.write() as conn:
                await repo.add_activation_failure(conn, client_ip, datetime.now(UTC))
        raise
    password_policy().check(password, user.username)
    password_hash = await asyncio.to_thread(auth.HASHER.hash, password)
    now = datetime.now(UTC)
    async with db.write() as conn:
        code_id, user = await _owner(conn, settings, code)
        if not await repo.use_code(conn, code_id, now):
            raise CODE_USED  # another request consumed it between the two reads
        await repo.update_user(conn, user.id, password_hash=password_hash)
        await record_self(conn, user, "user.activate", client_ip, device_id)
        return await auth.session_for(conn, settings, user.username, device_id)


def display(code: str) -> str:
    """The code as printed (3-3-4 digits)."""
    return grouped(code)
