"""Users as officials manage them: lists in a subtree, edits, activation codes and history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Row, Select, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.user_records import ActivationRecord, HistoryEntry, UserRecord
from backend.db.tables import (
    activation_codes,
    activation_failures,
    audit_log,
    refresh_tokens,
    units,
    users,
)

UNUSABLE_HASH = "!"  # no argon2 hash looks like this, so no password matches it


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything here is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _user(row: Row) -> UserRecord:  # type: ignore[type-arg]
    """Row → record."""
    return UserRecord(
        row.id,
        row.username,
        row.full_name or "",
        row.phone,
        row.role,
        row.unit_code,
        row.unit_name,
        row.unit_level,
        row.unit_path,
        bool(row.active),
        row.password_hash != UNUSABLE_HASH,
    )


def _activation(row: Row) -> ActivationRecord:  # type: ignore[type-arg]
    """Row → record, with aware timestamps."""
    return ActivationRecord(
        row.id,
        row.user_id,
        row.sealed,
        _aware(row.created_at),
        _aware(row.expires_at),
        row.used_at and _aware(row.used_at),
        row.revoked_at and _aware(row.revoked_at),
    )


def _joined() -> Select:  # type: ignore[type-arg]
    """Users with their unit's name, level and path."""
    return select(
        users,
        units.c.name.label("unit_name"),
        units.c.level.label("unit_level"),
        units.c.path.label("unit_path"),
    ).join(units, units.c.code == users.c.unit_code)


async def user_by_name(conn: AsyncConnection, username: str) -> UserRecord | None:
    """One user by username."""
    row = (await conn.execute(_joined().where(users.c.username == username))).first()
    return _user(row) if row else None


async def user_by_id(conn: AsyncConnection, user_id: int) -> UserRecord | None:
    """One user by id."""
    row = (await conn.execute(_joined().where(users.c.id == user_id))).first()
    return _user(row) if row else None


async def users_in_subtree(conn: AsyncConnection, path: str) -> list[UserRecord]:
    """Every user bound to a unit under this path, ordered by unit then username."""
    query = _joined().where(units.c.path.startswith(path, autoescape=True))
    rows = await conn.execute(query.order_by(units.c.path, users.c.username))
    return [_user(r) for r in rows]


async def usernames_like(conn: AsyncConnection, stem: str) -> set[str]:
    """Usernames that start with a stem (to pick a free one)."""
    query = select(users.c.username).where(users.c.username.startswith(stem, autoescape=True))
    return {r.username for r in await conn.execute(query)}


async def active_heads(conn: AsyncConnection, unit_codes: Sequence[str]) -> set[str]:
    """Villages among these that already have an active village head."""
    query = select(users.c.unit_code).where(
        users.c.unit_code.in_(list(unit_codes)),
        users.c.role == "village_head",
        users.c.active.is_(True),
    )
    return {r.unit_code for r in await conn.execute(query)}


async def insert_user(conn: AsyncConnection, **values: object) -> int:
    """Add a user, returning its id."""
    result = await conn.execute(users.insert().values(**values).returning(users.c.id))
    return int(result.scalar_one())


async def update_user(conn: AsyncConnection, user_id: int, **values: object) -> None:
    """Change some of a user's fields."""
    await conn.execute(update(users).where(users.c.id == user_id).values(**values))


async def revoke_sessions(
    conn: AsyncConnection, user_id: int, at: datetime, keep_device: str = ""
) -> None:
    """Revoke the user's refresh tokens (all, or all but one device's)."""
    condition = and_(refresh_tokens.c.user_id == user_id, refresh_tokens.c.revoked_at.is_(None))
    if keep_device:
        condition = and_(condition, refresh_tokens.c.device_id != keep_device)
    await conn.execute(update(refresh_tokens).where(condition).values(revoked_at=at))


async def insert_code(conn: AsyncConnection, **values: object) -> None:
    """Store a new activation code."""
    await conn.execute(activation_codes.insert().values(**values))


async def revoke_codes(conn: AsyncConnection, user_id: int, at: datetime) -> None:
    """Withdraw every unused code of a user (a reset or deactivation replaces them)."""
    await conn.execute(
        update(activation_codes)
        .where(
            activation_codes.c.user_id == user_id,
            activation_codes.c.used_at.is_(None),
            activation_codes.c.revoked_at.is_(None),
        )
        .values(revoked_at=at, sealed=None)
    )


async def code_by_hash(conn: AsyncConnection, code_hash: str) -> ActivationRecord | None:
    """The code with this keyed hash."""
    query = select(activation_codes).where(activation_codes.c.code_hash == code_hash)
    row = (await conn.execute(query)).first()
    return _activation(row) if row else None


async def use_code(conn: AsyncConnection, code_id: int, at: datetime) -> bool:
    """Consume a code once; False when it was used or withdrawn meanwhile."""
    result = await conn.execute(
        update(activation_codes)
        .where(
            activation_codes.c.id == code_id,
            activation_codes.c.used_at.is_(None),
            activation_codes.c.revoked_at.is_(None),
        )
        .values(used_at=at, sealed=None)
    )
    return bool(result.rowcount)


async def pending_codes(
    conn: AsyncConnection, user_ids: Sequence[int]
) -> dict[int, ActivationRecord]:
    """The open (unused, not withdrawn) code of each of these users, the newest one."""
    query = (
        select(activation_codes)
        .where(
            activation_codes.c.user_id.in_(list(user_ids)),
            activation_codes.c.used_at.is_(None),
            activation_codes.c.revoked_at.is_(None),
        )
        .order_by(activation_codes.c.created_at)
    )
    return {r.user_id: _activation(r) for r in await conn.execute(query)}


async def recent_activation_failures(conn: AsyncConnection, client_ip: str, since: datetime) -> int:
    """Wrong codes tried from this address inside the window."""
    query = (
        select(func.count())
        .select_from(activation_failures)
        .where(
            activation_failures.c.client_ip == client_ip, activation_failures.c.failed_at >= since
        )
    )
    return int((await conn.execute(query)).scalar_one())


async def add_activation_failure(conn: AsyncConnection, client_ip: str, at: datetime) -> None:
    """Remember one wrong code."""
    await conn.execute(activation_failures.insert().values(client_ip=client_ip[:64], failed_at=at))


async def history(conn: AsyncConnection, username: str) -> list[HistoryEntry]:
    """Audit rows about one user, oldest first."""
    query = (
        select(audit_log)
        .where(audit_log.c.entity == "user", audit_log.c.entity_id == username)
        .order_by(audit_log.c.id)
    )
    return [
        HistoryEntry(_aware(r.at), r.actor, r.action, dict(r.detail or {}))
        for r in await conn.execute(query)
    ]
