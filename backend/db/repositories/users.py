"""Users, their device refresh tokens and failed logins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.tables import login_failures, refresh_tokens, units, users


def _with_unit() -> Select:  # type: ignore[type-arg]
    """Users joined with their unit's path, name and level."""
    return select(
        users,
        units.c.path.label("unit_path"),
        units.c.name.label("unit_name"),
        units.c.level.label("unit_level"),
    ).join(units, units.c.code == users.c.unit_code)


async def by_username(conn: AsyncConnection, username: str) -> Row | None:  # type: ignore[type-arg]
    """A user with their unit's path, name and level."""
    return (await conn.execute(_with_unit().where(users.c.username == username))).first()


async def by_id(conn: AsyncConnection, user_id: int) -> Row | None:  # type: ignore[type-arg]
    """A user by id, with unit facts."""
    return (await conn.execute(_with_unit().where(users.c.id == user_id))).first()


async def insert(conn: AsyncConnection, **values: object) -> int:
    """Add a user, returning its id."""
    result = await conn.execute(users.insert().values(**values).returning(users.c.id))
    return int(result.scalar_one())


async def set_password(conn: AsyncConnection, user_id: int, password_hash: str) -> None:
    """Replace a user's password hash."""
    await conn.execute(
        update(users).where(users.c.id == user_id).values(password_hash=password_hash)
    )


async def recent_failures(conn: AsyncConnection, username: str, since: datetime) -> int:
    """Failed logins for a username inside the window."""
    query = (
        select(func.count())
        .select_from(login_failures)
        .where(login_failures.c.username == username, login_failures.c.failed_at >= since)
    )
    return int((await conn.execute(query)).scalar_one())


async def add_failure(conn: AsyncConnection, username: str, client_ip: str, at: datetime) -> None:
    """Remember one failed login."""
    await conn.execute(
        login_failures.insert().values(username=username, client_ip=client_ip[:64], failed_at=at)
    )


async def clear_failures(conn: AsyncConnection, username: str) -> None:
    """Forget failures after a successful login."""
    await conn.execute(delete(login_failures).where(login_failures.c.username == username))


async def insert_refresh(conn: AsyncConnection, **values: object) -> None:
    """Store a refresh token's hash."""
    await conn.execute(refresh_tokens.insert().values(**values))


async def refresh_by_id(conn: AsyncConnection, token_id: str) -> Row | None:  # type: ignore[type-arg]
    """A refresh token record."""
    query = select(refresh_tokens).where(refresh_tokens.c.id == token_id)
    return (await conn.execute(query)).first()


async def mark_refresh_used(conn: AsyncConnection, token_id: str, at: datetime) -> bool:
    """Consume a token once; False when someone else consumed it first."""
    result = await conn.execute(
        update(refresh_tokens)
        .where(
            refresh_tokens.c.id == token_id,
            refresh_tokens.c.used_at.is_(None),
            refresh_tokens.c.revoked_at.is_(None),
        )
        .values(used_at=at)
    )
    return bool(result.rowcount)


async def revoke_family(conn: AsyncConnection, family: str, at: datetime) -> None:
    """Revoke every token descended from one login (logout, or a replayed token)."""
    await conn.execute(
        update(refresh_tokens)
        .where(refresh_tokens.c.family == family, refresh_tokens.c.revoked_at.is_(None))
        .values(revoked_at=at)
    )
