"""Rebuild this node's snapshots inside the caller's transaction, and queue them for the parent."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.snapshots import UnitFacts, VillageTally, fold_unit, stamp
from backend.db.database import Database
from backend.db.repositories import dossiers as dossier_repo
from backend.db.repositories import nodes as node_repo
from backend.db.repositories import rebuild_queue, recognitions
from backend.db.repositories import snapshots as repo
from backend.db.repositories import units as unit_repo
from backend.db.repositories.tallies import CURRENT
from backend.db.tables import tallies, tally_heads, units
from backend.services.evaluation import evaluate
from backend.services.units import UnitRecord
from shared_schema.framework import Framework
from shared_schema.sync import Snapshot, snapshot_content_hash

LOCAL_ORIGIN = "local"


def origin_of(node_unit: str) -> str:
    """Snapshots built here carry the node's unit as origin."""
    return node_unit or LOCAL_ORIGIN


async def _village_tallies(
    conn: AsyncConnection, parent_code: str, year: int
) -> list[VillageTally]:
    """Current tallies of the villages directly under a unit."""
    query = (
        select(tallies.c.village_code, tallies.c.figures, tallies.c.status, tallies.c.received_at)
        .join(tally_heads, CURRENT)
        .join(units, units.c.code == tallies.c.village_code)
        .where(units.c.parent_code == parent_code, tally_heads.c.year == year)
        .where(units.c.retired.is_(False))
    )
    rows = (await conn.execute(query)).all()
    return [
        VillageTally(
            r.village_code,
            dict(r.figures),
            r.status,
            r.received_at if r.received_at.tzinfo else r.received_at.replace(tzinfo=UTC),
        )
        for r in rows
    ]


async def _villages_per_child(conn: AsyncConnection, unit: Row) -> Counter[str]:  # type: ignore[type-arg]
    """Active villages under each direct child of a unit (for children not heard from)."""
    query = select(units.c.path).where(
        units.c.path.startswith(unit.path, autoescape=True),
        units.c.level == "village",
        units.c.retired.is_(False),
    )
    depth = unit.path.count("/")
    return Counter(p.split("/")[depth] for p in (await conn.execute(query)).scalars())


async def _rebuild_one(
    conn: AsyncConnection,
    framework: Framework,
    origin: str,
    unit: Row,  # type: ignore[type-arg]
    year: int,
    delegated: set[str],
    now: datetime,
) -> Snapshot | None:
    """Fold one unit from its villages and its children's snapshots; keep and queue a change."""
    children = [c for c in await unit_repo.children(conn, unit.code) if not c.retired]
    villages = [c for c in children if c.level == "village"]
    others = [c for c in children if c.level != "village"]
    keys = {c.code: ((c.code if c.code in delegated else origin), c.code, year) for c in others}
    found = await repo.many(conn, keys.values())
    parts = [found[k] for k in keys.values() if k in found]
    absent = [code for code, k in keys.items() if k not in found]
    missing = 0
    if absent:
        per_child = await _villages_per_child(conn, unit)
        missing = sum(per_child[code] for code in absent)
    facts = UnitFacts(
        unit.code, unit.level, unit.parent_code or "", year, len(villages), len(others)
    )
    built = fold_unit(
        framework, facts, await _village_tallies(conn, unit.code, year), parts, missing
    )
    built.evaluation = await _evaluation_summary(conn, framework, unit, year, built.totals)
    built.content_hash = snapshot_content_hash(built)
    stamped = stamp(built, origin, await repo.get(conn, origin, unit.code, year), now)
    if stamped is not None:
        await repo.keep(conn, stamped, "", now)
        await repo.enqueue(conn, stamped, now)
    return stamped


async def _evaluation_summary(
    conn: AsyncConnection,
    framework: Framework,
    unit: Row,
    year: int,
    totals: dict[str, int],  # type: ignore[type-arg]
) -> dict[str, Any]:
    """What the levels above need of a unit's criteria: reached, claimed, recognised, missing."""
    record = UnitRecord(unit.code, unit.name, unit.level, unit.parent_code, unit.path, unit.retired)
    evaluation = await evaluate(conn, framework, record, year, totals, explained=False)
    dossier = await dossier_repo.get(conn, unit.code, year)
    summary: dict[str, Any] = {
        "recognized_level": await recognitions.level_in_force(conn, unit.code, year),
        "claimed_level": dossier.claimed_level if dossier else None,
        "dossier_status": dossier.status if dossier else None,
    }
    if evaluation is not None:
        summary |= {
            "level_reached": evaluation.level_reached,
            "max_level": evaluation.max_level,
            "next_level": evaluation.next_level,
            "missing": [m.code for m in evaluation.missing],
        }
    return summary


async def _serialise(conn: AsyncConnection, top_path: str) -> None:
    """PostgreSQL: rebuilds take turns (lock on the root unit) so none folds data it cannot see."""
    if conn.dialect.name != "postgresql":
        return
    top = top_path.strip("/").split("/")[0]
    await conn.execute(select(units.c.code).where(units.c.code == top).with_for_update())


async def _chain(
    conn: AsyncConnection,
    node_unit: str,
    own: Row | None,
    delegated: set[str],
    start: str,  # type: ignore[type-arg]
) -> list[Row]:  # type: ignore[type-arg]
    """The units from `start` up to the node's own unit that this node folds (not villages)."""
    chain = []
    code: str | None = start
    while code:
        unit = await unit_repo.get(conn, code)
        if unit is None or (own is not None and not unit.path.startswith(own.path)):
            break
        if unit.code in delegated and unit.code != node_unit:
            break  # a child node reports this unit; figures held here for it do not count
        if unit.level != "village":
            chain.append(unit)
        if own is not None and unit.code == own.code:
            break
        code = unit.parent_code
    return chain


async def rebuild_from(
    conn: AsyncConnection, framework: Framework, node_unit: str, starts: list[str], year: int
) -> list[Snapshot]:
    """Rebuild every unit above the starts once, children before parents."""
    now = datetime.now(UTC)
    delegated = await node_repo.active_units(conn)
    own = await unit_repo.get(conn, node_unit) if node_unit else None
    first = await unit_repo.get(conn, starts[0]) if starts else None
    await _serialise(conn, own.path if own else (first.path if first else "/"))
    units_by_code: dict[str, Row] = {}  # type: ignore[type-arg]
    for start in starts:
        for unit in await _chain(conn, node_unit, own, delegated, start):
            units_by_code[unit.code] = unit
    ordered = sorted(units_by_code.values(), key=lambda u: u.path.count("/"), reverse=True)
    changed: list[Snapshot] = []
    for unit in ordered:
        snap = await _rebuild_one(conn, framework, origin_of(node_unit), unit, year, delegated, now)
        changed += [snap] if snap else []
    return changed


async def rebuild_chain(
    conn: AsyncConnection, framework: Framework, node_unit: str, start: str, year: int
) -> list[Snapshot]:
    """Rebuild from `start` up to the node's own unit (stopping at units run by a child node)."""
    return await rebuild_from(conn, framework, node_unit, [start], year)


async def mark_changed(conn: AsyncConnection, unit_code: str, year: int) -> None:
    """Record, in the change's own transaction, that the snapshots above a unit are stale."""
    await rebuild_queue.mark(conn, unit_code, year)


async def rebuild_pending(
    db: Database, framework: Framework, node_unit: str, limit: int = 2000
) -> int:
    """Fold the queued changes (many tallies, one rebuild per unit); how many marks were taken."""
    async with db.write() as conn:
        marks = await rebuild_queue.claim(conn, limit)
        by_year: dict[int, list[str]] = {}
        for unit_code, year in marks:
            by_year.setdefault(year, []).append(unit_code)
        for year, starts in sorted(by_year.items()):
            await rebuild_from(conn, framework, node_unit, sorted(starts), year)
    return len(marks)


async def rebuild_all(conn: AsyncConnection, framework: Framework, node_unit: str) -> int:
    """Rebuild every unit this node hosts for every year it has data (after the tree changed)."""
    now = datetime.now(UTC)
    delegated = await node_repo.active_units(conn)
    own = await unit_repo.get(conn, node_unit) if node_unit else None
    await _serialise(conn, own.path if own else "/")
    hosted = [
        u
        for u in await unit_repo.in_subtree(conn, own.path if own else "/")
        if u.level != "village" and not any(f"/{d}/" in u.path for d in delegated if d != node_unit)
    ]
    hosted.sort(key=lambda u: u.path.count("/"), reverse=True)  # children before parents
    count = 0
    for year in sorted(await repo.years(conn)):
        for unit in hosted:
            snap = await _rebuild_one(
                conn, framework, origin_of(node_unit), unit, year, delegated, now
            )
            count += snap is not None
    return count
