"""Period plans (kế hoạch giai đoạn) of a unit: targets at the period's end, with a baseline."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import and_, delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.periods import PeriodPlan
from backend.db.tables import plan_periods


async def put(conn: AsyncConnection, plan: PeriodPlan, actor: str) -> None:
    """Replace a unit's plan for a period."""
    key = and_(plan_periods.c.unit_code == plan.unit_code, plan_periods.c.code == plan.code)
    await conn.execute(delete(plan_periods).where(key))
    await conn.execute(
        plan_periods.insert().values(
            unit_code=plan.unit_code,
            code=plan.code,
            baseline_year=plan.baseline_year,
            end_year=plan.end_year,
            targets=plan.targets,
            note=plan.note,
            updated_by=actor,
            updated_at=datetime.now(UTC),
        )
    )


async def of_unit(conn: AsyncConnection, unit_code: str) -> list[PeriodPlan]:
    """A unit's plans, earliest period first."""
    query = (
        select(plan_periods)
        .where(plan_periods.c.unit_code == unit_code)
        .order_by(plan_periods.c.end_year, plan_periods.c.code)
    )
    return [
        PeriodPlan(r.unit_code, r.code, r.baseline_year, r.end_year, dict(r.targets), r.note)
        for r in (await conn.execute(query)).all()
    ]
