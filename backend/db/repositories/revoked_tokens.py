"""Access-token ids revoked at logout, kept until the token would have expired anyway."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.security_tables import revoked_tokens as t


async def add(conn: AsyncConnection, jti: str, expires_at: datetime) -> None:
    """Remember one revoked id (revoking twice is harmless)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(t).values(jti=jti, expires_at=expires_at)
    await conn.execute(statement.on_conflict_do_nothing())


async def active(conn: AsyncConnection, now: datetime) -> set[str]:
    """Ids of revoked tokens that have not expired yet."""
    rows = await conn.execute(select(t.c.jti).where(t.c.expires_at > now))
    return {r[0] for r in rows}


async def purge(conn: AsyncConnection, now: datetime) -> None:
    """Forget ids whose tokens have expired."""
    await conn.execute(delete(t).where(t.c.expires_at <= now))
