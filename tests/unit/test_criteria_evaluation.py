"""Golden cases of the criteria evaluation: what a commune or district officer sees."""

from __future__ import annotations

import pytest

from backend.core.criteria_explain import evaluate_explained
from backend.core.criteria_results import Attestation, EvaluationInputs, UnitEvaluation
from backend.core.errors import NotFound
from shared_schema.framework_loader import load_framework
from tests.unit.criteria_inputs import commune_inputs, district_inputs, yes_to_all


def _indicator(evaluation: UnitEvaluation, level: int, code: str):  # type: ignore[no-untyped-def]
    """The result of one indicator at one level."""
    result = evaluation.levels[level - 1]
    return next(i for c in result.criteria for i in c.indicators if i.code == code)


def test_district_with_9_of_10_communes_at_level_1_meets_4_1() -> None:
    evaluation = evaluate_explained(
        load_framework(), "district", 2025, district_inputs([1] * 9 + [0])
    )
    assert _indicator(evaluation, 1, "4.1").status == "met"
    assert evaluation.level_reached == 1


def test_district_with_8_of_10_communes_at_level_1_fails_4_1() -> None:
    evaluation = evaluate_explained(
        load_framework(), "district", 2025, district_inputs([1] * 8 + [0, 0])
    )
    result = _indicator(evaluation, 1, "4.1")
    assert result.status == "unmet"
    assert evaluation.level_reached == 0
    assert result.explanation is not None
    assert result.explanation.vi == (
        "Chỉ tiêu 4.1: 8/10 xã, thị trấn đạt mức độ 1 trở lên (80%) < 90%"
    )
    assert [m.code for m in evaluation.missing] == ["4.1"]


def test_district_level_2_needs_communes_at_level_2() -> None:
    evaluation = evaluate_explained(
        load_framework(), "district", 2028, district_inputs([2] * 9 + [1])
    )
    assert evaluation.level_reached == 2
    lower = evaluate_explained(
        load_framework(), "district", 2028, district_inputs([2] * 8 + [1, 1])
    )
    assert lower.level_reached == 1
    assert lower.next_level == 2 and [m.code for m in lower.missing] == ["4.1"]


def test_commune_with_59_9_percent_learning_citizens_reaches_no_level() -> None:
    evaluation = evaluate_explained(load_framework(), "commune", 2025, commune_inputs(599, 1000))
    assert evaluation.level_reached == 0
    assert evaluation.next_level == 1
    [missing] = evaluation.missing
    assert missing.code == "5.1" and missing.status == "unmet"
    assert missing.explanation is not None
    assert missing.explanation.vi == "Chỉ tiêu 5.1: tỷ lệ công dân học tập 59,9% < 60%"
    assert missing.explanation.en == "Indicator 5.1: share of learning citizens 59.9% < 60%"
    assert missing.checks[0].numerator == 599 and missing.checks[0].denominator == 1000


def test_commune_with_60_percent_and_everything_else_met_reaches_level_1() -> None:
    evaluation = evaluate_explained(load_framework(), "commune", 2025, commune_inputs(600, 1000))
    assert evaluation.level_reached == 1
    assert evaluation.next_level == 2
    explanations = [m.explanation.vi for m in evaluation.missing if m.explanation]
    assert "Chỉ tiêu 5.1: tỷ lệ công dân học tập 60% < 70%" in explanations
    assert all(e.startswith("Chỉ tiêu ") for e in explanations)


def test_a_value_just_below_the_threshold_never_prints_as_the_threshold() -> None:
    evaluation = evaluate_explained(
        load_framework(), "commune", 2025, commune_inputs(59_999, 100_000)
    )
    assert evaluation.level_reached == 0
    assert evaluation.missing[0].explanation is not None
    assert "59,999% < 60%" in evaluation.missing[0].explanation.vi


def test_both_parts_of_5_2_are_checked() -> None:
    evaluation = evaluate_explained(
        load_framework(), "commune", 2025, commune_inputs(trained=500, university=119)
    )
    [missing] = evaluation.missing
    assert missing.code == "5.2"
    assert [c.status for c in missing.checks] == ["met", "unmet"]
    assert missing.explanation is not None
    assert "11,9% < 12%" in missing.explanation.vi


def test_yes_without_evidence_is_not_met_and_missing_answers_are_no_data() -> None:
    attested = yes_to_all()
    attested["1.1"] = Attestation(True, ())
    del attested["2.3"]
    base = commune_inputs()
    inputs = EvaluationInputs(base.totals, attested, base.entered_levels)
    evaluation = evaluate_explained(load_framework(), "commune", 2025, inputs)
    by_code = {m.code: m for m in evaluation.missing}
    assert by_code["1.1"].status == "unmet"
    assert by_code["1.1"].explanation is not None
    assert by_code["1.1"].explanation.vi.endswith("chưa có minh chứng")
    assert by_code["2.3"].status == "no_data"
    assert evaluation.level_reached == 0


def test_universal_education_level_below_requirement_is_explained() -> None:
    base = commune_inputs()
    inputs = EvaluationInputs(base.totals, base.attested, {**base.entered_levels, "4.3": 1})
    evaluation = evaluate_explained(load_framework(), "commune", 2025, inputs)
    [missing] = evaluation.missing
    assert missing.explanation is not None
    assert missing.explanation.vi == (
        "Chỉ tiêu 4.3 (phổ cập giáo dục trung học cơ sở): đạt mức độ 1, yêu cầu mức độ 2"
    )


def test_no_tallies_means_no_data_not_failure() -> None:
    inputs = EvaluationInputs(
        attested=yes_to_all(), entered_levels={"4.1": 1, "4.2": 2, "4.3": 2, "4.4": 1}
    )
    evaluation = evaluate_explained(load_framework(), "commune", 2025, inputs)
    assert {m.code: m.status for m in evaluation.missing} == {"5.1": "no_data", "5.2": "no_data"}


def test_income_not_higher_than_last_year_fails_4_2() -> None:
    base = district_inputs([1] * 10)
    inputs = EvaluationInputs(
        attested=base.attested,
        children_levels=base.children_levels,
        current_values={"income_per_head_vnd": 48_000_000, "employment_rate": 91.5},
        previous_values=base.previous_values,
    )
    evaluation = evaluate_explained(load_framework(), "district", 2025, inputs)
    [missing] = evaluation.missing
    assert missing.explanation is not None
    assert missing.explanation.vi == (
        "Chỉ tiêu 4.2: thu nhập bình quân đầu người (đồng) "
        "48.000.000 không tăng so với năm trước (48.000.000)"
    )


def test_unit_level_without_criteria_is_a_not_found_error() -> None:
    with pytest.raises(NotFound) as err:
        evaluate_explained(load_framework(), "village", 2025, EvaluationInputs())
    assert err.value.code == "criteria_not_defined"
