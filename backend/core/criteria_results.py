"""Inputs of a criteria evaluation (plain frozen dataclasses) and the result types it returns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from shared_schema.evaluation import CheckResult as CheckResult
from shared_schema.evaluation import CriterionResult as CriterionResult
from shared_schema.evaluation import IndicatorResult as IndicatorResult
from shared_schema.evaluation import LevelResult as LevelResult
from shared_schema.evaluation import Status as Status
from shared_schema.evaluation import UnitEvaluation as UnitEvaluation


@dataclass(frozen=True)
class Attestation:
    """A self-assessed yes/no answer with the ids of its evidence documents (minh chứng)."""

    met: bool
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvaluationInputs:
    """Everything an evaluation reads; each part is keyed as the framework names it.

    totals: summed tallies of the unit (backend.core.rollup.sum_tallies / merge_totals);
    attested and entered_levels: by indicator code ("1.1", "4.2"); children_levels: the
    recognised level of every direct child unit (0 = not recognised), None when unknown;
    current_values and previous_values: by measure code ("income_per_head_vnd").
    """

    totals: Mapping[str, int] = field(default_factory=dict)
    attested: Mapping[str, Attestation] = field(default_factory=dict)
    entered_levels: Mapping[str, int] = field(default_factory=dict)
    children_levels: Sequence[int] | None = None
    current_values: Mapping[str, float] = field(default_factory=dict)
    previous_values: Mapping[str, float] = field(default_factory=dict)


def combine(statuses: Sequence[Status]) -> Status:
    """unmet if any is unmet, else no_data if any lacks data, else met."""
    if "unmet" in statuses:
        return "unmet"
    return "no_data" if "no_data" in statuses else "met"
