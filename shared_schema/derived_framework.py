"""Provincial derived frameworks: an overlay that `extends` a base and overrides thresholds.

A province publishes a small YAML file, for example:

    id: kon-tum-2025
    version: "2025.1"
    extends: vn-tt25-2023
    applies_to: "62"          # the unit code whose subtree uses this framework
    valid_from_year: 2025
    title: {vi: ..., en: ...}
    overrides:
      - {unit_level: commune, level: 1, indicator: "5.1", threshold: 65}

`framework_in_force` then picks, for a unit and a year, the framework of its nearest ancestor
that has one, else the national one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import msgspec
import yaml

from shared_schema.calendar import Calendar
from shared_schema.criteria import (
    ChildrenShareIndicator,
    ComputedIndicator,
    CriteriaLevel,
    EnteredLevelIndicator,
    Indicator,
    UnitCriteria,
)
from shared_schema.framework import Framework
from shared_schema.framework_checks import check_framework
from shared_schema.framework_loader import FrameworkLoadError
from shared_schema.text import Text

replace = msgspec.structs.replace


class Override(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """New values for one indicator (at one level, or at every level when level is omitted)."""

    unit_level: str
    indicator: str
    level: int | None = None
    check: int = 0
    threshold: float | None = None
    required_level: int | None = None
    min_share: float | None = None
    child_min_level: int | None = None


class Overlay(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A derived framework as published: what it extends, where and when it applies, overrides."""

    id: str
    version: str
    extends: str
    applies_to: str
    valid_from_year: int
    title: Text
    valid_to_year: int | None = None
    overrides: list[Override] = []
    calendar: Calendar | None = None


def parse_overlay(text: str, source: str) -> Overlay:
    """Parse an overlay's YAML text; errors name the source and the $.path."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FrameworkLoadError(f"{source}: not valid YAML — {exc}") from exc
    try:
        return msgspec.convert(data, Overlay)
    except msgspec.ValidationError as exc:
        message = str(exc)
        text_part, _, path = message.rpartition(" - at `")
        where = path.rstrip("`") if text_part else "$"
        raise FrameworkLoadError(f"{source}: {where} — {text_part or message}") from exc


def _changed(ind: Indicator, o: Override, where: str) -> Indicator:
    """The indicator with the override's values, refusing values its kind does not have."""
    if isinstance(ind, ComputedIndicator) and o.threshold is not None:
        if not 0 <= o.check < len(ind.checks):
            raise FrameworkLoadError(f"{where}.check — indicator {ind.code} has no check {o.check}")
        checks = list(ind.checks)
        checks[o.check] = replace(checks[o.check], threshold=o.threshold)
        return replace(ind, checks=checks, source=f"{ind.source}; overridden")
    if isinstance(ind, EnteredLevelIndicator) and o.required_level is not None:
        return replace(ind, required_level=o.required_level, source=f"{ind.source}; overridden")
    if isinstance(ind, ChildrenShareIndicator) and (o.min_share or o.child_min_level):
        return replace(
            ind,
            min_share=o.min_share or ind.min_share,
            child_min_level=o.child_min_level or ind.child_min_level,
            source=f"{ind.source}; overridden",
        )
    raise FrameworkLoadError(
        f"{where} — nothing to override on {ind.code} of kind {type(ind).__struct_config__.tag}"
    )


def _apply_to_level(level: CriteriaLevel, o: Override, where: str) -> tuple[CriteriaLevel, int]:
    """The level with the override applied, and how many indicators it changed."""
    hits = 0
    criteria = []
    for criterion in level.criteria:
        indicators: list[Indicator] = []
        for ind in criterion.indicators:
            if ind.code == o.indicator:
                ind, hits = _changed(ind, o, where), hits + 1
            indicators.append(ind)
        criteria.append(replace(criterion, indicators=indicators))
    return replace(level, criteria=criteria), hits


def _apply_one(criteria: dict[str, UnitCriteria], o: Override, where: str) -> None:
    """Apply one override in place on the criteria mapping."""
    unit_criteria = criteria.get(o.unit_level)
    if unit_criteria is None:
        raise FrameworkLoadError(f"{where}.unit_level — no criteria for {o.unit_level!r}")
    levels, hits = [], 0
    for level in unit_criteria.levels:
        if o.level is None or o.level == level.level:
            level, n = _apply_to_level(level, o, where)
            hits += n
        levels.append(level)
    if not hits:
        raise FrameworkLoadError(f"{where}.indicator — unknown indicator {o.indicator!r}")
    criteria[o.unit_level] = replace(unit_criteria, levels=levels)


def apply_overlay(base: Framework, overlay: Overlay, source: str = "overlay") -> Framework:
    """The derived Framework: the base with the overlay's identity, scope and overrides."""
    if overlay.extends != base.id:
        raise FrameworkLoadError(f"{source}: $.extends — {overlay.extends!r} is not {base.id!r}")
    criteria = dict(base.criteria)
    for index, override in enumerate(overlay.overrides):
        _apply_one(criteria, override, f"{source}: $.overrides[{index}]")
    derived = replace(
        base,
        id=overlay.id,
        version=overlay.version,
        title=overlay.title,
        valid_from_year=overlay.valid_from_year,
        valid_to_year=overlay.valid_to_year,
        criteria=criteria,
        calendar=overlay.calendar or base.calendar,
        extends=base.id,
        applies_to=overlay.applies_to,
    )
    problems = check_framework(derived)
    if problems:
        raise FrameworkLoadError(f"{source}: " + "; ".join(problems))
    return derived


def load_overlay_file(path: Path, bases: Mapping[str, Framework]) -> Framework:
    """Read an overlay file and apply it to the base it extends."""
    overlay = parse_overlay(path.read_text(encoding="utf-8"), str(path))
    base = bases.get(overlay.extends)
    if base is None:
        raise FrameworkLoadError(f"{path}: $.extends — unknown framework {overlay.extends!r}")
    return apply_overlay(base, overlay, str(path))


def _valid_in(framework: Framework, year: int) -> bool:
    """Whether the framework's validity covers the year."""
    end = framework.valid_to_year
    return framework.valid_from_year <= year and (end is None or year <= end)


def framework_in_force(
    frameworks: Iterable[Framework], unit_ancestry: Sequence[str], year: int
) -> Framework | None:
    """The framework for a unit and year: unit_ancestry is the unit's code, then its parent's...

    The nearest ancestor with a derived framework valid that year wins; otherwise the national
    framework (applies_to unset) valid that year; the latest valid_from_year breaks ties.
    """
    nearest = {code: depth for depth, code in reversed(list(enumerate(unit_ancestry)))}
    best: tuple[int, int, Framework] | None = None
    for framework in frameworks:
        if not _valid_in(framework, year):
            continue
        if framework.applies_to is None:
            rank = len(unit_ancestry)
        elif framework.applies_to in nearest:
            rank = nearest[framework.applies_to]
        else:
            continue
        key = (rank, -framework.valid_from_year)
        if best is None or key < best[:2]:
            best = (*key, framework)
    return None if best is None else best[2]
