"""The one roll-up every view of a unit reads: stored tallies, hosted units, children's snapshots.

A unit's roll-up at a node is the snapshot that node folds for it (or, for a unit a child node
runs, that child's accepted snapshot): the rebuilder keeps them, so tables read them as kept. A
single unit run here is folded on the spot with the same function, so a write shows at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.criteria_eval import evaluate_unit
from backend.core.criteria_results import EvaluationInputs, UnitEvaluation
from backend.core.snapshots import UnitFacts, VillageTally, fold_unit
from backend.core.times import utc
from backend.core.unit_rollup import KeptSnapshot, UnitRollup, empty, from_snapshot, pick, run_below
from backend.db.repositories import nodes as node_repo
from backend.db.repositories import recognitions
from backend.db.repositories import snapshots as snapshot_repo
from backend.db.repositories import tallies as tally_repo
from backend.db.repositories import units as unit_repo
from backend.services.snapshots import build_unit, origin_of
from backend.services.units import UnitRecord
from shared_schema.framework import Framework


def _common_path(paths: Sequence[str]) -> str:
    """The deepest path above all of these ('/62/610/' for two communes of 610)."""
    split = [p.strip("/").split("/") for p in paths]
    common: list[str] = []
    for segments in zip(*split, strict=False):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    return f"/{'/'.join(common)}/" if common else "/"


async def _village_counts(conn: AsyncConnection, units: Sequence[UnitRecord]) -> Counter[str]:
    """Active villages under each of the units (every ancestor of a village counts it)."""
    counts: Counter[str] = Counter()
    for path in await unit_repo.village_paths(conn, _common_path([u.path for u in units])):
        counts.update(path.strip("/").split("/")[:-1])
    return counts


def _chosen(
    kept: Sequence[KeptSnapshot], unit: UnitRecord, node_unit: str, delegated: set[str]
) -> KeptSnapshot | None:
    """The kept snapshot of a unit that counts here (the one its parent's fold reads)."""
    below = run_below(unit.path, node_unit, delegated)
    snapshot = pick([k.snapshot for k in kept], origin_of(node_unit), below)
    return next((k for k in kept if k.snapshot is snapshot), None)


async def _village_rollup(
    conn: AsyncConnection, framework: Framework, village: UnitRecord, year: int
) -> UnitRollup:
    """A village's own current tally, folded like a unit with one village."""
    rows = await tally_repo.current_in_subtree(conn, village.path, year)
    tallies = [
        VillageTally(r.village_code, dict(r.figures), r.status, utc(r.received_at)) for r in rows
    ]
    facts = UnitFacts(village.code, village.level, village.parent_code or "", year, 1, 0)
    return from_snapshot(fold_unit(framework, facts, tallies, []), None)


def _unfolded(
    framework: Framework, unit: UnitRecord, year: int, run_by_child: bool
) -> UnitEvaluation | None:
    """A unit run here with nothing folded yet: no figures, answers or decisions, so its criteria
    are evaluated on nothing (the level a child node reports is unknown until it does)."""
    if run_by_child or framework.criteria_for(unit.level) is None:
        return None
    return evaluate_unit(framework, unit.level, year, EvaluationInputs())


async def unit_rollups(
    conn: AsyncConnection,
    framework: Framework,
    node_unit: str,
    units: Sequence[UnitRecord],
    year: int,
) -> list[UnitRollup]:
    """The roll-ups of many units, as kept (in the order given)."""
    if not units:
        return []
    codes = [u.code for u in units]
    delegated = await node_repo.active_units(conn)
    kept: dict[str, list[KeptSnapshot]] = {}
    for item in await snapshot_repo.kept_for_units(conn, codes, year):
        kept.setdefault(item.snapshot.unit, []).append(item)
    recognized = await recognitions.levels_in_force(
        conn, codes, year, framework.recognition_valid_years
    )
    chosen = {u.code: _chosen(kept.get(u.code, []), u, node_unit, delegated) for u in units}
    counts = await _village_counts(conn, units) if None in chosen.values() else Counter()
    result = []
    for unit in units:
        found = chosen[unit.code]
        if found is None:
            unfolded = _unfolded(framework, unit, year, run_below(unit.path, node_unit, delegated))
            result.append(
                empty(
                    framework,
                    unit.code,
                    year,
                    counts[unit.code],
                    recognized.get(unit.code),
                    unfolded,
                )
            )
        else:
            result.append(
                from_snapshot(found.snapshot, found.received_at, recognized.get(unit.code))
            )
    return result


async def unit_rollup(
    conn: AsyncConnection, framework: Framework, node_unit: str, unit: UnitRecord, year: int
) -> UnitRollup:
    """One unit's roll-up: folded now when this node runs it, else its child node's snapshot."""
    delegated = await node_repo.active_units(conn)
    if run_below(unit.path, node_unit, delegated):
        [rollup] = await unit_rollups(conn, framework, node_unit, [unit], year)
        return rollup
    if unit.level == "village":
        return await _village_rollup(conn, framework, unit, year)
    row = await unit_repo.get(conn, unit.code)
    assert row is not None  # loaded by the caller in this connection
    built = await build_unit(conn, framework, row, year, origin_of(node_unit), delegated)
    built.origin = origin_of(node_unit)
    kept = await snapshot_repo.get(conn, built.origin, unit.code, year)
    if kept is not None and kept.content_hash == built.content_hash:
        built.revision, built.generated_at = kept.revision, kept.generated_at
    recognized = await recognitions.level_in_force(
        conn, unit.code, year, framework.recognition_valid_years
    )
    return from_snapshot(built, built.generated_at or datetime.now(UTC), recognized)
