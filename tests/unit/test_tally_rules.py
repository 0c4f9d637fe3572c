"""Pure tally rules: validation from framework data, jump flags, roll-up sums."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from backend.core.rollup import compute_rates, merge_totals, sum_tallies
from backend.core.tally_flags import jump_flags
from backend.core.tally_validation import validate_tally_values
from shared_schema.framework_loader import load_framework
from tests.factories import tally_values

FRAMEWORK = load_framework()


def test_a_consistent_tally_passes_and_optional_fields_may_be_left_out():
    clean, problems = validate_tally_values(FRAMEWORK, tally_values())
    assert problems == [] and clean == tally_values()


def test_optional_fields_are_checked_when_present():
    values = tally_values(working_age_total=100, info_skills_total=150)
    _, problems = validate_tally_values(FRAMEWORK, values)
    assert [(p.field, p.code) for p in problems] == [("info_skills_total", "info_skills_order")]


def test_jump_flags_need_a_tenfold_change_and_a_meaningful_size():
    rule = FRAMEWORK.tally.jump_flag
    assert jump_flags(rule, {"a": 10}, {"a": 100})[0].field == "a"
    assert jump_flags(rule, {"a": 10}, {"a": 99}) == []
    assert jump_flags(rule, {"a": 100}, {"a": 10})[0].previous == 100
    assert jump_flags(rule, {"a": 1}, {"a": 3}) == []  # too small to mean anything
    assert jump_flags(rule, None, {"a": 3}) == []


counts = st.integers(min_value=0, max_value=10_000)
tallies = st.lists(
    st.dictionaries(
        st.sampled_from(["citizens_total", "citizens_recognized", "trained_total"]), counts
    ),
    max_size=12,
)


@given(tallies, st.randoms())
def test_sums_and_rates_do_not_depend_on_order_or_grouping(values, rnd):
    whole = sum_tallies(values)
    shuffled = list(values)
    rnd.shuffle(shuffled)
    cut = rnd.randint(0, len(shuffled))
    grouped = merge_totals([sum_tallies(shuffled[:cut]), sum_tallies(shuffled[cut:])])
    assert {k: v for k, v in grouped.items() if v} == {k: v for k, v in whole.items() if v}
    assert compute_rates(FRAMEWORK.tally.rates, grouped) == compute_rates(
        FRAMEWORK.tally.rates, whole
    )


def _first_decrease(chain: list[str], values: dict[str, int]) -> str | None:
    """The reference reading of an order rule: the first present link above the next present."""
    present = [code for code in chain if code in values]
    for smaller, larger in pairwise(present):
        if values[smaller] > values[larger]:
            return smaller
    return None


@given(st.data())
def test_an_order_rule_names_the_first_link_that_exceeds_the_next_present_one(data):
    rule = data.draw(st.sampled_from(FRAMEWORK.tally.order_rules))
    drawn = data.draw(st.lists(st.sampled_from(rule.chain), unique=True))
    values = {**tally_values(), **{code: data.draw(st.integers(0, 50)) for code in drawn}}
    _, problems = validate_tally_values(FRAMEWORK, values)
    named = [p.field for p in problems if p.code == rule.code]
    expected = _first_decrease(rule.chain, values)
    assert named == ([expected] if expected else [])
