"""Plain frozen results of a criteria evaluation (the web layer converts them to JSON)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from shared_schema.text import Text

Status = Literal["met", "unmet", "no_data"]


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


@dataclass(frozen=True)
class CheckResult:
    """One threshold comparison of a computed indicator, with the counts behind it."""

    label: Text
    status: Status
    value: float | None
    compare: str
    threshold: float
    unit: str
    numerator: float | None
    denominator: float | None


@dataclass(frozen=True)
class IndicatorResult:
    """One chỉ tiêu at one level: met / unmet / no_data, the values used and why not met."""

    level: int
    criterion: str
    code: str
    kind: str
    short: Text
    source: str
    status: Status
    values: Mapping[str, float | int | None] = field(default_factory=dict)
    checks: tuple[CheckResult, ...] = ()
    evidence: tuple[str, ...] = ()
    explanation: Text | None = None


@dataclass(frozen=True)
class CriterionResult:
    """One tiêu chí at one level: met only when all its indicators are."""

    code: str
    title: Text
    status: Status
    indicators: tuple[IndicatorResult, ...]


@dataclass(frozen=True)
class LevelResult:
    """One mức độ: its own indicators' results and the ones not met (unmet or no data)."""

    level: int
    label: Text
    status: Status
    criteria: tuple[CriterionResult, ...]
    not_met: tuple[IndicatorResult, ...]


@dataclass(frozen=True)
class UnitEvaluation:
    """The evaluation of one unit for one year under one framework version.

    level_reached is the highest level L such that every indicator of levels 1..L is met (levels
    are cumulative), 0 when none; missing lists what keeps the unit from the next level.
    """

    framework_id: str
    framework_version: str
    unit_level: str
    year: int
    level_reached: int
    max_level: int
    next_level: int | None
    levels: tuple[LevelResult, ...]
    missing: tuple[IndicatorResult, ...]


def combine(statuses: Sequence[Status]) -> Status:
    """unmet if any is unmet, else no_data if any lacks data, else met."""
    if "unmet" in statuses:
        return "unmet"
    return "no_data" if "no_data" in statuses else "met"
