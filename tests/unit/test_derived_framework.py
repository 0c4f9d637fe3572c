"""Derived provincial frameworks: overrides apply to the province's subtree, and only there."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.core.criteria_eval import evaluate_unit
from shared_schema.derived_framework import (
    apply_overlay,
    framework_in_force,
    load_overlay_file,
    parse_overlay,
)
from shared_schema.framework import Framework
from shared_schema.framework_loader import FrameworkLoadError, load_framework
from tests.unit.criteria_inputs import commune_inputs

KON_TUM = """
id: kon-tum-2025
version: "2025.1"
extends: vn-tt25-2023
applies_to: "62"
valid_from_year: 2025
title: {vi: "Khung Kon Tum", en: "Kon Tum framework"}
overrides:
  - {unit_level: commune, level: 1, indicator: "5.1", threshold: 65}
  - {unit_level: commune, level: 1, indicator: "5.2", check: 1, threshold: 10}
"""


def _kon_tum() -> Framework:
    """The base framework with Kon Tum's overlay applied."""
    return apply_overlay(load_framework(), parse_overlay(KON_TUM, "kon-tum.yaml"))


def test_overlay_changes_only_the_named_thresholds() -> None:
    derived = _kon_tum()
    level = derived.criteria["commune"].level(1)
    assert level is not None
    by_code = dict((i.code, i) for _, i in level.indicators())
    assert [c.threshold for c in by_code["5.1"].checks] == [65]  # type: ignore[union-attr]
    assert [c.threshold for c in by_code["5.2"].checks] == [50, 10]  # type: ignore[union-attr]
    assert by_code["5.1"].source == "seed 004; overridden"
    base_level_2 = load_framework().criteria["commune"].level(2)
    assert derived.criteria["commune"].level(2) == base_level_2
    assert (derived.id, derived.extends, derived.applies_to) == (
        "kon-tum-2025",
        "vn-tt25-2023",
        "62",
    )


def test_framework_in_force_picks_nearest_ancestor_then_national() -> None:
    base, derived = load_framework(), _kon_tum()
    frameworks = [base, derived]
    assert framework_in_force(frameworks, ["23341", "610", "62"], 2025) is derived
    assert framework_in_force(frameworks, ["01363", "045", "04"], 2025) is base
    assert framework_in_force(frameworks, ["23341", "610", "62"], 2024) is base
    assert framework_in_force(frameworks, ["23341"], 2020) is None


def test_overlay_for_unknown_indicator_names_file_and_path() -> None:
    text = KON_TUM.replace('indicator: "5.1"', 'indicator: "9.9"')
    with pytest.raises(FrameworkLoadError, match=r"kon-tum.yaml: \$\.overrides\[0\]\.indicator"):
        apply_overlay(load_framework(), parse_overlay(text, "kon-tum.yaml"), "kon-tum.yaml")


def test_broken_overlay_file_names_file_and_path(tmp_path: Path) -> None:
    file = tmp_path / "kon-tum.yaml"
    file.write_text(KON_TUM.replace("threshold: 65", "threshold: [65]"), encoding="utf-8")
    with pytest.raises(FrameworkLoadError) as err:
        load_overlay_file(file, {"vn-tt25-2023": load_framework()})
    assert str(file) in str(err.value) and "$.overrides[0].threshold" in str(err.value)


ANCESTRIES = {"kon-tum": ["23341", "610", "62"], "cao-bang": ["01363", "045", "04"]}


@settings(max_examples=60, deadline=None)
@given(
    recognized=st.integers(0, 1000),
    university=st.integers(0, 500),
    place=st.sampled_from(sorted(ANCESTRIES)),
)
def test_derived_threshold_changes_only_that_provinces_units(
    recognized: int, university: int, place: str
) -> None:
    base, derived = load_framework(), _kon_tum()
    inputs = commune_inputs(recognized, 1000, trained=600, university=university)
    chosen = framework_in_force([base, derived], ANCESTRIES[place], 2025)
    assert chosen is not None
    result = evaluate_unit(chosen, "commune", 2025, inputs)
    national = evaluate_unit(base, "commune", 2025, inputs)
    if place == "cao-bang":
        assert result == national
    else:
        expected = int(recognized >= 650 and university >= 100)
        assert result.level_reached == expected
