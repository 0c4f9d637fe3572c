"""A unit's status: its roll-up (figures, rates, completeness, levels), criteria, target and gap."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row

from backend.core.access import Principal, require, require_scope
from backend.core.standards import all_rates
from backend.core.targets import Target, progress
from backend.core.unit_rollup import UnitRollup
from backend.db.database import Database
from backend.db.repositories import targets as target_repo
from backend.services.evaluation import evaluate
from backend.services.rollup import unit_rollup
from backend.services.snapshots import origin_of
from backend.services.timeliness import timeliness_for
from backend.services.units import load_unit
from shared_schema.assessment_wire import Progress, TargetView
from shared_schema.framework import Framework
from shared_schema.wire import Completeness, RateValue, UnitStatus


def _rates(framework: Framework, rollup: UnitRollup) -> list[RateValue]:
    """The roll-up's rates with their framework labels."""
    labels = {rate.code: rate.label for rate in all_rates(framework)}  # shares of communes too
    return [
        RateValue(r.code, r.numerator, r.denominator, r.value, labels[r.code].vi, labels[r.code].en)
        for r in rollup.rates
        if r.code in labels
    ]


def _progress(
    target: Row[Any] | None,
    level_reached: int | None,
    rates: list[RateValue],
) -> tuple[TargetView | None, Progress | None]:
    """The stored target and the gap to it."""
    if target is None:
        return None, None
    view = TargetView(target.unit_code, target.year, target.target_level, dict(target.rates))
    gap = progress(
        Target(target.unit_code, target.year, target.target_level, dict(target.rates)),
        level_reached or 0,
        {r.code: r.value for r in rates},
    )
    return view, Progress(
        gap.target_level, gap.level_reached, gap.level_gap, dict(gap.rate_gaps), gap.behind
    )


async def unit_status(
    db: Database,
    framework: Framework,
    actor: Principal,
    code: str,
    year: int,
    node_unit: str = "",
) -> UnitStatus:
    """Everything a dashboard shows for one unit and year, from its roll-up."""
    require(actor, "read")
    async with db.read() as conn:
        unit = await load_unit(conn, code)
        require_scope(actor, unit.path)
        rollup = await unit_rollup(conn, framework, node_unit, unit, year)
        evaluation = None
        if rollup.origin == origin_of(node_unit):  # answers are held where the unit is run
            evaluation = await evaluate(conn, framework, unit, year, rollup.totals)
        target = await target_repo.get(conn, code, year)
        timely = await timeliness_for(conn, framework, unit, year, datetime.now(UTC))
    rates = _rates(framework, rollup)
    done = rollup.completeness
    level = evaluation.level_reached if evaluation else rollup.level_reached
    target_view, gap = _progress(target, level, rates)
    return UnitStatus(
        unit.to_wire(),
        year,
        dict(rollup.totals),
        rates,
        Completeness(
            done.villages_total,
            done.villages_reported,
            done.villages_confirmed,
            done.children_total,
            done.children_reported,
        ),
        framework.version,
        evaluation=evaluation,
        target=target_view,
        progress=gap,
        recognized_level=rollup.recognized_level,
        claimed_level=rollup.claimed_level,
        dossier_status=rollup.dossier_status,
        timeliness=timely,
        level_reached=level,
        max_level=evaluation.max_level if evaluation else rollup.max_level,
        origin=rollup.origin,
        revision=rollup.revision,
        synced_at=rollup.synced_at,
    )
