"""Cross-reference checks a schema alone cannot express (unknown field codes and the like)."""

from __future__ import annotations

from shared_schema.criteria_checks import check_calendar, check_criteria
from shared_schema.framework import Framework

DERIVED_TALLY_KEYS = frozenset({"village_count"})


def _duplicates(codes: list[str]) -> set[str]:
    """Codes that appear more than once."""
    seen: set[str] = set()
    return {c for c in codes if c in seen or seen.add(c)}  # type: ignore[func-returns-value]


def check_standards(framework: Framework, levels: set[str]) -> list[str]:
    """Standards: a known counted level, positive scales, indicators that exist, unique codes."""
    spec = framework.standards
    problems = [
        f"$.standards.items — duplicate code {c!r}"
        for c in _duplicates([s.code for s in spec.items])
    ]
    if spec.items and spec.counted_level not in levels:
        problems.append(f"$.standards.counted_level — unknown level {spec.counted_level!r}")
    criteria = framework.criteria_for(spec.counted_level)
    codes = {i.code for lv in criteria.levels for _, i in lv.indicators()} if criteria else set()
    for index, item in enumerate(spec.items):
        path = f"$.standards.items[{index}]"
        if item.max_level < 1:
            problems.append(f"{path}.max_level — must be 1 or more")
        if item.origin not in ("entered", "recognition"):
            problems.append(f"{path}.origin — unknown origin {item.origin!r}")
        if item.indicator is not None and item.indicator not in codes:
            problems.append(f"{path}.indicator — unknown indicator {item.indicator!r}")
    return problems


def check_responsibilities(framework: Framework) -> list[str]:
    """Assignments name declared bodies and indicators of their unit level."""
    problems = []
    for level, spec in framework.responsibilities.items():
        criteria = framework.criteria_for(level)
        indicators = (
            {i.code for lv in criteria.levels for _, i in lv.indicators()} if criteria else set()
        )
        bodies = {b.code for b in spec.bodies}
        for index, item in enumerate(spec.assignments):
            path = f"$.responsibilities.{level}.assignments[{index}]"
            if item.indicator not in indicators:
                problems.append(f"{path}.indicator — unknown indicator {item.indicator!r}")
            problems += [
                f"{path} — unknown body {code!r}"
                for code in [item.lead or "", *item.support]
                if code and code not in bodies
            ]
    return problems


def check_framework(framework: Framework) -> list[str]:
    """Every reference between parts of the framework, as readable problems."""
    tally = framework.tally
    codes = framework.field_codes()
    known = set(codes) | DERIVED_TALLY_KEYS
    groups = {g.code for g in tally.groups}
    levels = {lv.code for lv in framework.unit_levels}
    problems = [f"$.tally.fields — duplicate code {c!r}" for c in sorted(_duplicates(codes))]
    for index, spec in enumerate(tally.fields):
        if spec.group not in groups:
            problems.append(f"$.tally.fields[{index}].group — unknown group {spec.group!r}")
    for index, rule in enumerate(tally.order_rules):
        problems += [
            f"$.tally.order_rules[{index}].chain — unknown field {c!r}"
            for c in rule.chain
            if c not in known
        ]
    for index, rate in enumerate(tally.rates):
        problems += [
            f"$.tally.rates[{index}] — unknown field {c!r}"
            for c in rate.numerator + rate.denominator
            if c not in known
        ]
    for index, hierarchy in enumerate(framework.hierarchies):
        problems += [
            f"$.hierarchies[{index}].levels — unknown level {c!r}"
            for c in hierarchy.levels
            if c not in levels
        ]
        problems += [
            f"$.hierarchies[{index}].recognised_by.{unit} — {by!r} is not above it"
            for unit, by in hierarchy.recognised_by.items()
            if unit not in hierarchy.levels
            or by not in hierarchy.levels
            or hierarchy.levels.index(by) >= hierarchy.levels.index(unit)
        ]
    problems += check_standards(framework, levels)
    problems += check_responsibilities(framework)
    problems += check_criteria(framework.criteria, levels, known)
    problems += check_calendar(framework.calendar, levels)
    return problems
