"""Cross-reference checks of the criteria and calendar sections (unknown fields, levels, dates)."""

from __future__ import annotations

import datetime as dt

from shared_schema.calendar import Calendar
from shared_schema.criteria import (
    ChildrenShareIndicator,
    ComputedIndicator,
    CriteriaLevel,
    EnteredLevelIndicator,
    Expr,
    FieldRef,
    Indicator,
    Ratio,
    Sum,
    UnitCriteria,
)


def expr_fields(expr: Expr) -> list[str]:
    """Every tally field a formula reads."""
    if isinstance(expr, FieldRef):
        return [expr.code]
    if isinstance(expr, Sum):
        return [code for term in expr.terms for code in expr_fields(term)]
    if isinstance(expr, Ratio):
        return expr_fields(expr.numerator) + expr_fields(expr.denominator)
    return []


def _indicator_problems(ind: Indicator, path: str, known_fields: set[str]) -> list[str]:
    """Problems of one indicator: unknown fields, impossible thresholds, missing source."""
    problems = [] if ind.source.strip() else [f"{path}.source — empty source"]
    if isinstance(ind, ComputedIndicator):
        if not ind.checks:
            problems.append(f"{path}.checks — a computed indicator needs at least one check")
        for n, check in enumerate(ind.checks):
            problems += [
                f"{path}.checks[{n}].value — unknown tally field {c!r}"
                for c in expr_fields(check.value)
                if c not in known_fields
            ]
    elif isinstance(ind, EnteredLevelIndicator) and ind.required_level < 1:
        problems.append(f"{path}.required_level — must be 1 or more")
    elif isinstance(ind, ChildrenShareIndicator):
        if ind.child_min_level < 1:
            problems.append(f"{path}.child_min_level — must be 1 or more")
        if not 0 < ind.min_share <= 100:
            problems.append(f"{path}.min_share — must be a percentage in (0, 100]")
    return problems


def _level_problems(level: CriteriaLevel, path: str, known_fields: set[str]) -> list[str]:
    """Problems of one level: duplicate codes, indicators outside their criterion, bad ones."""
    problems = [] if level.level >= 1 else [f"{path}.level — must be 1 or more"]
    seen: set[str] = set()
    for ci, criterion in enumerate(level.criteria):
        for ii, ind in enumerate(criterion.indicators):
            ipath = f"{path}.criteria[{ci}].indicators[{ii}]"
            if ind.code in seen:
                problems.append(f"{ipath}.code — duplicate indicator {ind.code!r}")
            seen.add(ind.code)
            if not ind.code.startswith(f"{criterion.code}."):
                problems.append(
                    f"{ipath}.code — {ind.code!r} is not under criterion {criterion.code!r}"
                )
            problems += _indicator_problems(ind, ipath, known_fields)
    return problems


def check_criteria(
    criteria: dict[str, UnitCriteria], unit_levels: set[str], known_fields: set[str]
) -> list[str]:
    """Every criteria section: known unit level, distinct level numbers, sound indicators."""
    problems: list[str] = []
    for key, unit_criteria in criteria.items():
        path = f"$.criteria.{key}"
        if key not in unit_levels:
            problems.append(f"{path} — unknown unit level {key!r}")
        numbers = [lv.level for lv in unit_criteria.levels]
        if len(numbers) != len(set(numbers)):
            problems.append(f"{path}.levels — a level number appears twice")
        for index, level in enumerate(unit_criteria.levels):
            problems += _level_problems(level, f"{path}.levels[{index}]", known_fields)
    return problems


TRACKED_SUBMISSIONS = ("", "dossier", "yearly_report", "report", "tally", "recognition")


def check_calendar(calendar: Calendar, unit_levels: set[str]) -> list[str]:
    """Calendar steps name known unit levels and real dates (checked against a leap year)."""
    problems: list[str] = []
    for index, step in enumerate(calendar.steps):
        path = f"$.calendar.steps[{index}]"
        if step.unit_level not in unit_levels:
            problems.append(f"{path}.unit_level — unknown level {step.unit_level!r}")
        if step.tracks not in TRACKED_SUBMISSIONS:
            problems.append(f"{path}.tracks — unknown submission {step.tracks!r}")
        deadlines = [("deadline", step.deadline)] + [
            (f"by_hierarchy.{code}.deadline", v.deadline) for code, v in step.by_hierarchy.items()
        ]
        for where, deadline in deadlines:
            try:
                dt.date(2024, deadline.month, deadline.day)
            except ValueError:
                problems.append(f"{path}.{where} — not a date: {deadline.day}/{deadline.month}")
    return problems
