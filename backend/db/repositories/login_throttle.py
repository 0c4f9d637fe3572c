"""Atomic login attempt counters: one conditional UPDATE reserves an attempt or refuses it."""

from __future__ import annotations

from sqlalchemy import BigInteger, case, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.security_tables import login_throttle as t

MAX_SHIFT = 7  # the delay doubles per extra attempt up to 2**7 base delays (about 2 minutes)


async def _ensure_row(conn: AsyncConnection, key: str) -> None:
    """The counter row exists (inserted once, concurrent inserts ignored)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    values = {"key": key, "attempts": 0, "window_start_ms": 0, "blocked_until_ms": 0}
    await conn.execute(dialect.insert(t).values(**values).on_conflict_do_nothing())


async def reserve(
    conn: AsyncConnection, key: str, now_ms: int, window_ms: int, free: int, base_delay_ms: int
) -> int | None:
    """Count one attempt before the password is checked; None when the key must wait.

    The first `free` attempts in a window pass; from then on each attempt waits for the previous
    delay to pass and sets the next one, doubling (base, 2×base, 4×base … 128×base).
    """
    await _ensure_row(conn, key)
    now = literal(now_ms, BigInteger)
    expired = t.c.window_start_ms < literal(now_ms - window_ms, BigInteger)
    attempts = case((expired, literal(1)), else_=t.c.attempts + 1)
    shift = case((attempts - free > MAX_SHIFT, literal(MAX_SHIFT)), else_=attempts - free)
    blocked = case(
        (attempts >= free, now + literal(base_delay_ms, BigInteger).op("<<")(shift)),
        else_=literal(0, BigInteger),
    )
    statement = (
        update(t)
        .where(t.c.key == key)
        .where(expired | (t.c.attempts < free) | (t.c.blocked_until_ms <= now))
        .values(
            attempts=attempts,
            window_start_ms=case((expired, now), else_=t.c.window_start_ms),
            blocked_until_ms=blocked,
        )
        .returning(t.c.attempts)
    )
    row = (await conn.execute(statement)).first()
    return int(row[0]) if row else None


async def wait_ms(conn: AsyncConnection, key: str, now_ms: int) -> int:
    """How long a refused key must still wait."""
    query = select(t.c.blocked_until_ms).where(t.c.key == key)
    until = (await conn.execute(query)).scalar()
    return max(int(until or 0) - now_ms, 0)


async def give_back(conn: AsyncConnection, key: str) -> None:
    """A successful login does not count against its address."""
    statement = update(t).where(t.c.key == key, t.c.attempts > 0).values(attempts=t.c.attempts - 1)
    await conn.execute(statement)


async def reset(conn: AsyncConnection, key: str) -> None:
    """A successful login clears its username's counter."""
    await conn.execute(
        update(t).where(t.c.key == key).values(attempts=0, window_start_ms=0, blocked_until_ms=0)
    )
