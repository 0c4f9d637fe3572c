"""Counted groups the seeds name: aged 15+, digital schools, IT centres, the week, funds."""

from __future__ import annotations

from backend.core.rollup import compute_rates, sum_tallies
from backend.core.tally_validation import validate_tally_values
from shared_schema.framework_loader import load_framework
from tests.factories import tally_values

FRAMEWORK = load_framework()
NEW_FIELDS = dict(
    population_total=1000,
    population_15_plus=800,
    schools_total=4,
    schools_digital=3,
    learning_centres_total=1,
    learning_centres_it=1,
    units_lifelong_week=4,
    scholarship_fund_vnd=25_000_000,
)


def rates_of(*tallies: dict[str, int]) -> dict[str, float | None]:
    """Every framework rate over the summed tallies."""
    totals = sum_tallies(tallies)
    return {r.code: r.value for r in compute_rates(FRAMEWORK.tally.rates, totals)}


def test_a_tally_from_before_the_new_groups_stays_valid_and_has_no_such_rates():
    clean, problems = validate_tally_values(FRAMEWORK, tally_values())
    assert problems == []
    rates = rates_of(clean)
    assert rates["trained_15_plus_rate"] is None and rates["scholarship_fund_per_person"] is None


def test_the_new_groups_give_the_rates_the_seeds_set_targets_in():
    village_a = tally_values(**NEW_FIELDS)
    village_b = tally_values(**{**NEW_FIELDS, "schools_digital": 1, "learning_centres_it": 0})
    for values in (village_a, village_b):
        assert validate_tally_values(FRAMEWORK, values)[1] == []
    rates = rates_of(village_a, village_b)
    assert rates["trained_15_plus_rate"] == 25.0  # 400 of 1 600 aged 15+ (seed 000: 20%)
    assert rates["university_15_plus_rate"] == 6.0  # 96 of 1 600 (seed 000: 6%)
    assert rates["schools_digital_rate"] == 50.0  # 4 of 8 (seed 000: 55%)
    assert rates["learning_centres_it_rate"] == 50.0  # 1 of 2 (seed 000: 50%)
    assert rates["units_lifelong_week_rate"] == 100.0  # 8 of 8 (seed 000: 100%)
    assert rates["scholarship_fund_per_person"] == 25_000.0  # đồng per inhabitant (seed 002)


def test_the_new_groups_keep_their_order_rules():
    values = tally_values(**{**NEW_FIELDS, "schools_digital": 5, "population_15_plus": 100})
    codes = {p.code for p in validate_tally_values(FRAMEWORK, values)[1]}
    assert codes == {"schools_order", "trained_15_plus_order"}
