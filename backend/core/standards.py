"""Unit standards rolled up (pure): levels of communes → counts per level → shares of communes.

Counts travel as totals keys ('standard.literacy.2' = communes at literacy level 2 or above,
'standard.literacy.units' = communes with a literacy level), so they add up through every
roll-up like tally sums; the shares are ordinary rates over those keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from backend.core.errors import InvalidInput
from backend.core.numbers import fmt
from backend.core.rollup import merge_totals
from shared_schema.framework import Framework, Rate
from shared_schema.standards import UNITS_KEY, StandardsSpec, UnitStandard, count_key, share_code
from shared_schema.text import Text

BASES = ("actual", "planned")


@dataclass(frozen=True)
class LevelCount:
    """Communes of a standard at one level: exactly there, at it or above, and the share."""

    standard: str
    level: int
    exactly: int
    at_least: int
    units: int  # communes with a level of this standard (the share's denominator)

    @property
    def share(self) -> float | None:
        """Percentage of counted communes at this level or above (None when none counted)."""
        return round(100 * self.at_least / self.units, 2) if self.units else None


def unit_counts(spec: StandardsSpec, levels: Mapping[str, int | None]) -> dict[str, int]:
    """One commune's levels as totals keys (a standard without a level adds nothing)."""
    counts: dict[str, int] = {}
    for item in spec.items:
        level = levels.get(item.code)
        if level is None:
            continue
        counts[count_key(item.code, UNITS_KEY)] = 1
        for reached in range(1, min(level, item.max_level) + 1):
            counts[count_key(item.code, reached)] = 1
    return counts


def subtree_counts(
    spec: StandardsSpec, units: Iterable[Mapping[str, int | None]]
) -> dict[str, int]:
    """Counts of many communes' levels added together."""
    return merge_totals(unit_counts(spec, levels) for levels in units)


def level_table(spec: StandardsSpec, totals: Mapping[str, int]) -> list[LevelCount]:
    """Per standard and level (0 = not reached): exactly, at least, counted — from totals keys."""
    rows = []
    for item in spec.items:
        units = totals.get(count_key(item.code, UNITS_KEY), 0)
        at_least = [units] + [
            totals.get(count_key(item.code, n), 0) for n in range(1, item.max_level + 1)
        ]
        for level in range(0, item.max_level + 1):
            above = at_least[level + 1] if level < item.max_level else 0
            rows.append(
                LevelCount(item.code, level, at_least[level] - above, at_least[level], units)
            )
    return rows


def share_rates(spec: StandardsSpec) -> list[Rate]:
    """The share of communes at each level or above of each standard, as framework rates."""
    return [
        Rate(
            share_code(item.code, level),
            Text(
                item.share_label.vi.replace("{level}", str(level)),
                item.share_label.en.replace("{level}", str(level)),
            ),
            [count_key(item.code, level)],
            [count_key(item.code, UNITS_KEY)],
        )
        for item in spec.items
        for level in range(1, item.max_level + 1)
    ]


def all_rates(framework: Framework) -> list[Rate]:
    """Tally rates followed by the shares of communes: every rate a unit is measured by."""
    return [*framework.tally.rates, *share_rates(framework.standards)]


def standard_for_indicator(spec: StandardsSpec, indicator: str) -> UnitStandard | None:
    """The standard whose level a self-assessment indicator (4.1–4.4) takes, if any."""
    return next((s for s in spec.items if s.indicator == indicator), None)


def check_level(spec: StandardsSpec, code: str, level: int) -> UnitStandard:
    """The standard, when the level is on its scale; otherwise a clear refusal."""
    item = spec.get(code)
    if item is None or item.origin != "entered":
        raise InvalidInput(
            "standard_unknown",
            f"Không có chuẩn '{code}' nhập theo xã trong khung",
            f"No standard '{code}' entered per commune in the framework",
        )
    if not 0 <= level <= item.max_level:
        raise InvalidInput(
            "standard_level_out_of_scale",
            f"{item.label.vi}: mức độ phải từ 0 đến {item.max_level} (nhận {level})",
            f"{item.label.en}: the level must be 0 to {item.max_level} (got {level})",
        )
    return item


def check_basis(basis: str) -> str:
    """actual (reached) or planned (a plan's level for the year)."""
    if basis not in BASES:
        raise InvalidInput(
            "standard_basis_unknown",
            "Loại số liệu phải là 'actual' (thực hiện) hoặc 'planned' (kế hoạch)",
            "The basis must be 'actual' or 'planned'",
        )
    return basis


@dataclass(frozen=True)
class ShareShortfall:
    """A share target the communes' own planned levels do not reach."""

    unit_code: str
    year: int
    code: str
    target: float
    planned: int
    units: int
    explanation: Text


def share_shortfalls(
    unit_code: str,
    year: int,
    targets: Mapping[str, float],
    planned: Mapping[str, tuple[int, int]],
    labels: Mapping[str, Text],
) -> list[ShareShortfall]:
    """Share targets above what the communes' planned levels add up to (planned: code → n/d)."""
    found = []
    for code, target in sorted(targets.items()):
        if code not in planned or not planned[code][1]:
            continue
        count, units = planned[code]
        if 100 * count >= target * units:
            continue
        share = 100 * count / units
        label = labels[code]
        explanation = Text(
            vi=f"Chỉ tiêu {unit_code} năm {year}: {label.vi} ≥ {fmt(target, 'vi')}%, nhưng kế "
            f"hoạch của các xã chỉ có {count}/{units} ({fmt(share, 'vi')}%)",
            en=f"Target of {unit_code} for {year}: {label.en} ≥ {fmt(target, 'en')}%, but the "
            f"communes' own plans add up to {count}/{units} ({fmt(share, 'en')}%)",
        )
        found.append(ShareShortfall(unit_code, year, code, target, count, units, explanation))
    return found
