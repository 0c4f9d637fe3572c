"""Cross-reference checks a schema alone cannot express (unknown field codes and the like)."""

from __future__ import annotations

from shared_schema.criteria_checks import check_calendar, check_criteria
from shared_schema.framework import Framework

DERIVED_TALLY_KEYS = frozenset({"village_count"})


def _duplicates(codes: list[str]) -> set[str]:
    """Codes that appear more than once."""
    seen: set[str] = set()
    return {c for c in codes if c in seen or seen.add(c)}  # type: ignore[func-returns-value]


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
    problems += check_criteria(framework.criteria, levels, known)
    problems += check_calendar(framework.calendar, levels)
    return problems
