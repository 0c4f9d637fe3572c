"""Evaluate a unit against its "Cộng đồng học tập" criteria: pure, no I/O.

Levels are cumulative: a unit reaches level L when every indicator of levels 1..L is met (the
regulation's level-2 tables restate level 1 with stricter thresholds, and a derived framework
could loosen a level-2 threshold below level 1's; cumulation keeps "level 2" meaning "level 1
and more"). Rates come from summed counts, never from averaged percentages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from backend.core.criteria_results import (
    CheckResult,
    CriterionResult,
    EvaluationInputs,
    IndicatorResult,
    LevelResult,
    Status,
    UnitEvaluation,
    combine,
)
from backend.core.errors import NotFound
from backend.core.formula import Q, as_float, compare, evaluate_parts, exact
from shared_schema.criteria import (
    AttestedIndicator,
    ChildrenShareIndicator,
    ComputedIndicator,
    CriteriaLevel,
    Criterion,
    EnteredLevelIndicator,
    Indicator,
    PreviousYearIndicator,
    UnitCriteria,
)
from shared_schema.framework import Framework

Values = dict[str, float | int | None]


def _num(value: Q | None) -> float | None:
    """A rational as a float rounded for display (None stays None)."""
    return None if value is None else round(value[0] / value[1], 4)


_VALUE_KEYS = tuple(f"value_{index}" for index in range(64))


def _computed(ind: ComputedIndicator, inputs: EvaluationInputs, criterion: str) -> IndicatorResult:
    """Every check of the formula against its threshold, exactly."""
    checks: list[CheckResult] = []
    values: Values = {}
    worst: Status = "met"
    totals = inputs.totals
    for index, check in enumerate(ind.checks):
        value, numerator, denominator = evaluate_parts(check.value, totals)
        if value is None:
            status: Status = "no_data"
            if worst == "met":
                worst = status
        elif compare(value, check.compare, exact(check.threshold)):
            status = "met"
        else:
            status = worst = "unmet"
        values[_VALUE_KEYS[index]] = None if value is None else round(value[0] / value[1], 4)
        checks.append(
            CheckResult(
                check.label,
                status,
                as_float(value),
                check.compare,
                check.threshold,
                check.unit,
                numerator,
                denominator,
            )
        )
    return _result(ind, criterion, worst, values, tuple(checks))


def _attested(ind: AttestedIndicator, inputs: EvaluationInputs, criterion: str) -> IndicatorResult:
    """A yes answer counts only with evidence when the framework asks for it."""
    answer = inputs.attested.get(ind.code)
    if answer is None:
        return _result(ind, criterion, "no_data")
    met = answer.met and (bool(answer.evidence) or not ind.evidence_required)
    return _result(
        ind,
        criterion,
        "met" if met else "unmet",
        {"answer": int(answer.met)},
        evidence=answer.evidence,
    )


def _entered(
    ind: EnteredLevelIndicator, inputs: EvaluationInputs, criterion: str
) -> IndicatorResult:
    """A level entered from the universal-education system, compared with the required level."""
    level = inputs.entered_levels.get(ind.code)
    values: Values = {"entered_level": level, "required_level": ind.required_level}
    if level is None:
        return _result(ind, criterion, "no_data", values)
    return _result(ind, criterion, "met" if level >= ind.required_level else "unmet", values)


def _children(
    ind: ChildrenShareIndicator, inputs: EvaluationInputs, criterion: str
) -> IndicatorResult:
    """Share of child units recognised at the required level or higher, from counts."""
    levels = inputs.children_levels
    if not levels:
        return _result(ind, criterion, "no_data")
    count = sum(1 for lv in levels if lv >= ind.child_min_level)
    share = (100 * count, len(levels))
    met = compare(share, ">=", exact(ind.min_share))
    values: Values = {
        "count": count,
        "total": len(levels),
        "share": _num(share),
        "min_share": ind.min_share,
        "child_min_level": ind.child_min_level,
    }
    return _result(ind, criterion, "met" if met else "unmet", values)


def _previous(
    ind: PreviousYearIndicator, inputs: EvaluationInputs, criterion: str
) -> IndicatorResult:
    """This year's measure compared with last year's (income, employment)."""
    current = inputs.current_values.get(ind.measure)
    before = inputs.previous_values.get(ind.measure)
    values: Values = {"current": current, "previous": before}
    if current is None or before is None:
        return _result(ind, criterion, "no_data", values)
    met = compare(exact(current), ind.compare, exact(before))
    return _result(ind, criterion, "met" if met else "unmet", values)


def _result(
    ind: Indicator,
    criterion: str,
    status: Status,
    values: Values | None = None,
    checks: tuple[CheckResult, ...] = (),
    evidence: tuple[str, ...] = (),
) -> IndicatorResult:
    """An IndicatorResult under its criterion (its explanation is added only when shown)."""
    return IndicatorResult(
        criterion,
        ind.code,
        _KINDS[type(ind)],
        ind.short,
        ind.source,
        status,
        values or {},
        checks,
        evidence,
    )


_Evaluator = Callable[[Any, EvaluationInputs, str], IndicatorResult]
_EVALUATORS: dict[type, tuple[str, _Evaluator]] = {
    ComputedIndicator: ("computed", _computed),
    AttestedIndicator: ("attested", _attested),
    EnteredLevelIndicator: ("entered_level", _entered),
    ChildrenShareIndicator: ("children_share", _children),
    PreviousYearIndicator: ("previous_year", _previous),
}
_KINDS = {cls: kind for cls, (kind, _) in _EVALUATORS.items()}


def evaluate_indicator(
    ind: Indicator, inputs: EvaluationInputs, criterion: str = ""
) -> IndicatorResult:
    """Evaluate one indicator of any kind."""
    return _EVALUATORS[type(ind)][1](ind, inputs, criterion)


@dataclass(frozen=True)
class _Plan:
    """A unit level's criteria compiled once: distinct indicators, and each level's picks."""

    distinct: tuple[tuple[Indicator, str], ...]
    levels: tuple[tuple[CriteriaLevel, tuple[tuple[Criterion, tuple[int, ...]], ...]], ...]


_PLANS: dict[int, tuple[UnitCriteria, _Plan]] = {}


def _plan(unit_criteria: UnitCriteria) -> _Plan:
    """Compile (and cache) the criteria; an indicator repeated unchanged across levels is one."""
    cached = _PLANS.get(id(unit_criteria))
    if cached is not None and cached[0] is unit_criteria:
        return cached[1]
    distinct: list[tuple[Indicator, str]] = []
    levels = []
    for level in sorted(unit_criteria.levels, key=lambda lv: lv.level):
        picks = []
        for criterion in level.criteria:
            indexes = []
            for ind in criterion.indicators:
                if (ind, criterion.code) not in distinct:
                    distinct.append((ind, criterion.code))
                indexes.append(distinct.index((ind, criterion.code)))
            picks.append((criterion, tuple(indexes)))
        levels.append((level, tuple(picks)))
    plan = _Plan(tuple(distinct), tuple(levels))
    if len(_PLANS) > 64:
        _PLANS.clear()
    _PLANS[id(unit_criteria)] = (unit_criteria, plan)
    return plan


def _level_result(
    level: CriteriaLevel,
    picks: tuple[tuple[Criterion, tuple[int, ...]], ...],
    results: list[IndicatorResult],
) -> LevelResult:
    """One level's criteria results from the already evaluated indicators."""
    criteria = []
    not_met: list[IndicatorResult] = []
    for criterion, indexes in picks:
        chosen = tuple([results[i] for i in indexes])
        failing = [r for r in chosen if r.status != "met"]
        not_met.extend(failing)
        status = combine([r.status for r in failing]) if failing else "met"
        criteria.append(CriterionResult(criterion.code, criterion.title, status, chosen))
    status = combine([c.status for c in criteria]) if not_met else "met"
    return LevelResult(level.level, level.label, status, tuple(criteria), tuple(not_met))


def evaluate_unit(
    framework: Framework, unit_level: str, year: int, inputs: EvaluationInputs
) -> UnitEvaluation:
    """Evaluate a unit: every level's results, the level reached and what the next level lacks."""
    unit_criteria = framework.criteria_for(unit_level)
    if unit_criteria is None:
        raise NotFound(
            "criteria_not_defined",
            f"Khung không có tiêu chí cho cấp {unit_level!r}",
            f"The framework has no criteria for unit level {unit_level!r}",
        )
    plan = _plan(unit_criteria)
    results = [_EVALUATORS[type(ind)][1](ind, inputs, code) for ind, code in plan.distinct]
    levels = tuple(_level_result(level, picks, results) for level, picks in plan.levels)
    reached, next_level = 0, None
    missing: tuple[IndicatorResult, ...] = ()
    for result in levels:
        if result.status != "met":
            missing, next_level = result.not_met, result.level
            break
        reached = result.level
    return UnitEvaluation(
        framework.id,
        framework.version,
        unit_level,
        year,
        reached,
        unit_criteria.max_level(),
        next_level,
        levels,
        missing,
    )
