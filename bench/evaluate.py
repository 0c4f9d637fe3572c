"""How long evaluating 10,000 communes takes (target: under 1 s in total). Prints the figures."""

from __future__ import annotations

import random
import time
import timeit

from backend.core.criteria_eval import evaluate_unit
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
    start = time.perf_counter()
    results = [evaluate_unit(framework, "commune", 2025, i) for i in inputs]
    elapsed = time.perf_counter() - start
    reached = {lv: sum(1 for r in results if r.level_reached == lv) for lv in (0, 1, 2)}
    print(
        f"evaluated {COMMUNES} communes in {elapsed:.3f} s "
        f"({elapsed / COMMUNES * 1e6:.0f} µs each; target < 1 s total)"
    )
    print(f"levels reached: {reached}")
    calibration = timeit.timeit("sum(range(1000))", number=10_000)
    print(
        f"machine check: sum(range(1000)) x 10,000 = {calibration:.3f} s "
        "(a load gauge: it rises with the machine's load, and so does the figure above)"
    )


if __name__ == "__main__":
    main()
