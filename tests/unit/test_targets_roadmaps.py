"""Targets from CSV, progress against them, and roadmaps that cannot add up (seeds 000, 003)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.core.errors import InvalidInput
from backend.core.roadmaps import infeasible_roadmaps, planned_level
from backend.core.targets import Target, parse_targets_csv, progress
from shared_schema.framework_loader import load_framework

FIXTURES = Path(__file__).parents[2] / "shared_schema" / "fixtures"
RATES = [r.code for r in load_framework().tally.rates]


def _dak_glei() -> list[Target]:
    """Seed 003's roadmap as packaged."""
    text = (FIXTURES / "roadmap-kontum-dakglei.csv").read_text(encoding="utf-8")
    return parse_targets_csv(text, RATES)


def test_dak_glei_roadmap_fixture_follows_seed_003() -> None:
    targets = _dak_glei()
    communes = {t.unit_code for t in targets} - {"610"}
    assert len(communes) == 12
    assert planned_level(targets, "23368", 2025) == 1  # Đắk Long
    assert planned_level(targets, "23368", 2028) == 2
    assert planned_level(targets, "23362", 2025) == 0  # Mường Hoong: after 2025
    assert planned_level(targets, "23362", 2026) == 1
    assert planned_level(targets, "23365", 2029) == 2  # Ngọc Linh


def test_dak_glei_district_roadmap_is_infeasible_under_criterion_4_1() -> None:
    targets = _dak_glei()
    communes = sorted({t.unit_code for t in targets} - {"610"})
    levels = {"610": "district", **dict.fromkeys(communes, "commune")}
    problems = infeasible_roadmaps(load_framework(), targets, levels, {"610": communes})
    assert [(p.unit_code, p.year, p.indicator, p.planned, p.children) for p in problems] == [
        ("610", 2025, "4.1", 10, 12),
        ("610", 2028, "4.1", 10, 12),
    ]
    assert problems[1].child_min_level == 2
    assert "10/12" in problems[0].explanation.vi and "90%" in problems[0].explanation.en


def test_roadmap_with_enough_children_is_feasible() -> None:
    kids = [f"c{i}" for i in range(10)]
    targets = [Target("d", 2025, 1)] + [
        Target(k, 2024 if i else 2026, 1) for i, k in enumerate(kids)
    ]
    levels = {"d": "district", **dict.fromkeys(kids, "commune")}
    assert infeasible_roadmaps(load_framework(), targets, levels, {"d": kids}) == []


def test_bac_quang_2024_targets_from_seed_000() -> None:
    text = (FIXTURES / "targets-hagiang-bacquang-2024.csv").read_text(encoding="utf-8")
    [target] = parse_targets_csv(text, RATES)
    assert target.unit_name == "Huyện Bắc Quang" and target.year == 2024
    assert target.target_level is None
    assert target.rates == {
        "citizens_recognized_rate": 35,
        "families_recognized_rate": 85,
        "clans_recognized_rate": 76,
        "info_skills_rate": 40,
        "life_skills_rate": 40,
        "trained_rate": 20,
        "university_rate": 6,
    }


def test_progress_reports_gaps_in_levels_and_rate_points() -> None:
    target = Target(
        "034", 2024, 1, {"citizens_recognized_rate": 35, "families_recognized_rate": 85}
    )
    result = progress(
        target, 0, {"citizens_recognized_rate": 31.5, "families_recognized_rate": 90.0}
    )
    assert result.level_gap == 1
    assert result.rate_gaps == {"citizens_recognized_rate": 3.5, "families_recognized_rate": -5}
    assert result.behind
    ahead = progress(target, 1, {"citizens_recognized_rate": 36, "families_recognized_rate": 85})
    assert not ahead.behind and ahead.level_gap == 0


def test_progress_without_actual_rate_has_unknown_gap_and_counts_as_behind() -> None:
    result = progress(Target("x", 2025, None, {"trained_rate": 20}), 0, {})
    assert result.rate_gaps == {"trained_rate": None} and result.behind


def test_csv_accepts_decimal_comma_and_bom() -> None:
    text = '\ufeffunit_code,year,target_level,citizens_recognized_rate\n23341,2025,1,"40,5"\n'
    [target] = parse_targets_csv(text, RATES)
    assert target.rates == {"citizens_recognized_rate": 40.5}


def test_bad_csv_lists_every_problem_with_row_and_column() -> None:
    text = (
        "unit_code,year,target_level,citizens_recognized_rate\n"
        "23341,năm,1,40\n"
        "23344,2025,x,140\n"
        "23347,2025,1,40\n"
        "23347,2025,2,50\n"
    )
    with pytest.raises(InvalidInput) as err:
        parse_targets_csv(text, RATES)
    fields = [(e.field, e.code) for e in err.value.errors]
    assert fields == [
        ("row 2.year", "not_integer"),
        ("row 3.target_level", "not_level"),
        ("row 3.citizens_recognized_rate", "not_percent"),
        ("row 5.unit_code", "duplicate"),
    ]
    assert err.value.errors[0].message_vi.startswith("Dòng 2, cột year")


def test_unknown_or_missing_columns_are_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_targets_csv("unit_code,target_level,happiness_rate\n", RATES)
    assert {(e.field, e.code) for e in err.value.errors} == {
        ("row 1.year", "missing_column"),
        ("row 1.happiness_rate", "unknown_column"),
    }
