"""Enrolled child nodes, one-time enrollment tokens, seen token ids and node-wide state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.db.repositories.snapshots import upsert
from backend.db.tables import child_nodes, enrollment_tokens, node_state, seen_jtis, units


async def active_child(conn: AsyncConnection, unit: str) -> Row | None:  # type: ignore[type-arg]
    """The enrolled, unrevoked child node of a unit, if any."""
    query = select(child_nodes).where(
        child_nodes.c.unit_code == unit, child_nodes.c.revoked_at.is_(None)
    )
    return (await conn.execute(query.order_by(child_nodes.c.id.desc()))).first()


async def active_units(conn: AsyncConnection) -> set[str]:
    """Units that run a node of their own below this one."""
    query = select(child_nodes.c.unit_code).where(child_nodes.c.revoked_at.is_(None))
    return set((await conn.execute(query)).scalars())


async def all_children(conn: AsyncConnection) -> Sequence[Row]:  # type: ignore[type-arg]
    """Every enrolment, newest first, with the unit's name."""
    query = (
        select(child_nodes, units.c.name.label("unit_name"))
        .join(units, units.c.code == child_nodes.c.unit_code, isouter=True)
        .order_by(child_nodes.c.id.desc())
    )
    return (await conn.execute(query)).all()


async def enroll(conn: AsyncConnection, unit: str, public_key: str, url: str, at: datetime) -> None:
    """Register a child's key, revoking any earlier key of the same unit."""
    await revoke(conn, unit, at)
    await conn.execute(
        child_nodes.insert().values(unit_code=unit, public_key=public_key, url=url, enrolled_at=at)
    )


async def revoke(conn: AsyncConnection, unit: str, at: datetime) -> int:
    """Stop trusting a unit's node; returns how many enrolments were revoked."""
    result = await conn.execute(
        update(child_nodes)
        .where(child_nodes.c.unit_code == unit, child_nodes.c.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    return int(result.rowcount or 0)


async def set_key(conn: AsyncConnection, child_id: int, public_key: str) -> None:
    """Replace a child's public key (rotation)."""
    await conn.execute(
        update(child_nodes).where(child_nodes.c.id == child_id).values(public_key=public_key)
    )


async def touch(conn: AsyncConnection, child_id: int, at: datetime) -> None:
    """Remember the child's last accepted push."""
    await conn.execute(
        update(child_nodes).where(child_nodes.c.id == child_id).values(last_push_at=at)
    )


async def add_token(conn: AsyncConnection, **values: Any) -> None:
    """Store a token's hash."""
    await conn.execute(enrollment_tokens.insert().values(**values))


async def use_token(conn: AsyncConnection, token_hash: str, at: datetime) -> Row | None:  # type: ignore[type-arg]
    """Consume a valid token once; None when unknown, used or expired."""
    row = (
        await conn.execute(
            select(enrollment_tokens).where(enrollment_tokens.c.token_hash == token_hash)
        )
    ).first()
    if row is None or row.used_at is not None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=at.tzinfo)
    if expires < at:
        return None
    result = await conn.execute(
        update(enrollment_tokens)
        .where(enrollment_tokens.c.token_hash == token_hash, enrollment_tokens.c.used_at.is_(None))
        .values(used_at=at)
    )
    return row if result.rowcount else None


async def remember_jti(conn: AsyncConnection, jti: str, issuer: str, expires: datetime) -> bool:
    """Record a token id; False when it was seen before (a replay)."""
    statement = upsert(conn, seen_jtis).values(jti=jti[:80], issuer=issuer, expires_at=expires)
    result = await conn.execute(statement.on_conflict_do_nothing())
    return bool(result.rowcount)


async def forget_jtis(conn: AsyncConnection, now: datetime) -> None:
    """Token ids past their expiry can no longer be replayed (expiry refuses them)."""
    await conn.execute(delete(seen_jtis).where(seen_jtis.c.expires_at < now))


async def get_state(conn: AsyncConnection, key: str) -> Any:
    """A node-wide value, or None."""
    query = select(node_state.c.value).where(node_state.c.key == key)
    return (await conn.execute(query)).scalar_one_or_none()


async def set_state(conn: AsyncConnection, key: str, value: Any, at: datetime) -> None:
    """Store a node-wide value."""
    statement = upsert(conn, node_state).values(key=key, value=value, updated_at=at)
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=["key"],
            set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
        )
    )
