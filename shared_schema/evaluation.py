"""Results of a criteria evaluation: frozen msgspec Structs, ready to send as JSON.

backend.core.criteria_eval builds them (pure); the web layer can return them as they are.
Structs rather than dataclasses because evaluating 10,000 communes builds ~400,000 of them: a
frozen dataclass costs ~10× more to construct, and gc=False (safe: results hold no cycles) keeps
the cyclic garbage collector from rescanning them all, which otherwise tripled the run time.
"""

from __future__ import annotations

from typing import Literal, TypeVar

import msgspec

from shared_schema.text import Text

Status = Literal["met", "unmet", "no_data"]


class CheckResult(msgspec.Struct, frozen=True, gc=False):
    """One threshold comparison of a computed indicator, with the counts behind it (value is
    unrounded: the UI formats it; explanations never print it equal to a threshold it missed)."""

    label: Text
    status: Status
    value: float | None
    compare: str
    threshold: float
    unit: str
    numerator: float | None
    denominator: float | None


class IndicatorResult(msgspec.Struct, frozen=True, gc=False):
    """One chỉ tiêu: met / unmet / no_data, the values used and why not (same at every level
    whose table repeats it unchanged; the enclosing LevelResult gives the level)."""

    criterion: str
    code: str
    kind: str
    short: Text
    source: str
    status: Status
    values: dict[str, float | int | None] = msgspec.field(default_factory=dict)
    checks: tuple[CheckResult, ...] = ()
    evidence: tuple[str, ...] = ()
    explanation: Text | None = None


class CriterionResult(msgspec.Struct, frozen=True, gc=False):
    """One tiêu chí at one level: met only when all its indicators are."""

    code: str
    title: Text
    status: Status
    indicators: tuple[IndicatorResult, ...]


class LevelResult(msgspec.Struct, frozen=True, gc=False):
    """One mức độ: its own indicators' results and the ones not met (unmet or no data)."""

    level: int
    label: Text
    status: Status
    criteria: tuple[CriterionResult, ...]
    not_met: tuple[IndicatorResult, ...]


class UnitEvaluation(msgspec.Struct, frozen=True, gc=False):
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


StructT = TypeVar("StructT", bound=msgspec.Struct)


def replaced(struct: StructT, **changes: object) -> StructT:
    """A copy of a result with some fields changed (the core layer adds explanations so)."""
    return msgspec.structs.replace(struct, **changes)
