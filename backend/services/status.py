"""A unit's status: summed tallies, rates, completeness, criteria evaluation, target and gap."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal, require, require_scope
from backend.core.criteria_results import UnitEvaluation
from backend.core.rollup import compute_rates, sum_tallies
from backend.core.targets import Target, progress
from backend.db.database import Database
from backend.db.repositories import dossiers as dossier_repo
from backend.db.repositories import recognitions
from backend.db.repositories import tallies as tally_repo
from backend.db.repositories import targets as target_repo
from backend.db.repositories import units as unit_repo
from backend.services.evaluation import evaluate
from backend.services.standards import share_values, standard_totals
from backend.services.timeliness import timeliness_for
from backend.services.units import UnitRecord, load_unit
from shared_schema.assessment_wire import Progress, TargetView
from shared_schema.framework import Framework
from shared_schema.wire import Completeness, RateValue, UnitStatus


async def subtree_totals(
    conn: AsyncConnection, framework: Framework, unit: UnitRecord, year: int
) -> tuple[dict[str, int], Sequence[Row]]:  # type: ignore[type-arg]
    """Sums of the current tallies that count in the roll-up, and every current tally."""
    rows = await tally_repo.current_in_subtree(conn, unit.path, year)
    counted = [r for r in rows if r.status in framework.tally.rollup_statuses]
    return sum_tallies(dict(r.figures) for r in counted), rows


def _rates(framework: Framework, totals: dict[str, int]) -> list[RateValue]:
    """Every framework rate with its labels."""
    labels = {rate.code: rate.label for rate in framework.tally.rates}
    return [
        RateValue(r.code, r.numerator, r.denominator, r.value, labels[r.code].vi, labels[r.code].en)
        for r in compute_rates(framework.tally.rates, totals)
    ]


def _progress(
    target: Row[Any] | None,
    evaluation: UnitEvaluation | None,
    rates: list[RateValue],
) -> tuple[TargetView | None, Progress | None]:
    """The stored target and the gap to it."""
    if target is None:
        return None, None
    view = TargetView(target.unit_code, target.year, target.target_level, dict(target.rates))
    gap = progress(
        Target(target.unit_code, target.year, target.target_level, dict(target.rates)),
        evaluation.level_reached if evaluation else 0,
        {r.code: r.value for r in rates},
    )
    return view, Progress(
        gap.target_level, gap.level_reached, gap.level_gap, dict(gap.rate_gaps), gap.behind
    )


async def unit_status(
    db: Database, framework: Framework, actor: Principal, code: str, year: int
) -> UnitStatus:
    """Everything a dashboard shows for one unit and year."""
    require(actor, "read")
    async with db.read() as conn:
        unit = await load_unit(conn, code)
        require_scope(actor, unit.path)
        totals, rows = await subtree_totals(conn, framework, unit, year)
        villages_total = await unit_repo.count_in_subtree(conn, unit.path, "village")
        evaluation = await evaluate(conn, framework, unit, year, totals)
        target = await target_repo.get(conn, code, year)
        recognized = await recognitions.level_in_force(
            conn, code, year, framework.recognition_valid_years
        )
        dossier = await dossier_repo.get(conn, code, year)
        timely = await timeliness_for(conn, framework, unit, year, datetime.now(UTC))
        counts = await standard_totals(conn, framework, unit.path, year)
    rates = _rates(framework, totals) + share_values(framework, counts)  # shares of communes
    completeness = Completeness(
        villages_total=villages_total,
        villages_reported=sum(1 for r in rows if r.status != "returned"),
        villages_confirmed=sum(1 for r in rows if r.status == "confirmed"),
    )
    target_view, gap = _progress(target, evaluation, rates)
    return UnitStatus(
        unit.to_wire(),
        year,
        totals,
        rates,
        completeness,
        framework.version,
        evaluation=evaluation,
        target=target_view,
        progress=gap,
        recognized_level=recognized,
        claimed_level=dossier.claimed_level if dossier else None,
        dossier_status=dossier.status if dossier else None,
        timeliness=timely,
    )
