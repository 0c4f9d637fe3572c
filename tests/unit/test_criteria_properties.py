"""Invariants of the evaluation: more achievement never lowers a level; sums are order-free."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.core.criteria_eval import evaluate_unit
from backend.core.criteria_results import EvaluationInputs
from backend.core.rollup import compute_rates, merge_totals, sum_tallies
from shared_schema.framework_loader import load_framework
from tests.unit.criteria_inputs import yes_to_all

FIELDS = ["citizens_total", "citizens_recognized", "trained_total", "university_total"]


@st.composite
def commune_counts(draw: st.DrawFn) -> dict[str, int]:
    """Consistent commune totals: recognised, trained ≤ citizens; university ≤ trained."""
    total = draw(st.integers(1, 5000))
    trained = draw(st.integers(0, total))
    return {
        "citizens_total": total,
        "citizens_recognized": draw(st.integers(0, total)),
        "trained_total": trained,
        "university_total": draw(st.integers(0, trained)),
    }


def _level(totals: dict[str, int], entered: dict[str, int]) -> int:
    """The level a commune reaches with these totals and universal-education levels."""
    inputs = EvaluationInputs(totals=totals, attested=yes_to_all(), entered_levels=entered)
    return evaluate_unit(load_framework(), "commune", 2025, inputs).level_reached


entered_levels = st.fixed_dictionaries(
    {
        "4.1": st.integers(0, 1),
        "4.2": st.integers(0, 3),
        "4.3": st.integers(0, 3),
        "4.4": st.integers(0, 2),
    }
)


@settings(max_examples=150, deadline=None)
@given(
    counts=commune_counts(),
    entered=entered_levels,
    field=st.sampled_from(["citizens_recognized", "trained_total", "university_total"]),
    step=st.integers(1, 5000),
    bump=st.sampled_from(["4.1", "4.2", "4.3", "4.4"]),
)
def test_raising_a_count_or_a_level_towards_its_target_never_lowers_the_level(
    counts: dict[str, int], entered: dict[str, int], field: str, step: int, bump: str
) -> None:
    before = _level(counts, entered)
    raised = dict(counts)
    raised[field] = min(counts["citizens_total"], counts[field] + step)
    if field == "university_total":
        raised["trained_total"] = max(raised["trained_total"], raised[field])
    assert _level(raised, entered) >= before
    assert _level(counts, {**entered, bump: entered[bump] + 1}) >= before


tally = st.fixed_dictionaries({f: st.integers(0, 500) for f in FIELDS})


@settings(max_examples=100, deadline=None)
@given(tallies=st.lists(tally, min_size=1, max_size=12), data=st.data())
def test_summing_tallies_in_any_order_or_grouping_gives_the_same_rates_and_level(
    tallies: list[dict[str, int]], data: st.DataObject
) -> None:
    order = data.draw(st.permutations(tallies))
    cut = data.draw(st.integers(0, len(order)))
    grouped = merge_totals([sum_tallies(order[:cut]), sum_tallies(order[cut:])])
    flat = sum_tallies(tallies)
    assert grouped == flat
    rates = load_framework().tally.rates
    assert compute_rates(rates, grouped) == compute_rates(rates, flat)
    entered = {"4.1": 1, "4.2": 2, "4.3": 2, "4.4": 1}
    assert _level(grouped, entered) == _level(flat, entered)
