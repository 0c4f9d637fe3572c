"""Decisions flowing down: issued at a node, pulled by its children with a cursor, relayed on."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Row

from backend.core.access import Principal, require, require_scope
from backend.core.errors import InvalidInput
from backend.core.times import utc
from backend.db.database import Database
from backend.db.repositories import decisions as repo
from backend.db.repositories import nodes as node_repo
from backend.services.decision_effects import apply_pulled, publish
from backend.services.units import load_unit
from shared_schema.sync import Decision, DecisionIn, DecisionPage

PERMISSION_BY_KIND = {
    "recognition": "recognize",
    "target": "target_write",
    "framework_version": "sync_admin",
}
CURSOR_KEY = "decisions.cursor"
PAGE = 500


def _wire(row: Row) -> Decision:  # type: ignore[type-arg]
    """Row → wire form."""
    return Decision(
        row.uid,
        row.kind,
        row.unit_code,
        row.year,
        dict(row.payload),
        row.origin,
        utc(row.issued_at),
        row.id,
    )


def _concerns(decision_path: str | None, scope_path: str) -> bool:
    """A decision concerns a subtree when it is about a unit in it or about one of its ancestors."""
    if decision_path is None:
        return False
    return decision_path.startswith(scope_path) or scope_path.startswith(decision_path)


async def issue(db: Database, actor: Principal, node_unit: str, data: DecisionIn) -> Decision:
    """Record a decision here; children pick it up on their next pull."""
    permission = PERMISSION_BY_KIND.get(data.kind)
    if permission is None:
        raise InvalidInput(
            "decision_kind_unknown",
            f"Loại quyết định không hợp lệ: {data.kind}",
            f"Unknown decision kind: {data.kind}",
        )
    require(actor, permission)
    async with db.write() as conn:
        unit = await load_unit(conn, data.unit)
        require_scope(actor, unit.path)
        uid = await publish(
            conn, data.kind, data.unit, data.year, data.payload, node_unit, actor.username
        )
        row = await repo.by_uid(conn, uid)
    assert row is not None
    return _wire(row)


async def feed(db: Database, child_path: str, since: int) -> DecisionPage:
    """Decisions after the cursor that concern a child's subtree (its units or their ancestors)."""
    async with db.read() as conn:
        rows = await repo.after(conn, since, PAGE)
    cursor = rows[-1].id if rows else since  # only rows read: a later commit is never jumped
    return DecisionPage([_wire(r) for r in rows if _concerns(r.path, child_path)], cursor)


async def store_pulled(db: Database, page: DecisionPage) -> int:
    """Keep what the parent sent (once each, under new local ids) and advance the cursor."""
    now = datetime.now(UTC)
    stored = 0
    async with db.write() as conn:
        for d in page.decisions:
            fresh = await repo.add(
                conn,
                uid=d.uid,
                kind=d.kind,
                unit_code=d.unit,
                year=d.year,
                payload=d.payload,
                origin=d.origin,
                issued_by="",
                issued_at=d.issued_at or now,
                received_at=now,
            )
            if fresh:
                await apply_pulled(conn, d)
            stored += fresh
        await node_repo.set_state(conn, CURSOR_KEY, page.cursor, now)
    return stored


async def cursor(db: Database) -> int:
    """Where the next pull from the parent starts."""
    async with db.read() as conn:
        return int(await node_repo.get_state(conn, CURSOR_KEY) or 0)


async def listing(
    db: Database, actor: Principal, unit: str | None, year: int | None, kind: str | None
) -> list[Decision]:
    """Decisions about the caller's units or their ancestors."""
    require(actor, "read")
    async with db.read() as conn:
        rows = await repo.filtered(conn, unit, year, kind)
    return [_wire(r) for r in rows if _concerns(r.path, actor.unit_path)]
