"""Framework data of the plan figures: standards and their scales, shares, source tags."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.core.errors import InvalidInput
from backend.core.rollup import merge_totals
from backend.core.standards import check_level, level_table, share_rates, subtree_counts
from shared_schema.framework_loader import load_framework

FRAMEWORK = load_framework()


def test_level_2_commune_criteria_1_to_3_are_marked_inferred():
    level_2 = FRAMEWORK.criteria["commune"].level(2)
    assert level_2 is not None
    sources = {i.code: i.source for c, i in level_2.indicators() if c.code in ("1", "2", "3")}
    assert len(sources) == 9 and set(sources.values()) == {"inferred"}
    level_1 = FRAMEWORK.criteria["commune"].level(1)
    assert level_1 is not None
    assert {i.source for c, i in level_1.indicators() if c.code in "123"} == {"seed 004"}


def test_the_self_assessment_levels_4_1_to_4_4_take_the_standards_scales():
    linked = {s.indicator: (s.code, s.max_level) for s in FRAMEWORK.standards.items if s.indicator}
    assert linked == {
        "4.1": ("preschool_5", 1),
        "4.2": ("primary", 3),
        "4.3": ("lower_secondary", 3),
        "4.4": ("literacy", 2),
    }
    with pytest.raises(InvalidInput) as refused:
        check_level(FRAMEWORK.standards, "literacy", 7)
    assert refused.value.code == "standard_level_out_of_scale"


def test_counts_per_level_and_shares_follow_from_the_levels():
    spec = FRAMEWORK.standards
    totals = subtree_counts(spec, [{"literacy": 2}, {"literacy": 1}, {"literacy": 0}, {}])
    rows = {(r.standard, r.level): r for r in level_table(spec, totals)}
    assert [(rows["literacy", n].exactly, rows["literacy", n].at_least) for n in (0, 1, 2)] == [
        (1, 3),
        (1, 2),
        (1, 1),
    ]
    assert rows["literacy", 2].share == 33.33 and rows["primary", 1].share is None
    codes = [r.code for r in share_rates(spec)]
    assert "literacy_level_2_share" in codes and "literacy_level_3_share" not in codes
    assert "learning_community_level_2_share" in codes


def test_a_recognition_counts_in_its_own_year_only_by_default():
    assert FRAMEWORK.recognition_valid_years == 1


levels = st.dictionaries(
    st.sampled_from(["literacy", "primary", "lower_secondary", "preschool_5"]),
    st.integers(min_value=0, max_value=3),
)


@given(st.lists(levels, max_size=30), st.lists(levels, max_size=30))
def test_counts_add_up_across_parts_and_levels_partition_the_communes(left, right):
    spec = FRAMEWORK.standards
    capped = [
        {k: min(v, spec.get(k).max_level) for k, v in one.items()}  # type: ignore[union-attr]
        for one in left + right
    ]
    whole = subtree_counts(spec, capped)
    assert whole == merge_totals(
        [subtree_counts(spec, capped[: len(left)]), subtree_counts(spec, capped[len(left) :])]
    )
    for item in spec.items:
        rows = [r for r in level_table(spec, whole) if r.standard == item.code]
        assert sum(r.exactly for r in rows) == rows[0].units
        at_least = [r.at_least for r in rows]
        assert at_least == sorted(at_least, reverse=True)
