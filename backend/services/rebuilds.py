"""The rebuilder's work: queued changes folded one unit per transaction, failures quarantined."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from backend.core.quarantine import (
    REBUILD_QUARANTINE_AFTER,
    QueueCounts,
    RebuildItem,
    rebuild_retry_delay,
)
from backend.db.database import Database
from backend.db.repositories import rebuild_queue
from backend.db.repositories.rebuild_queue import Mark
from backend.services.snapshots import FoldScope, fold_scope, rebuild_unit, units_to_rebuild
from shared_schema.framework import Framework

log = logging.getLogger("xhht.rebuilder")


async def _plan(
    db: Database, node_unit: str, marks: list[Mark], now: datetime
) -> tuple[list[tuple[int, str]], FoldScope]:
    """(year, unit) to refold, children before parents, leaving out unit-years that wait; and
    the scope the plan was made with."""
    by_year: dict[int, list[str]] = {}
    for m in marks:
        by_year.setdefault(m.year, []).append(m.unit_code)
    plan: list[tuple[int, str]] = []
    known: dict[str, Any] = {}  # the same units sit above every year's starts
    async with db.read() as conn:
        waiting = await rebuild_queue.blocked(conn, now)
        scope = await fold_scope(conn, node_unit)
        for year, starts in sorted(by_year.items()):
            for unit in await units_to_rebuild(conn, node_unit, sorted(starts), known, scope):
                if (unit.code, year) not in waiting:
                    plan.append((year, unit.code))
    return plan, scope


async def _failed(db: Database, unit: str, year: int, exc: Exception) -> None:
    """Count the failure on the unit's own mark: retry later, or quarantine it."""
    error = f"{type(exc).__name__}: {exc}"
    now = datetime.now(UTC)
    async with db.write() as conn:
        attempts = await rebuild_queue.failed(conn, unit, year, error, now)
        quarantine = attempts >= REBUILD_QUARANTINE_AFTER
        retry_at = None if quarantine else now + rebuild_retry_delay(attempts)
        await rebuild_queue.schedule(conn, unit, year, retry_at, quarantine)
    if attempts == 1:
        log.exception("rebuild of %s/%d failed; retried with backoff", unit, year)
    elif quarantine:
        log.error("rebuild of %s/%d quarantined after %d failures: %s", unit, year, attempts, error)
    else:
        log.warning("rebuild of %s/%d failed again (%d): %s", unit, year, attempts, error)


async def rebuild_pending(
    db: Database,
    framework: Framework,
    node_unit: str,
    limit: int = 2000,
    now: datetime | None = None,
) -> int:
    """Fold the queued changes, one unit per transaction; how many marks were taken."""
    now = now or datetime.now(UTC)
    async with db.read() as conn:
        marks = await rebuild_queue.due(conn, now, limit)
    if not marks:
        return 0
    plan, scope = await _plan(db, node_unit, marks, now)
    for year, unit in plan:
        try:
            async with db.write() as conn:
                await rebuild_unit(conn, framework, node_unit, unit, year, scope)
        except Exception as exc:  # one unit's failure must not stall the others
            await _failed(db, unit, year, exc)
    async with db.write() as conn:
        await rebuild_queue.settle(conn, marks)
    return len(marks)


async def failures(db: Database) -> list[RebuildItem]:
    """Unit-years whose rebuild failed (retrying or quarantined)."""
    async with db.read() as conn:
        return await rebuild_queue.failures(conn)


async def retry(db: Database, unit: str | None = None, year: int | None = None) -> int:
    """Release quarantined rebuilds (all, or one unit's) for another try."""
    async with db.write() as conn:
        return await rebuild_queue.release(conn, unit, year)


async def counts(db: Database) -> QueueCounts:
    """Rebuild marks waiting, and those in quarantine."""
    async with db.read() as conn:
        return await rebuild_queue.counts(conn)
