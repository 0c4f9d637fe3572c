"""Summed tallies and rates for any unit in scope."""

from __future__ import annotations

from backend.core.access import Principal, require, require_scope
from backend.core.rollup import compute_rates, sum_tallies
from backend.db.database import Database
from backend.db.repositories import tallies as tally_repo
from backend.db.repositories import units as unit_repo
from backend.services.units import load_unit
from shared_schema.framework import Framework
from shared_schema.wire import Completeness, RateValue, UnitStatus


async def unit_status(
    db: Database, framework: Framework, actor: Principal, code: str, year: int
) -> UnitStatus:
    """Totals over the current tallies of the villages under a unit, and the rates they give."""
    require(actor, "read")
    async with db.read() as conn:
        unit = await load_unit(conn, code)
        require_scope(actor, unit.path)
        rows = await tally_repo.current_in_subtree(conn, unit.path, year)
        villages_total = await unit_repo.count_in_subtree(conn, unit.path, "village")
    counted = [r for r in rows if r.status in framework.tally.rollup_statuses]
    totals = sum_tallies(dict(r.figures) for r in counted)
    labels = {rate.code: rate.label for rate in framework.tally.rates}
    rates = [
        RateValue(r.code, r.numerator, r.denominator, r.value, labels[r.code].vi, labels[r.code].en)
        for r in compute_rates(framework.tally.rates, totals)
    ]
    completeness = Completeness(
        villages_total=villages_total,
        villages_reported=sum(1 for r in rows if r.status != "returned"),
        villages_confirmed=sum(1 for r in rows if r.status == "confirmed"),
    )
    return UnitStatus(unit.to_wire(), year, totals, rates, completeness, framework.version)
