"""Communes' standard levels: entered or imported, rolled up into counts and shares below a unit."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal, require, require_scope
from backend.core.errors import FieldProblem, InvalidInput
from backend.core.rollup import compute_rates
from backend.core.standards import (
    check_basis,
    check_level,
    level_table,
    share_rates,
    share_shortfalls,
    standard_for_indicator,
    subtree_counts,
)
from backend.db.database import Database
from backend.db.repositories import audit, rebuild_queue
from backend.db.repositories import standard_levels as repo
from backend.db.repositories import targets as target_repo
from backend.services.units import UnitRecord, load_unit
from shared_schema.assessment_wire import RoadmapProblemView
from shared_schema.framework import Framework
from shared_schema.plan_wire import (
    LevelCountView,
    StandardLevelsIn,
    StandardLevelsView,
    UnitShares,
)
from shared_schema.wire import RateValue

RECOGNITION = "recognition"


async def planned_recognitions(conn: AsyncConnection, path: str, year: int) -> dict[str, int]:
    """The level each unit's roadmap plans for the year (its highest target up to it)."""
    planned: dict[str, int] = {}
    for row in await target_repo.in_subtree(conn, path):
        if row.year <= year and row.target_level:
            planned[row.unit_code] = max(planned.get(row.unit_code, 0), int(row.target_level))
    return planned


async def standard_totals(
    conn: AsyncConnection, framework: Framework, path: str, year: int, basis: str = "actual"
) -> dict[str, int]:
    """Counts per standard and level of the communes under a path, as totals keys."""
    spec = framework.standards
    if not spec.items:
        return {}
    levels = await repo.levels_below(conn, path, year, basis, spec.counted_level)
    communes = await repo.counted_units(conn, path, spec.counted_level)
    if basis == "actual":
        recognised = await repo.recognised_below(
            conn, path, year, framework.recognition_valid_years, spec.counted_level
        )
    else:
        recognised = await planned_recognitions(conn, path, year)
    for code in communes:
        for item in spec.items:
            if item.origin == RECOGNITION:
                levels.setdefault(code, {})[item.code] = recognised.get(code, 0)
    return subtree_counts(spec, levels.values())


async def share_target_shortfalls(
    conn: AsyncConnection,
    framework: Framework,
    targets: Sequence[Row],  # type: ignore[type-arg]
) -> list[RoadmapProblemView]:
    """Share targets of units under a path that their communes' planned levels cannot meet."""
    rates = share_rates(framework.standards)
    labels = {r.code: r.label for r in rates}
    problems: list[RoadmapProblemView] = []
    for target in targets:
        wanted = {c: v for c, v in dict(target.rates).items() if c in labels}
        if not wanted:
            continue
        unit = await load_unit(conn, target.unit_code)
        totals = await standard_totals(conn, framework, unit.path, target.year, "planned")
        planned = {r.code: (r.numerator, r.denominator) for r in compute_rates(rates, totals)}
        problems += [
            RoadmapProblemView(
                s.unit_code,
                s.year,
                target.target_level or 0,
                s.code,
                s.planned,
                s.units,
                s.explanation.vi,
                s.explanation.en,
            )
            for s in share_shortfalls(unit.code, target.year, wanted, planned, labels)
        ]
    return problems


def share_values(framework: Framework, totals: dict[str, int]) -> list[RateValue]:
    """The shares of communes as rates with their labels."""
    rates = share_rates(framework.standards)
    labels = {r.code: r.label for r in rates}
    return [
        RateValue(r.code, r.numerator, r.denominator, r.value, labels[r.code].vi, labels[r.code].en)
        for r in compute_rates(rates, totals)
    ]


def count_views(framework: Framework, totals: dict[str, int]) -> list[LevelCountView]:
    """Per standard and level: communes exactly there, at it or above, counted, the share."""
    views = []
    for row in level_table(framework.standards, totals):
        item = framework.standards.get(row.standard)
        assert item is not None
        name = item.level_name(row.level)
        views.append(
            LevelCountView(
                row.standard,
                item.label.vi,
                item.label.en,
                row.level,
                name.vi,
                name.en,
                row.exactly,
                row.at_least,
                row.units,
                row.share,
            )
        )
    return views


async def shares_in(
    conn: AsyncConnection, framework: Framework, unit: UnitRecord, year: int, basis: str
) -> UnitShares:
    """The roll-up of the standards below a unit, inside the caller's transaction."""
    totals = await standard_totals(conn, framework, unit.path, year, check_basis(basis))
    communes = await repo.counted_units(conn, unit.path, framework.standards.counted_level)
    return UnitShares(
        unit.code,
        year,
        basis,
        len(communes),
        count_views(framework, totals),
        share_values(framework, totals),
    )


async def unit_shares(
    db: Database, framework: Framework, actor: Principal, code: str, year: int, basis: str
) -> UnitShares:
    """How many communes below a unit are at each level of each standard, and the shares."""
    require(actor, "read")
    async with db.read() as conn:
        unit = await load_unit(conn, code)
        require_scope(actor, unit.path)
        return await shares_in(conn, framework, unit, year, basis)


async def record_entered_level(
    conn: AsyncConnection,
    framework: Framework,
    unit: UnitRecord,
    year: int,
    indicator: str,
    level: int,
    actor: Principal,
) -> None:
    """A self-assessment level (4.1–4.4) is also the commune's level of that standard."""
    item = standard_for_indicator(framework.standards, indicator)
    if item is None or unit.level != framework.standards.counted_level:
        return
    check_level(framework.standards, item.code, level)
    await repo.put(conn, unit.code, year, "actual", {item.code: level}, actor.username)


def _check_levels(framework: Framework, unit: UnitRecord, body: StandardLevelsIn) -> None:
    """Levels only for units of the counted level, known standards, on their scales."""
    check_basis(body.basis)
    if unit.level != framework.standards.counted_level:
        raise InvalidInput(
            "standard_not_applicable",
            "Chỉ nhập mức đạt chuẩn phổ cập, xóa mù chữ cho cấp xã",
            "Standard levels are entered for communes only",
        )
    for standard, level in body.levels.items():
        check_level(framework.standards, standard, level)


async def put_levels(
    db: Database,
    framework: Framework,
    actor: Principal,
    code: str,
    year: int,
    body: StandardLevelsIn,
) -> StandardLevelsView:
    """Store a commune's levels (reached: officers in scope; planned: planners above it)."""
    require(actor, "assessment_write" if body.basis == "actual" else "target_write")
    async with db.write() as conn:
        unit = await load_unit(conn, code)
        require_scope(actor, unit.path)
        _check_levels(framework, unit, body)
        await repo.put(conn, code, year, body.basis, body.levels, actor.username)
        await rebuild_queue.mark(conn, code, year)  # the snapshots above count it
        await audit.record(
            conn,
            actor,
            "standards.put",
            "standard_levels",
            f"{code}/{year}/{body.basis}",
            code,
            year=year,
            levels=body.levels,
        )
    return StandardLevelsView(code, year, body.basis, body.levels)


def _csv_problem(line: int, column: str, vi: str, en: str) -> FieldProblem:
    """A located problem of the standards CSV."""
    return FieldProblem(
        f"row {line}.{column}", "invalid", f"Dòng {line}: {vi}", f"Row {line}: {en}"
    )


def parse_levels_csv(framework: Framework, text: str) -> list[tuple[str, int, str, dict[str, int]]]:
    """Rows unit_code,year,basis,<standard>… (blank = not given) → (unit, year, basis, levels)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    rows, problems = [], []
    for line, row in enumerate(reader, start=2):
        try:
            year = int(row["year"])
            basis = check_basis((row.get("basis") or "actual").strip())
            levels = {
                item.code: int(row[item.code])
                for item in framework.standards.entered()
                if (row.get(item.code) or "").strip()
            }
            for standard, level in levels.items():
                check_level(framework.standards, standard, level)
        except InvalidInput as exc:
            problems.append(_csv_problem(line, "row", exc.message_vi, exc.message_en))
            continue
        except (KeyError, ValueError, TypeError):
            problems.append(
                _csv_problem(
                    line,
                    "row",
                    "thiếu cột unit_code/year hoặc mức độ không phải số nguyên",
                    "unit_code/year missing or a level is not a whole number",
                )
            )
            continue
        rows.append((str(row["unit_code"]).strip(), year, basis, levels))
    if problems:
        raise InvalidInput(
            "standards_csv_invalid",
            "Tệp mức đạt chuẩn không hợp lệ",
            "The standards file is invalid",
            problems,
        )
    return rows


async def import_levels(db: Database, framework: Framework, actor: Principal, text: str) -> int:
    """Import communes' levels from CSV (all rows or none), each unit in the caller's scope."""
    rows = parse_levels_csv(framework, text)
    async with db.write() as conn:
        for unit_code, year, basis, levels in rows:
            require(actor, "assessment_write" if basis == "actual" else "target_write")
            unit = await load_unit(conn, unit_code)
            require_scope(actor, unit.path)
            _check_levels(framework, unit, StandardLevelsIn(levels, basis))
            await repo.put(conn, unit_code, year, basis, levels, actor.username)
            await rebuild_queue.mark(conn, unit_code, year)
        await audit.record(
            conn,
            actor,
            "standards.import",
            "standard_levels",
            "csv",
            actor.unit_code,
            rows=len(rows),
        )
    return len(rows)
