"""Shared builders of evaluation inputs for the criteria tests (no I/O)."""

from __future__ import annotations

from backend.core.criteria_results import Attestation, EvaluationInputs

ATTESTED = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3"]


def yes_to_all() -> dict[str, Attestation]:
    """Every yes/no indicator answered yes, with one evidence document each."""
    return {code: Attestation(True, (f"minh-chung-{code}",)) for code in ATTESTED}


def commune_inputs(
    citizens_recognized: int = 600,
    citizens_total: int = 1000,
    trained: int = 500,
    university: int = 120,
) -> EvaluationInputs:
    """A commune meeting every level-1 indicator unless the counts say otherwise."""
    return EvaluationInputs(
        totals={
            "citizens_total": citizens_total,
            "citizens_recognized": citizens_recognized,
            "trained_total": trained,
            "university_total": university,
        },
        attested=yes_to_all(),
        entered_levels={"4.1": 1, "4.2": 2, "4.3": 2, "4.4": 1},
    )


def district_inputs(children_levels: list[int]) -> EvaluationInputs:
    """A district meeting every indicator except, perhaps, the communes' share (4.1)."""
    return EvaluationInputs(
        attested=yes_to_all(),
        children_levels=children_levels,
        current_values={"income_per_head_vnd": 52_000_000, "employment_rate": 91.5},
        previous_values={"income_per_head_vnd": 48_000_000, "employment_rate": 90.0},
    )
