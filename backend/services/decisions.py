"""Decisions flowing down: issued at a node, pulled by its children with a cursor, relayed on."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal, require
from backend.core.times import utc
from backend.db.database import Database
from backend.db.repositories import decision_quarantine as quarantine
from backend.db.repositories import decisions as repo
from backend.db.repositories import nodes as node_repo
from backend.db.repositories import units as unit_repo
from backend.services.decision_effects import PoisonDecision, store_and_apply
from shared_schema.framework import Framework
from shared_schema.sync import Decision, DecisionPage

log = logging.getLogger("xhht.decisions")
CURSOR_KEY = "decisions.cursor"
PAGE = 500


def wire(row: Row) -> Decision:  # type: ignore[type-arg]
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
        row.issued_by,
    )


def _concerns(decision_path: str | None, scope_path: str) -> bool:
    """A decision concerns a subtree when it is about a unit in it or about one of its ancestors."""
    if decision_path is None:
        return False
    return decision_path.startswith(scope_path) or scope_path.startswith(decision_path)


async def _paths(conn: AsyncConnection, row: Row) -> list[str | None]:  # type: ignore[type-arg]
    """Where a decision applies: its unit, and for a move also where the unit sat before."""
    if row.kind != "unit_move" or not row.payload.get("previous_parent"):
        return [row.path]
    before = await unit_repo.get(conn, str(row.payload["previous_parent"]))
    return [row.path, f"{before.path}{row.unit_code}/" if before is not None else None]


async def feed(db: Database, child_path: str, since: int) -> DecisionPage:
    """Decisions after the cursor that concern a child's subtree (its units or their ancestors)."""
    async with db.read() as conn:
        rows = await repo.after(conn, since, PAGE)
        chosen = [r for r in rows if any(_concerns(p, child_path) for p in await _paths(conn, r))]
    cursor = rows[-1].id if rows else since  # only rows read: a later commit is never jumped
    return DecisionPage([wire(r) for r in chosen], cursor)


async def store_pulled(
    db: Database, page: DecisionPage, framework: Framework | None = None, node_unit: str = ""
) -> int:
    """Keep and apply what the parent sent (once each); quarantine what cannot apply; move on."""
    while True:
        try:
            return await _store_page(db, page, framework, node_unit)
        except PoisonDecision as poison:  # the page is retried without it
            log.warning("decision %s quarantined: %s", poison.decision.uid, poison.reason)
            async with db.write() as conn:
                await quarantine.put(conn, poison.decision, poison.reason, datetime.now(UTC))


async def _store_page(
    db: Database, page: DecisionPage, framework: Framework | None, node_unit: str
) -> int:
    """One transaction for the page: new decisions stored and applied, then the cursor."""
    now = datetime.now(UTC)
    stored = 0
    async with db.write() as conn:
        for decision in page.decisions:
            if await repo.by_uid(conn, decision.uid) is not None:
                continue
            if await quarantine.get(conn, decision.uid) is not None:
                continue  # the operator retries or drops it
            await store_and_apply(conn, decision, framework, node_unit, now)
            stored += 1
        await node_repo.set_state(conn, CURSOR_KEY, page.cursor, now)
    return stored


async def restart_feed(conn: AsyncConnection) -> None:
    """Pull from the start again (a new parent); decisions already here are skipped by uid."""
    await node_repo.set_state(conn, CURSOR_KEY, 0, datetime.now(UTC))


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
    return [wire(r) for r in rows if _concerns(r.path, actor.unit_path)]
