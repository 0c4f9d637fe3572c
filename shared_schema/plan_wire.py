"""Wire types of the plan figures: communes' standard levels, shares, period plans, mergers."""

from __future__ import annotations

from datetime import date

import msgspec

from shared_schema.wire import RateValue


class StandardLevelsIn(msgspec.Struct, forbid_unknown_fields=True):
    """Levels of some standards for one commune and year: reached (actual) or planned."""

    levels: dict[str, int]
    basis: str = "actual"


class StandardLevelsView(msgspec.Struct):
    """A commune's stored levels for a year and basis."""

    unit: str
    year: int
    basis: str
    levels: dict[str, int]


class LevelCountView(msgspec.Struct):
    """Communes of a standard at one level: exactly there, at it or above, counted, share (%)."""

    standard: str
    label_vi: str
    label_en: str
    level: int
    level_vi: str
    level_en: str
    exactly: int
    at_least: int
    units: int
    share: float | None


class UnitShares(msgspec.Struct):
    """The standards' roll-up below a unit: counts per level and the shares as rates."""

    unit: str
    year: int
    basis: str
    communes: int  # active units of the counted level below
    counts: list[LevelCountView]
    shares: list[RateValue]


class PeriodPlanIn(msgspec.Struct, forbid_unknown_fields=True):
    """Targets (percent, by rate or share code) a unit plans to reach by a period's end."""

    baseline_year: int
    end_year: int
    targets: dict[str, float]
    note: str = ""


class PeriodTargetProgress(msgspec.Struct):
    """One target of a period plan: baseline, actual, the straight-line path and the gaps."""

    code: str
    label_vi: str
    label_en: str
    target: float
    baseline: float | None
    actual: float | None
    on_path: float | None  # where a straight line from baseline to target stands this year
    gap_to_target: float | None  # target − actual (positive = still to go)
    gap_to_path: float | None  # on_path − actual (positive = behind the path)
    behind: bool
    planned: float | None = None  # the share the communes' own plans add up to at the end


class PeriodPlanView(msgspec.Struct):
    """A period plan (for example 2021–2025 against a 2020 baseline) with its progress."""

    unit: str
    code: str
    baseline_year: int
    end_year: int
    year: int
    targets: list[PeriodTargetProgress]
    note: str = ""


class MergerIn(msgspec.Struct, forbid_unknown_fields=True):
    """Old units merged into a new one from a date (the 2025 reorganisation)."""

    old_codes: list[str]
    new_code: str
    effective_on: date
    note: str = ""


class MergerView(msgspec.Struct):
    """One stored merger record."""

    old_code: str
    new_code: str
    effective_on: date
    note: str


class BodyWork(msgspec.Struct):
    """A body's share of the self-assessment: indicators it leads and supports, evidence missing."""

    body: str
    name_vi: str
    name_en: str
    kind: str
    leads: list[str]
    supports: list[str]
    missing_evidence: list[str]
