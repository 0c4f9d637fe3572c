"""How long evaluating 10,000 communes takes (target: under 0.3 s in total). Prints the figures.

Explanations of what is missing are built only for what a screen shows (`with_explanations`),
so the figure is the evaluation a roll-up runs; one explained unit is timed beside it.
"""

from __future__ import annotations

import random
import time
import timeit

from backend.core.criteria_eval import evaluate_unit
from backend.core.criteria_explain import with_explanations
from backend.core.criteria_results import Attestation, EvaluationInputs
from shared_schema.framework_loader import load_framework

COMMUNES = 10_000
ATTESTED = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3"]


def _inputs(rng: random.Random) -> EvaluationInputs:
    """A plausible commune: random counts, mostly-yes answers, random universal-education levels."""
    total = rng.randint(800, 12_000)
    trained = rng.randint(total // 3, total)
    return EvaluationInputs(
        totals={
            "citizens_total": total,
            "citizens_recognized": rng.randint(0, total),
            "trained_total": trained,
            "university_total": rng.randint(0, trained // 3),
        },
        attested={c: Attestation(rng.random() < 0.95, ("doc",)) for c in ATTESTED},
        entered_levels={
            "4.1": 1,
            "4.2": rng.randint(1, 3),
            "4.3": rng.randint(1, 3),
            "4.4": rng.randint(1, 2),
        },
    )


def main() -> None:
    """Build inputs first, then time only the evaluations."""
    framework = load_framework()
    rng = random.Random(2025)
    inputs = [_inputs(rng) for _ in range(COMMUNES)]
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        results = [evaluate_unit(framework, "commune", 2025, i) for i in inputs]
        runs.append(time.perf_counter() - start)
    elapsed = min(runs)
    criteria = framework.criteria_for("commune")
    assert criteria is not None
    start = time.perf_counter()
    for result in results[:100]:
        with_explanations(criteria, result)
    explain_us = (time.perf_counter() - start) / 100 * 1e6
    reached = {lv: sum(1 for r in results if r.level_reached == lv) for lv in (0, 1, 2)}
    print(
        f"evaluated {COMMUNES} communes in {elapsed:.3f} s "
        f"({elapsed / COMMUNES * 1e6:.0f} µs each; best of 3; target < 0.3 s total)"
    )
    print(f"explaining one unit for a screen: {explain_us:.0f} µs")
    print(f"levels reached: {reached}")
    calibration = timeit.timeit("sum(range(1000))", number=10_000)
    print(
        f"machine check: sum(range(1000)) x 10,000 = {calibration:.3f} s "
        "(a load gauge: it rises with the machine's load, and so does the figure above; "
        f"evaluation / gauge = {elapsed / calibration:.1f}, about 0.09 s on a quiet machine here)"
    )


if __name__ == "__main__":
    main()
