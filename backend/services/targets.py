"""Targets and roadmaps: set, import from CSV, list, and check feasibility against children."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal, require, require_scope
from backend.core.errors import InvalidInput
from backend.core.roadmaps import infeasible_roadmaps
from backend.core.standards import all_rates
from backend.core.targets import Target, parse_targets_csv
from backend.db.database import Database
from backend.db.repositories import audit
from backend.db.repositories import targets as repo
from backend.db.repositories import units as unit_repo
from backend.services.decision_effects import publish
from backend.services.standards import share_target_shortfalls
from backend.services.units import UnitRecord, load_unit
from shared_schema.assessment_wire import RoadmapProblemView, TargetIn, TargetView
from shared_schema.framework import Framework


def _check_target(framework: Framework, body: TargetIn) -> None:
    """Levels within what the framework defines; rates known and within 0–100."""
    known = {rate.code for rate in all_rates(framework)}
    unknown = sorted(set(body.rates) - known)
    if unknown:
        raise InvalidInput(
            "target_rate_unknown",
            f"Tỷ lệ không có trong khung: {unknown}",
            f"Rates not in the framework: {unknown}",
        )
    percent = {rate.code for rate in all_rates(framework) if rate.unit == "%"}
    if any(not 0 <= v <= 100 for c, v in body.rates.items() if c in percent) or any(
        v < 0 for v in body.rates.values()
    ):
        raise InvalidInput(
            "target_rate_range",
            "Chỉ tiêu tỷ lệ phải từ 0 đến 100",
            "Target rates must be between 0 and 100",
        )
    if body.target_level is not None and not 0 <= body.target_level <= 10:
        raise InvalidInput(
            "target_level_range", "Mức độ mục tiêu không hợp lệ", "Target level is out of range"
        )


def _check_target_scale(framework: Framework, unit_level: str, target_level: int | None) -> None:
    """A target level lies within the levels the framework defines for the unit's level."""
    criteria = framework.criteria_for(unit_level)
    if target_level is not None and criteria is not None and target_level > criteria.max_level():
        raise InvalidInput(
            "target_level_range", "Mức độ mục tiêu không hợp lệ", "Target level is out of range"
        )


def _require_planner(actor: Principal, unit_path: str) -> None:
    """Targets are set by officers for units in their scope (not by the unit for itself below)."""
    require(actor, "target_write")
    require_scope(actor, unit_path)


async def put_target(
    db: Database, framework: Framework, actor: Principal, code: str, year: int, body: TargetIn
) -> TargetView:
    """Set (replace) one unit's target for a year."""
    async with db.write() as conn:
        await store_target(conn, framework, actor, await load_unit(conn, code), year, body)
    return TargetView(code, year, body.target_level, body.rates)


async def store_target(
    conn: AsyncConnection,
    framework: Framework,
    actor: Principal,
    unit: UnitRecord,
    year: int,
    body: TargetIn,
) -> str:
    """The checks, the write and the published decision (its uid), in the caller's transaction."""
    _check_target(framework, body)
    _check_target_scale(framework, unit.level, body.target_level)
    _require_planner(actor, unit.path)
    await repo.put(conn, unit.code, year, body.target_level, body.rates, actor.username)
    uid = await publish(
        conn,
        "target",
        unit.code,
        year,
        {"target_level": body.target_level, "rates": body.rates},
        actor.unit_code,
        actor.username,
    )
    await audit.record(
        conn,
        actor,
        "target.put",
        "target",
        f"{unit.code}/{year}",
        unit.code,
        target_level=body.target_level,
        rates=body.rates,
    )
    return uid


async def import_targets(db: Database, framework: Framework, actor: Principal, text: str) -> int:
    """Import a targets CSV (all rows or none); every unit must be in the caller's scope."""
    rows = parse_targets_csv(text, [rate.code for rate in all_rates(framework)])
    async with db.write() as conn:
        for target in rows:
            unit = await load_unit(conn, target.unit_code)
            _require_planner(actor, unit.path)
            await repo.put(
                conn,
                target.unit_code,
                target.year,
                target.target_level,
                dict(target.rates),
                actor.username,
            )
            await publish(
                conn,
                "target",
                target.unit_code,
                target.year,
                {"target_level": target.target_level, "rates": dict(target.rates)},
                actor.unit_code,
                actor.username,
            )
        await audit.record(
            conn, actor, "target.import", "target", "csv", actor.unit_code, rows=len(rows)
        )
    return len(rows)


async def list_targets(
    db: Database, actor: Principal, code: str, year: int | None
) -> list[TargetView]:
    """Targets of a unit and everything below it."""
    require(actor, "read")
    async with db.read() as conn:
        unit = await load_unit(conn, code)
        require_scope(actor, unit.path)
        rows = await repo.in_subtree(conn, unit.path, year)
    return [TargetView(r.unit_code, r.year, r.target_level, dict(r.rates)) for r in rows]


async def roadmap_problems(
    db: Database, framework: Framework, actor: Principal, code: str
) -> list[RoadmapProblemView]:
    """Parent targets that the children's own targets cannot satisfy."""
    require(actor, "read")
    async with db.read() as conn:
        unit = await load_unit(conn, code)
        require_scope(actor, unit.path)
        rows = await repo.in_subtree(conn, unit.path)
        units = await unit_repo.in_subtree(conn, unit.path)
        shortfalls = await share_target_shortfalls(conn, framework, rows)
    targets = [Target(r.unit_code, r.year, r.target_level, dict(r.rates), r.name) for r in rows]
    return shortfalls + check_roadmaps(framework, targets, units)


def check_roadmaps(
    framework: Framework,
    targets: list[Target],
    units: Sequence[Row],  # type: ignore[type-arg]
) -> list[RoadmapProblemView]:
    """The roadmap check over some targets and the units they belong to, naming units by name."""
    children: dict[str, list[str]] = {}
    for child in units:
        if child.parent_code:
            children.setdefault(child.parent_code, []).append(child.code)
    problems = infeasible_roadmaps(framework, targets, {u.code: u.level for u in units}, children)
    names = {u.code: u.name for u in units}
    return [
        RoadmapProblemView(
            p.unit_code,
            p.year,
            p.target_level,
            p.indicator,
            p.planned,
            p.children,
            p.explanation.vi,
            p.explanation.en,
            names.get(p.unit_code, ""),
        )
        for p in problems
    ]
