"""One-line Vietnamese and English explanations of an indicator that is not met."""

from __future__ import annotations

from backend.core.criteria_eval import evaluate_unit
from backend.core.criteria_results import (
    CheckResult,
    EvaluationInputs,
    IndicatorResult,
    LevelResult,
    UnitEvaluation,
)
from backend.core.formula import NEGATED
from backend.core.numbers import fmt, fmt_close
from shared_schema.criteria import (
    AttestedIndicator,
    ChildrenShareIndicator,
    ComputedIndicator,
    EnteredLevelIndicator,
    Indicator,
    IndicatorBase,
    PreviousYearIndicator,
    UnitCriteria,
)
from shared_schema.evaluation import replaced
from shared_schema.framework import Framework
from shared_schema.text import Text


def _prefix(ind: IndicatorBase, detail: Text, name: bool = True) -> Text:
    """ "Chỉ tiêu 5.1 (short): detail" — the indicator is always named."""
    vi = f"Chỉ tiêu {ind.code} ({ind.short.vi})" if name else f"Chỉ tiêu {ind.code}"
    en = f"Indicator {ind.code} ({ind.short.en})" if name else f"Indicator {ind.code}"
    return Text(vi=f"{vi}: {detail.vi}", en=f"{en}: {detail.en}")


def computed(ind: IndicatorBase, checks: tuple[CheckResult, ...]) -> Text:
    """ "Chỉ tiêu 5.1: tỷ lệ công dân học tập 59,9% < 60%" for every failing check."""
    vi: list[str] = []
    en: list[str] = []
    for check in checks:
        if check.status == "met":
            continue
        value = check.value
        if value is None:
            vi.append(f"chưa có số liệu để tính {check.label.vi}")
            en.append(f"no data to compute the {check.label.en}")
            continue
        limit = check.threshold
        op, unit = NEGATED[check.compare], check.unit
        vi.append(
            f"{check.label.vi} {fmt_close(value, limit, 'vi')}{unit} {op} {fmt(limit, 'vi')}{unit}"
        )
        en.append(
            f"{check.label.en} {fmt_close(value, limit, 'en')}{unit} {op} {fmt(limit, 'en')}{unit}"
        )
    return _prefix(ind, Text(vi="; ".join(vi), en="; ".join(en)), name=False)


def attested(ind: AttestedIndicator, answered: bool, met: bool) -> Text:
    """Why a yes/no indicator is not met: not assessed, assessed as not met, or no evidence."""
    if not answered:
        return _prefix(ind, Text(vi="chưa tự đánh giá", en="not yet assessed"))
    if not met:
        return _prefix(ind, Text(vi="tự đánh giá chưa đạt", en="self-assessed as not met"))
    return _prefix(ind, Text(vi="chưa có minh chứng", en="no evidence attached"))


def entered(ind: EnteredLevelIndicator, level: int | None) -> Text:
    """Why a universal-education level falls short of the required one."""
    if level is None:
        return _prefix(
            ind,
            Text(vi=f"chưa nhập mức độ ({ind.scale.vi})", en=f"level not entered ({ind.scale.en})"),
        )
    return _prefix(
        ind,
        Text(
            vi=f"đạt mức độ {level}, yêu cầu mức độ {ind.required_level}",
            en=f"level {level} reached, level {ind.required_level} required",
        ),
    )


def children(ind: ChildrenShareIndicator, count: int, total: int) -> Text:
    """ "8/10 xã đạt mức độ 1 trở lên (80%) < 90%"."""
    if total == 0:
        return _prefix(
            ind,
            Text(
                vi=f"chưa có danh sách {ind.child_label.vi}", en=f"no {ind.child_label.en} listed"
            ),
        )
    share = 100 * count / total
    limit = ind.min_share
    lv = ind.child_min_level
    return _prefix(
        ind,
        Text(
            vi=f"{count}/{total} {ind.child_label.vi} đạt mức độ {lv} trở lên "
            f"({fmt_close(share, limit, 'vi')}%) < {fmt(limit, 'vi')}%",
            en=f"{count}/{total} {ind.child_label.en} at level {lv} or higher "
            f"({fmt_close(share, limit, 'en')}%) < {fmt(limit, 'en')}%",
        ),
        name=False,
    )


def previous(ind: PreviousYearIndicator, current: float | None, before: float | None) -> Text:
    """Why a measure did not improve on the previous year (or which year's figure is missing)."""
    label = ind.measure_label
    if current is None or before is None:
        return _prefix(
            ind,
            Text(
                vi=f"thiếu số liệu {label.vi} năm nay hoặc năm trước",
                en=f"{label.en} missing for this year or last year",
            ),
        )
    verb_vi = {">": "không tăng so với", ">=": "giảm so với"}.get(
        ind.compare, f"không {ind.compare}"
    )
    verb_en = {">": "is not higher than", ">=": "is lower than"}.get(
        ind.compare, f"is not {ind.compare}"
    )
    return _prefix(
        ind,
        Text(
            vi=f"{label.vi} {fmt(current, 'vi')} {verb_vi} năm trước ({fmt(before, 'vi')})",
            en=f"{label.en} {fmt(current, 'en')} {verb_en} last year ({fmt(before, 'en')})",
        ),
        name=False,
    )


def _number(values: dict[str, float | int | None], key: str) -> float | None:
    """A value the evaluator recorded, or None."""
    value = values.get(key)
    return None if value is None else float(value)


def why(ind: Indicator, result: IndicatorResult) -> Text | None:
    """The explanation of a result not met, rebuilt from what the evaluator recorded."""
    if result.status == "met":
        return None
    values = result.values
    if isinstance(ind, ComputedIndicator):
        return computed(ind, result.checks)
    if isinstance(ind, AttestedIndicator):
        return attested(ind, "answer" in values, bool(values.get("answer")))
    if isinstance(ind, EnteredLevelIndicator):
        level = values.get("entered_level")
        return entered(ind, None if level is None else int(level))
    if isinstance(ind, ChildrenShareIndicator):
        return children(ind, int(values.get("count") or 0), int(values.get("total") or 0))
    if isinstance(ind, PreviousYearIndicator):
        return previous(ind, _number(values, "current"), _number(values, "previous"))
    return None


def with_explanations(criteria: UnitCriteria, evaluation: UnitEvaluation) -> UnitEvaluation:
    """The evaluation with every result not met explained: built only for what is shown.

    Evaluating thousands of units for a roll-up never needs the sentences; a screen or a report
    showing one unit does. Results shared between levels stay shared (explained once).
    """
    explained: dict[int, IndicatorResult] = {}

    def one(ind: Indicator, result: IndicatorResult) -> IndicatorResult:
        key = id(result)
        if key not in explained:
            text = why(ind, result)
            explained[key] = result if text is None else replaced(result, explanation=text)
        return explained[key]

    levels = []
    for level, spec in zip(
        evaluation.levels, sorted(criteria.levels, key=lambda lv: lv.level), strict=True
    ):
        crits = tuple(
            replaced(
                crit,
                indicators=tuple(
                    one(ind, res) for ind, res in zip(c.indicators, crit.indicators, strict=True)
                ),
            )
            for crit, c in zip(level.criteria, spec.criteria, strict=True)
        )
        levels.append(
            LevelResult(
                level.level,
                level.label,
                level.status,
                crits,
                tuple(explained.get(id(r), r) for r in level.not_met),
            )
        )
    missing = tuple(explained.get(id(r), r) for r in evaluation.missing)
    return replaced(evaluation, levels=tuple(levels), missing=missing)


def evaluate_explained(
    framework: Framework, unit_level: str, year: int, inputs: EvaluationInputs
) -> UnitEvaluation:
    """Evaluate one unit and explain what it misses: what a screen or report shows."""
    evaluation = evaluate_unit(framework, unit_level, year, inputs)
    criteria = framework.criteria_for(unit_level)
    return evaluation if criteria is None else with_explanations(criteria, evaluation)
