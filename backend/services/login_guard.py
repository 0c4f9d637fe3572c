"""Login throttling per username and per client address, counted before any password check."""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.config import Settings
from backend.core.errors import RateLimited
from backend.db.database import Database
from backend.db.repositories import login_throttle as repo


def now_in_ms() -> int:
    """The clock the counters use (epoch milliseconds)."""
    return int(datetime.now(UTC).timestamp() * 1000)


def _keys(username: str, client_ip: str) -> tuple[str, str]:
    """Counter keys: a hash of the whole username (any length) and the address."""
    digest = hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()
    return f"u:{digest[:64]}", f"a:{client_ip[:64]}"


def _refused(wait_ms: int) -> RateLimited:
    """429 with the seconds to wait before the next attempt is evaluated."""
    seconds = max(1, math.ceil(wait_ms / 1000))
    return RateLimited(
        "login_rate_limited",
        f"Đăng nhập sai quá nhiều lần, vui lòng thử lại sau {seconds} giây",
        f"Too many failed logins; try again in {seconds} seconds",
        extra={"retry_after": seconds},
    )


async def admit(db: Database, settings: Settings, username: str, client_ip: str) -> None:
    """Reserve one attempt for the address and the username, or refuse before the password."""
    now_ms = now_in_ms()
    window_ms = settings.login_window_seconds * 1000
    user_key, address_key = _keys(username, client_ip)
    limits = (
        (address_key, settings.login_address_max_failures),
        (user_key, settings.login_max_failures),
    )
    async with db.write() as conn:
        for key, free in limits:
            counted = await repo.reserve(
                conn, key, now_ms, window_ms, free, settings.login_delay_ms
            )
            if counted is None:
                wait = await repo.wait_ms(conn, key, now_ms)
                break
        else:
            return
    raise _refused(wait)  # raised after the block: the reservations made so far stay counted


async def succeeded(conn: AsyncConnection, username: str, client_ip: str) -> None:
    """A right password clears the username's counter and gives the address its attempt back."""
    user_key, address_key = _keys(username, client_ip)
    await repo.reset(conn, user_key)
    await repo.give_back(conn, address_key)
