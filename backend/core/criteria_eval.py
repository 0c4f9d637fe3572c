"""Evaluate a unit against its "Cộng đồng học tập" criteria: pure, no I/O.

Levels are cumulative: a unit reaches level L when every indicator of levels 1..L is met (the
regulation's level-2 tables restate level 1 with stricter thresholds, and a derived framework
could loosen a level-2 threshold below level 1's; cumulation keeps "level 2" meaning "level 1
and more"). Rates come from summed counts, never from averaged percentages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction

from backend.core import criteria_explain as explain
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
from backend.core.formula import compare, evaluate, exact, parts
from shared_schema.criteria import (
    AttestedIndicator,
    ChildrenShareIndicator,
    ComputedIndicator,
    CriteriaLevel,
    EnteredLevelIndicator,
    Indicator,
    PreviousYearIndicator,
)
from shared_schema.framework import Framework
from shared_schema.text import Text


def _num(value: Fraction | None) -> float | None:
    """A fraction as a float rounded for display (None stays None)."""
    return None if value is None else round(float(value), 4)


def _computed(ind: ComputedIndicator, inputs: EvaluationInputs) -> IndicatorResult:
    """Every check of the formula against its threshold, exactly."""
    checks: list[CheckResult] = []
    raw: dict[str, Fraction | None] = {}
    for index, check in enumerate(ind.checks):
        value = evaluate(check.value, inputs.totals)
        raw[str(index)] = value
        status: Status = (
            "no_data"
            if value is None
            else "met"
            if compare(value, check.compare, exact(check.threshold))
            else "unmet"
        )
        numerator, denominator = parts(check.value, inputs.totals)
        checks.append(
            CheckResult(
                check.label,
                status,
                _num(value),
                check.compare,
                check.threshold,
                check.unit,
                _num(numerator),
                _num(denominator),
            )
        )
    status = combine([c.status for c in checks])
    values = {f"value_{i}": c.value for i, c in enumerate(checks)}
    why = None if status == "met" else explain.computed(ind, tuple(checks), raw)
    return _result(ind, status, values, tuple(checks), explanation=why)


def _attested(ind: AttestedIndicator, inputs: EvaluationInputs) -> IndicatorResult:
    """A yes answer counts only with evidence when the framework asks for it."""
    answer = inputs.attested.get(ind.code)
    if answer is None:
        return _result(ind, "no_data", explanation=explain.attested(ind, False, False))
    met = answer.met and (bool(answer.evidence) or not ind.evidence_required)
    why = None if met else explain.attested(ind, True, answer.met)
    return _result(
        ind,
        "met" if met else "unmet",
        {"answer": int(answer.met)},
        evidence=answer.evidence,
        explanation=why,
    )


def _entered(ind: EnteredLevelIndicator, inputs: EvaluationInputs) -> IndicatorResult:
    """A level entered from the universal-education system, compared with the required level."""
    level = inputs.entered_levels.get(ind.code)
    values = {"entered_level": level, "required_level": ind.required_level}
    if level is None:
        return _result(ind, "no_data", values, explanation=explain.entered(ind, None))
    met = level >= ind.required_level
    return _result(
        ind,
        "met" if met else "unmet",
        values,
        explanation=None if met else explain.entered(ind, level),
    )


def _children(ind: ChildrenShareIndicator, inputs: EvaluationInputs) -> IndicatorResult:
    """Share of child units recognised at the required level or higher, from counts."""
    levels = inputs.children_levels
    if not levels:
        return _result(ind, "no_data", explanation=explain.children(ind, 0, 0))
    count = sum(1 for lv in levels if lv >= ind.child_min_level)
    share = Fraction(100 * count, len(levels))
    met = share >= exact(ind.min_share)
    values = {
        "count": count,
        "total": len(levels),
        "share": _num(share),
        "min_share": ind.min_share,
        "child_min_level": ind.child_min_level,
    }
    return _result(
        ind,
        "met" if met else "unmet",
        values,
        explanation=None if met else explain.children(ind, count, len(levels)),
    )


def _previous(ind: PreviousYearIndicator, inputs: EvaluationInputs) -> IndicatorResult:
    """This year's measure compared with last year's (income, employment)."""
    current = inputs.current_values.get(ind.measure)
    before = inputs.previous_values.get(ind.measure)
    values = {"current": current, "previous": before}
    if current is None or before is None:
        return _result(ind, "no_data", values, explanation=explain.previous(ind, current, before))
    met = compare(exact(current), ind.compare, exact(before))
    return _result(
        ind,
        "met" if met else "unmet",
        values,
        explanation=None if met else explain.previous(ind, current, before),
    )


def _result(
    ind: Indicator,
    status: Status,
    values: Mapping[str, float | int | None] | None = None,
    checks: tuple[CheckResult, ...] = (),
    evidence: tuple[str, ...] = (),
    explanation: Text | None = None,
) -> IndicatorResult:
    """An IndicatorResult; level and criterion are filled in by the caller."""
    kind = str(type(ind).__struct_config__.tag)
    return IndicatorResult(
        0,
        "",
        ind.code,
        kind,
        ind.short,
        ind.source,
        status,
        values or {},
        checks,
        evidence,
        explanation,
    )


def evaluate_indicator(ind: Indicator, inputs: EvaluationInputs) -> IndicatorResult:
    """Evaluate one indicator of any kind (level and criterion left blank)."""
    if isinstance(ind, ComputedIndicator):
        return _computed(ind, inputs)
    if isinstance(ind, AttestedIndicator):
        return _attested(ind, inputs)
    if isinstance(ind, EnteredLevelIndicator):
        return _entered(ind, inputs)
    if isinstance(ind, ChildrenShareIndicator):
        return _children(ind, inputs)
    return _previous(ind, inputs)


def evaluate_level(level: CriteriaLevel, inputs: EvaluationInputs) -> LevelResult:
    """All criteria of one level with their indicators' results."""
    criteria = []
    for criterion in level.criteria:
        results = tuple(
            _place(evaluate_indicator(ind, inputs), level.level, criterion.code)
            for ind in criterion.indicators
        )
        status = combine([r.status for r in results])
        criteria.append(CriterionResult(criterion.code, criterion.title, status, results))
    not_met = tuple(r for c in criteria for r in c.indicators if r.status != "met")
    return LevelResult(
        level.level, level.label, combine([c.status for c in criteria]), tuple(criteria), not_met
    )


def _place(result: IndicatorResult, level: int, criterion: str) -> IndicatorResult:
    """The result with its level and criterion filled in."""
    return replace(result, level=level, criterion=criterion)


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
    levels = tuple(
        evaluate_level(lv, inputs) for lv in sorted(unit_criteria.levels, key=lambda lv: lv.level)
    )
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
