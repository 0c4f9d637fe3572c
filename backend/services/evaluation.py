"""Gather what a criteria evaluation reads (tallies, answers, children's levels) and run it."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncConnection

from backend.core.criteria_eval import evaluate_unit
from backend.core.criteria_explain import with_explanations
from backend.core.criteria_results import Attestation, EvaluationInputs, UnitEvaluation
from backend.db.repositories import assessments as answers
from backend.db.repositories import recognitions
from backend.services.units import UnitRecord
from shared_schema.framework import Framework


async def evaluation_inputs(
    conn: AsyncConnection,
    unit: UnitRecord,
    year: int,
    totals: Mapping[str, int],
    valid_years: int = 1,
) -> EvaluationInputs:
    """The unit's current answers for the year (and last year's measures), with child levels."""
    rows = await answers.current(conn, unit.code, [year - 1, year])
    this_year = [r for r in rows if r.year == year]
    children = await recognitions.children_levels(conn, unit.code, year, valid_years)
    return EvaluationInputs(
        totals=totals,
        attested={
            r.indicator_code: Attestation(bool(r.met), tuple(r.evidence))
            for r in this_year
            if r.kind == "attested" and r.met is not None
        },
        entered_levels={
            r.indicator_code: int(r.level)
            for r in this_year
            if r.kind == "entered_level" and r.level is not None
        },
        children_levels=[int(c.level or 0) for c in children] if children else None,
        current_values={
            r.indicator_code: float(r.value)
            for r in this_year
            if r.kind == "measure" and r.value is not None
        },
        previous_values={
            r.indicator_code: float(r.value)
            for r in rows
            if r.year == year - 1 and r.kind == "measure" and r.value is not None
        },
    )


async def evaluate(
    conn: AsyncConnection,
    framework: Framework,
    unit: UnitRecord,
    year: int,
    totals: Mapping[str, int],
    explained: bool = True,
) -> UnitEvaluation | None:
    """The unit's evaluation, or None for levels without criteria (villages).

    explained=False skips the sentences of what is missing (roll-ups only need the codes).
    """
    criteria = framework.criteria_for(unit.level)
    if criteria is None:
        return None
    inputs = await evaluation_inputs(conn, unit, year, totals, framework.recognition_valid_years)
    evaluation = evaluate_unit(framework, unit.level, year, inputs)
    return with_explanations(criteria, evaluation) if explained else evaluation
