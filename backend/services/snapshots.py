"""Rebuild this node's snapshots inside the caller's transaction, and queue them for the parent."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.snapshots import UnitFacts, VillageTally, fold_unit, stamp
from backend.core.unit_rollup import evaluation_summary, run_below
from backend.db.repositories import dossiers as dossier_repo
from backend.db.repositories import nodes as node_repo
from backend.db.repositories import rebuild_queue, recognitions
from backend.db.repositories import snapshots as repo
from backend.db.repositories import units as unit_repo
from backend.db.repositories.tallies import CURRENT
from backend.db.tables import tallies, tally_heads, units
from backend.services.evaluation import evaluate
from backend.services.mergers import predecessor_history
from backend.services.standards import standard_totals
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


async def build_unit(
    conn: AsyncConnection,
    framework: Framework,
    unit: Row[Any],
    year: int,
    origin: str,
    delegated: set[str],
) -> Snapshot:
    """The unit's roll-up now: its villages' tallies and its children's snapshots, folded."""
    children = [c for c in await unit_repo.children(conn, unit.code) if not c.retired]
    villages = [c for c in children if c.level == "village"]
    others = [c for c in children if c.level != "village"]
    keys = {c.code: ((c.code if c.code in delegated else origin), c.code, year) for c in others}
    found = await repo.many(conn, keys.values())
    parts = [found[k] for k in keys.values() if k in found]
    absent = [code for code, k in keys.items() if k not in found]
    olds, moved = await predecessor_history(conn, unit.code, year, origin)  # a merged unit's past
    parts += olds
    missing = 0
    if absent:
        per_child = await _villages_per_child(conn, unit)
        missing = sum(per_child[code] for code in absent)
    facts = UnitFacts(
        unit.code, unit.level, unit.parent_code or "", year, len(villages), len(others)
    )
    own = None
    if unit.level == framework.standards.counted_level:  # a commune's own standard levels
        own = await standard_totals(conn, framework, unit.path, year)
    village_tallies = [  # villages moved in from old units count through those, not again
        t for t in await _village_tallies(conn, unit.code, year) if t.code not in moved
    ]
    built = fold_unit(framework, facts, village_tallies, parts, missing, own)
    built.evaluation = await _evaluation_summary(conn, framework, unit, year, built.totals)
    built.content_hash = snapshot_content_hash(built)
    return built


async def _rebuild_one(
    conn: AsyncConnection,
    framework: Framework,
    origin: str,
    unit: Row[Any],
    year: int,
    delegated: set[str],
    now: datetime,
    queue_up: bool = True,
) -> Snapshot | None:
    """Fold one unit; keep it when it changed and queue it for the parent (none at the root)."""
    built = await build_unit(conn, framework, unit, year, origin, delegated)
    stamped = stamp(built, origin, await repo.get(conn, origin, unit.code, year), now)
    if stamped is not None:
        await repo.keep(conn, stamped, "", now)
        if queue_up:
            await repo.enqueue(conn, stamped, now)
    return stamped


async def _evaluation_summary(
    conn: AsyncConnection,
    framework: Framework,
    unit: Row[Any],
    year: int,
    totals: dict[str, int],
) -> dict[str, Any]:
    """What the levels above need of a unit's criteria: reached, claimed, recognised, missing."""
    record = UnitRecord(unit.code, unit.name, unit.level, unit.parent_code, unit.path, unit.retired)
    evaluation = await evaluate(conn, framework, record, year, totals, explained=False)
    dossier = await dossier_repo.get(conn, unit.code, year)
    summary: dict[str, Any] = {
        "recognized_level": await recognitions.level_in_force(
            conn, unit.code, year, framework.recognition_valid_years
        ),
        "claimed_level": dossier.claimed_level if dossier else None,
        "dossier_status": dossier.status if dossier else None,
    }
    return summary | evaluation_summary(evaluation)


async def queues_up(conn: AsyncConnection, node_unit: str) -> bool:
    """Only a node whose unit has a parent keeps outbox rows: the root has nobody to push to."""
    own = await unit_repo.get(conn, node_unit) if node_unit else None
    return own is not None and bool(own.parent_code)


async def _serialise(conn: AsyncConnection, top_path: str) -> None:
    """PostgreSQL: rebuilds take turns (lock on the root unit) so none folds data it cannot see."""
    if conn.dialect.name != "postgresql":
        return
    top = top_path.strip("/").split("/")[0]
    await conn.execute(select(units.c.code).where(units.c.code == top).with_for_update())


async def _chain(
    conn: AsyncConnection,
    node_unit: str,
    own: Row[Any] | None,
    delegated: set[str],
    start: str,
    known: dict[str, Row[Any] | None],
) -> list[Row[Any]]:
    """The units from `start` up to the node's own unit that this node folds (not villages);
    `known` holds the units already read, as the chains of sibling villages share their top."""
    chain = []
    code: str | None = start
    while code:
        if code not in known:
            known[code] = await unit_repo.get(conn, code)
        unit = known[code]
        if unit is None or (own is not None and not unit.path.startswith(own.path)):
            break
        run_by_child = run_below(unit.path, node_unit, delegated)
        if unit.level != "village" and not run_by_child:  # a child node reports those
            chain.append(unit)
        if own is not None and unit.code == own.code:
            break
        code = unit.parent_code
    return chain


async def rebuild_from(
    conn: AsyncConnection, framework: Framework, node_unit: str, starts: list[str], year: int
) -> list[Snapshot]:
    """Rebuild every unit above the starts once, children before parents."""
    ordered = await units_to_rebuild(conn, node_unit, starts)
    changed: list[Snapshot] = []
    for unit in ordered:
        snap = await rebuild_unit(conn, framework, node_unit, unit.code, year)
        changed += [snap] if snap else []
    return changed


@dataclass(frozen=True)
class FoldScope:
    """What every unit of one fold shares: the node's own unit and the units run by child nodes,
    read with the plan so that the fold folds what the plan chose."""

    own: Row[Any] | None
    delegated: set[str]


async def fold_scope(conn: AsyncConnection, node_unit: str) -> FoldScope:
    """The node's own unit and the units its child nodes run, as of now."""
    own = await unit_repo.get(conn, node_unit) if node_unit else None
    return FoldScope(own, await node_repo.active_units(conn))


async def units_to_rebuild(
    conn: AsyncConnection,
    node_unit: str,
    starts: list[str],
    known: dict[str, Row[Any] | None] | None = None,
    scope: FoldScope | None = None,
) -> list[Row]:  # type: ignore[type-arg]
    """The units above the starts that this node folds, each once, children before parents
    (`known`: units already read in the same transaction, shared between calls)."""
    scope = scope or await fold_scope(conn, node_unit)
    own, delegated = scope.own, scope.delegated
    known = {} if known is None else known
    units_by_code: dict[str, Row] = {}  # type: ignore[type-arg]
    for start in starts:
        for unit in await _chain(conn, node_unit, own, delegated, start, known):
            units_by_code[unit.code] = unit
    return sorted(units_by_code.values(), key=lambda u: u.path.count("/"), reverse=True)


async def rebuild_unit(
    conn: AsyncConnection,
    framework: Framework,
    node_unit: str,
    code: str,
    year: int,
    scope: FoldScope | None = None,
) -> Snapshot | None:
    """Refold one unit for a year inside the caller's transaction (its own, for the rebuilder;
    which passes the scope its plan was made with)."""
    scope = scope or await fold_scope(conn, node_unit)
    own, delegated = scope.own, scope.delegated
    unit = await unit_repo.get(conn, code)
    if unit is None:
        return None
    await _serialise(conn, own.path if own else unit.path)
    now = datetime.now(UTC)
    queue_up = own is not None and bool(own.parent_code)
    origin = origin_of(node_unit)
    return await _rebuild_one(conn, framework, origin, unit, year, delegated, now, queue_up)


async def rebuild_chain(
    conn: AsyncConnection, framework: Framework, node_unit: str, start: str, year: int
) -> list[Snapshot]:
    """Rebuild from `start` up to the node's own unit (stopping at units run by a child node)."""
    return await rebuild_from(conn, framework, node_unit, [start], year)


async def mark_changed(conn: AsyncConnection, unit_code: str, year: int) -> None:
    """Record, in the change's own transaction, that the snapshots above a unit are stale."""
    await rebuild_queue.mark(conn, unit_code, year)


async def rebuild_all(conn: AsyncConnection, framework: Framework, node_unit: str) -> int:
    """Rebuild every unit this node hosts for every year it has data (after the tree changed)."""
    now = datetime.now(UTC)
    delegated = await node_repo.active_units(conn)
    own = await unit_repo.get(conn, node_unit) if node_unit else None
    await _serialise(conn, own.path if own else "/")
    hosted = [
        u
        for u in await unit_repo.in_subtree(conn, own.path if own else "/")
        if u.level != "village" and not run_below(u.path, node_unit, delegated)
    ]
    hosted.sort(key=lambda u: u.path.count("/"), reverse=True)  # children before parents
    count = 0
    queue_up = own is not None and bool(own.parent_code)
    for year in sorted(await repo.years(conn)):
        for unit in hosted:
            snap = await _rebuild_one(
                conn, framework, origin_of(node_unit), unit, year, delegated, now, queue_up
            )
            count += snap is not None
    return count
