"""The parent side of sync: enrolling children, keys, and receiving their signed snapshots."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core import sync_errors
from backend.core.access import Principal, require, require_scope
from backend.core.errors import InvalidInput
from backend.core.times import utc
from backend.db.database import Database
from backend.db.repositories import audit
from backend.db.repositories import nodes as repo
from backend.db.repositories import snapshots as snapshot_repo
from backend.db.repositories import units as unit_repo
from backend.services.snapshots import origin_of, rebuild_all
from backend.services.units import UnitRecord, load_unit
from shared_schema.framework import Framework
from shared_schema.sync import (
    ChildNode,
    EnrollRequest,
    EnrollResponse,
    EnrollToken,
)


def _digest(token: str) -> str:
    """Enrollment tokens are stored only as hashes."""
    return hashlib.sha256(token.encode()).hexdigest()


async def _own_unit(conn: AsyncConnection, node_unit: str) -> UnitRecord:
    """This node's unit; a node without one cannot be a parent."""
    if not node_unit:
        raise sync_errors.node_unconfigured()
    return await load_unit(conn, node_unit)


async def child_unit_below(conn: AsyncConnection, node_unit: str, code: str) -> UnitRecord:
    """A unit strictly below this node's unit, or an out-of-subtree refusal."""
    own = await _own_unit(conn, node_unit)
    row = await unit_repo.get(conn, code)
    if row is None or row.code == own.code or not row.path.startswith(own.path):
        raise sync_errors.out_of_subtree(code)
    return await load_unit(conn, code)


async def issue_token(
    db: Database, actor: Principal, node_unit: str, unit: str, valid_hours: int = 72
) -> EnrollToken:
    """A one-time token that lets the node of `unit` enroll here."""
    require(actor, "sync_admin")
    if not 1 <= valid_hours <= 24 * 30:
        raise InvalidInput(
            "sync_token_lifetime",
            "Thời hạn mã từ 1 giờ đến 30 ngày",
            "Token lifetime: 1h to 30 days",
        )
    token = secrets.token_urlsafe(24)
    now = datetime.now(UTC)
    async with db.write() as conn:
        child = await child_unit_below(conn, node_unit, unit)
        require_scope(actor, child.path)
        expires = now + timedelta(hours=valid_hours)
        await repo.add_token(
            conn,
            token_hash=_digest(token),
            unit_code=unit,
            created_by=actor.username,
            created_at=now,
            expires_at=expires,
        )
        await audit.record(conn, actor, "sync.enroll_token", "unit", unit, unit)
    return EnrollToken(token, unit, expires)


async def enroll(
    db: Database, framework: Framework, node_unit: str, request: EnrollRequest
) -> EnrollResponse:
    """Register a child's public key for the unit its token was issued for."""
    now = datetime.now(UTC)
    async with db.write() as conn:
        token = await repo.use_token(conn, _digest(request.token), now)
        if token is None:
            raise sync_errors.token_invalid()
        if token.unit_code != request.unit:
            raise sync_errors.out_of_subtree(request.unit)
        child = await child_unit_below(conn, node_unit, request.unit)
        await repo.enroll(conn, request.unit, request.public_key, request.url[:300], now)
        # The child's subtree is now its to report: folds made here before would outrank it.
        await snapshot_repo.forget_own_below(conn, origin_of(node_unit), child.path)
        await rebuild_all(conn, framework, node_unit)
    return EnrollResponse(node_unit, request.unit, now)


async def child_key(db: Database, unit: str) -> str:
    """The public key of a unit's enrolled node, or an unknown-node refusal."""
    async with db.read() as conn:
        child = await repo.active_child(conn, unit)
    if child is None:
        raise sync_errors.unknown_node(unit)
    return str(child.public_key)


async def check_jti(conn: AsyncConnection, jti: str, issuer: str, exp: int) -> None:
    """Refuse a token id seen before; forget ids whose tokens have expired anyway."""
    now = datetime.now(UTC)
    await repo.forget_jtis(conn, now)
    if not jti or not await repo.remember_jti(conn, jti, issuer, datetime.fromtimestamp(exp, UTC)):
        raise sync_errors.replayed()


async def rotate_key(db: Database, issuer: str, jti: str, exp: int, new_key: str) -> None:
    """Replace a child's key (the request was verified with the old one)."""
    async with db.write() as conn:
        child = await repo.active_child(conn, issuer)
        if child is None:
            raise sync_errors.unknown_node(issuer)
        await check_jti(conn, jti, issuer, exp)
        await repo.set_key(conn, child.id, new_key)


async def check_pull(db: Database, node_unit: str, issuer: str, jti: str, exp: int) -> str:
    """A verified pull: not replayed, from a unit still below us; returns the child's path."""
    async with db.write() as conn:
        await check_jti(conn, jti, issuer, exp)
        return (await child_unit_below(conn, node_unit, issuer)).path


async def revoke(
    db: Database, framework: Framework, actor: Principal, node_unit: str, unit: str
) -> int:
    """Stop trusting a child's node; what it sent stops counting here."""
    require(actor, "sync_admin")
    async with db.write() as conn:
        child = await load_unit(conn, unit)
        require_scope(actor, child.path)
        count = await repo.revoke(conn, unit, datetime.now(UTC))
        await audit.record(conn, actor, "sync.revoke", "unit", unit, unit, revoked=count)
        await rebuild_all(conn, framework, node_unit)
    return count


async def children(db: Database, actor: Principal) -> list[ChildNode]:
    """Every enrolment of a child node, newest first."""
    require(actor, "sync_admin")
    async with db.read() as conn:
        rows = await repo.all_children(conn)
    return [
        ChildNode(
            r.unit_code,
            r.unit_name or "",
            utc(r.enrolled_at),
            utc(r.revoked_at) if r.revoked_at else None,
            utc(r.last_push_at) if r.last_push_at else None,
            r.url,
        )
        for r in rows
    ]
