"""Plans by period: set or import a unit's period targets, and show progress in a year."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.access import Principal, require, require_scope
from backend.core.periods import PeriodPlan, check_plan, parse_plans_csv, progress
from backend.core.rollup import compute_rates
from backend.core.standards import all_rates, share_rates
from backend.db.database import Database
from backend.db.repositories import audit
from backend.db.repositories import plan_periods as repo
from backend.services.rollup import unit_rollup
from backend.services.standards import standard_totals
from backend.services.units import UnitRecord, load_unit
from shared_schema.framework import Framework
from shared_schema.plan_wire import PeriodPlanIn, PeriodPlanView, PeriodTargetProgress


async def rate_values(
    conn: AsyncConnection, framework: Framework, unit: UnitRecord, year: int, node_unit: str
) -> dict[str, float | None]:
    """Every rate of a unit in a year: tally rates and the shares of communes below it."""
    rollup = await unit_rollup(conn, framework, node_unit, unit, year)
    totals = {**rollup.totals, **await standard_totals(conn, framework, unit.path, year)}
    return {r.code: r.value for r in compute_rates(all_rates(framework), totals)}


async def planned_shares(
    conn: AsyncConnection, framework: Framework, unit: UnitRecord, year: int
) -> dict[str, float | None]:
    """The shares the communes' own planned levels add up to in a year."""
    totals = await standard_totals(conn, framework, unit.path, year, "planned")
    return {r.code: r.value for r in compute_rates(share_rates(framework.standards), totals)}


async def _store(
    conn: AsyncConnection, framework: Framework, actor: Principal, plan: PeriodPlan
) -> None:
    """Check scope and codes, then replace the plan."""
    unit = await load_unit(conn, plan.unit_code)
    require(actor, "target_write")
    require_scope(actor, unit.path)
    check_plan(plan, {r.code: r.unit for r in all_rates(framework)})
    await repo.put(conn, plan, actor.username)


async def put_plan(
    db: Database, framework: Framework, actor: Principal, code: str, period: str, body: PeriodPlanIn
) -> PeriodPlan:
    """Set (replace) one unit's plan for a period, e.g. 2021-2025 against 2020."""
    plan = PeriodPlan(code, period, body.baseline_year, body.end_year, body.targets, body.note)
    async with db.write() as conn:
        await _store(conn, framework, actor, plan)
        await audit.record(
            conn, actor, "plan.put", "plan_period", f"{code}/{period}", code, targets=body.targets
        )
    return plan


async def import_plans(db: Database, framework: Framework, actor: Principal, text: str) -> int:
    """Import period plans from CSV (all rows or none)."""
    plans = parse_plans_csv(text, {r.code: r.unit for r in all_rates(framework)})
    async with db.write() as conn:
        for plan in plans:
            await _store(conn, framework, actor, plan)
        await audit.record(
            conn, actor, "plan.import", "plan_period", "csv", actor.unit_code, rows=len(plans)
        )
    return len(plans)


async def plans_view(
    db: Database,
    framework: Framework,
    actor: Principal,
    code: str,
    year: int,
    node_unit: str = "",
) -> list[PeriodPlanView]:
    """A unit's period plans with progress in a year against the end and the straight path."""
    require(actor, "read")
    labels = {r.code: r.label for r in all_rates(framework)}
    async with db.read() as conn:
        unit = await load_unit(conn, code)
        require_scope(actor, unit.path)
        views = []
        for plan in await repo.of_unit(conn, code):
            baseline = await rate_values(conn, framework, unit, plan.baseline_year, node_unit)
            actual = await rate_values(conn, framework, unit, year, node_unit)
            planned = await planned_shares(conn, framework, unit, plan.end_year)
            targets = []
            for rate in sorted(plan.targets):
                got = progress(plan, rate, baseline.get(rate), actual.get(rate), year)
                targets.append(
                    PeriodTargetProgress(
                        rate,
                        labels[rate].vi,
                        labels[rate].en,
                        got.target,
                        got.baseline,
                        got.actual,
                        got.on_path,
                        got.gap_to_target,
                        got.gap_to_path,
                        got.behind,
                        planned.get(rate),
                    )
                )
            views.append(
                PeriodPlanView(
                    code, plan.code, plan.baseline_year, plan.end_year, year, targets, plan.note
                )
            )
    return views
