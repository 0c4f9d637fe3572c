"""Roadmaps (lộ trình): the level each unit should reach each year, and whether they fit together.

A child's planned level in a year is the highest target level it has for that year or any earlier
year (a recognised commune is expected to keep its level). A parent's roadmap is infeasible when
a children_share indicator of its target level (or a lower level: levels are cumulative) cannot
be met by its children's planned levels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from backend.core.formula import compare, exact
from backend.core.numbers import fmt
from backend.core.targets import Target
from shared_schema.criteria import ChildrenShareIndicator
from shared_schema.framework import Framework
from shared_schema.text import Text


@dataclass(frozen=True)
class RoadmapProblem:
    """A parent's target level that its children's own targets cannot support."""

    unit_code: str
    year: int
    target_level: int
    indicator: str
    child_min_level: int
    min_share: float
    planned: int
    children: int
    explanation: Text


def planned_level(targets: Iterable[Target], unit_code: str, year: int) -> int:
    """The highest level a unit's roadmap plans for the year or earlier (0 when none)."""
    return max(
        (t.target_level or 0 for t in targets if t.unit_code == unit_code and t.year <= year),
        default=0,
    )


def _share_indicators(
    framework: Framework, unit_level: str, target_level: int
) -> list[ChildrenShareIndicator]:
    """children_share indicators of every level up to the target level."""
    unit_criteria = framework.criteria_for(unit_level)
    if unit_criteria is None:
        return []
    return [
        ind
        for lv in unit_criteria.levels
        if lv.level <= target_level
        for _, ind in lv.indicators()
        if isinstance(ind, ChildrenShareIndicator)
    ]


def _explain(t: Target, ind: ChildrenShareIndicator, planned: int, total: int) -> Text:
    """Why the roadmap cannot work, in both languages."""
    share = 100 * planned / total
    name = t.unit_name or t.unit_code
    return Text(
        vi=f"Lộ trình {name} năm {t.year} (mức độ {t.target_level}): chỉ tiêu "
        f"{ind.code} cần {fmt(ind.min_share, 'vi')}% {ind.child_label.vi} đạt mức độ "
        f"{ind.child_min_level}, nhưng lộ trình chỉ có {planned}/{total} "
        f"({fmt(share, 'vi')}%)",
        en=f"Roadmap of {name} for {t.year} (level {t.target_level}): indicator "
        f"{ind.code} needs {fmt(ind.min_share, 'en')}% of {ind.child_label.en} at level "
        f"{ind.child_min_level}, but the roadmap plans only {planned}/{total} "
        f"({fmt(share, 'en')}%)",
    )


def infeasible_roadmaps(
    framework: Framework,
    targets: Sequence[Target],
    unit_levels: Mapping[str, str],
    children: Mapping[str, Sequence[str]],
) -> list[RoadmapProblem]:
    """Every parent target whose children_share indicators its children's targets cannot meet."""
    by_unit: dict[str, list[Target]] = {}
    for t in targets:
        by_unit.setdefault(t.unit_code, []).append(t)
    problems = []
    for t in targets:
        kids = children.get(t.unit_code, ())
        level = unit_levels.get(t.unit_code)
        if not t.target_level or not kids or level is None:
            continue
        for ind in _share_indicators(framework, level, t.target_level):
            planned = sum(
                1
                for kid in kids
                if planned_level(by_unit.get(kid, ()), kid, t.year) >= ind.child_min_level
            )
            if not compare((100 * planned, len(kids)), ">=", exact(ind.min_share)):
                problems.append(
                    RoadmapProblem(
                        t.unit_code,
                        t.year,
                        t.target_level,
                        ind.code,
                        ind.child_min_level,
                        ind.min_share,
                        planned,
                        len(kids),
                        _explain(t, ind, planned, len(kids)),
                    )
                )
    return problems
